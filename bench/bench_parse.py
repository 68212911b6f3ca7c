"""Benchmark of the Vietnamese figure parser (figures/parse.py) and the whole-report reader.

1. Speed, each as a ratio to its floor measured interleaved in the same run (the floor: folding the same text and
   splitting it into syllables, which any reading must do), and the growth at 10× the text:
   a 10-figure officer message, a long seed paragraph, a whole seed report (read_report).
2. Quality on the labelled set tests/data/parse_cases.yaml, as written and with every diacritic stripped:
   precision, recall and F1 over (indicator, value, denominator, stated rate); figures produced from dates,
   document numbers, areas or population facts (target 0); period and question/greeting recognition.
3. Real report lines (tests/data/seed_lines.yaml), the tuned and the held-out part: right, wrong (target 0), missed,
   recall; and each whole seed report: figures on the right indicator with the right value, wrong (target 0).

Run: .venv/bin/python bench/bench_parse.py [--errors]
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from figures.lexicon import TOKEN_RE, fold_aligned  # noqa: E402
from figures.parse import parse_message  # noqa: E402
from figures.report_reader import read_report  # noqa: E402
from knowledge.catalogue import load_catalogue  # noqa: E402
from tests.parse_cases import load_cases, score  # noqa: E402
from tests.seed_lines import load_lines, score_lines, score_report  # noqa: E402

TEN_FIGURES = ("Báo cáo tuần từ 17/8 đến 23/8/2023: cấp CCCD 60, trong đó cấp mới 33, đổi 11, lại 16; "
               "định danh 654, kích hoạt 500; tuyên truyền 714 lượt người; thường trú 106, trực tuyến 97; "
               "CMND 9 số 04/04 trường hợp.")
SEED_PARAGRAPH = ("+ Tiếp nhận và giải quyết thủ tục đăng ký thường trú: Tổng số 106 hồ sơ; đã trả kết quả: 48 hồ sơ, "
                  "chưa trả kết quả: 20 hồ sơ, xác minh: 07 hồ sơ, không đủ điều kiện: 00 hồ sơ, chưa phân loại: 31 hồ "
                  "sơ. Trong đó, tiếp nhận trên cổng DVC: Tổng số: 97 hồ sơ, đã trả kết quả: 45 hồ sơ, chưa trả kết "
                  "quả: 15 hồ sơ, xác minh: 07 hồ sơ, không đủ điều kiện: 00 hồ sơ, chưa phân loại: 30 hồ sơ.")


def _floor(text: str) -> None:
    TOKEN_RE.findall(fold_aligned(text))


def ratio(work: Callable[[str], object], text: str, runs: int) -> tuple[float, float]:
    """(median ms of work, median ratio work/floor), the two measured alternately on the same text."""
    work(text)  # warm the caches (catalogue, alias tables)
    times, ratios = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        _floor(text)
        t1 = time.perf_counter()
        work(text)
        t2 = time.perf_counter()
        times.append((t2 - t1) * 1000)
        ratios.append((t2 - t1) / max(t1 - t0, 1e-7))
    return statistics.median(times), statistics.median(ratios)


def speed(label: str, work: Callable[[str], object], text: str, runs: int) -> None:
    ms, r = ratio(work, text, runs)
    ms10, r10 = ratio(work, "\n".join([text] * 10), max(3, runs // 10))
    print(f"{label}: {ms:.2f} ms = {r:.0f}× floor; at 10× the text {ms10 / ms:.1f}× the time ({r10:.0f}× floor)")


def main() -> None:
    cat = load_catalogue()
    figures = parse_message(TEN_FIGURES, cat).figures
    assert len(figures) == 10, [f.indicator for f in figures]
    seeds, lines = load_lines()
    report = seeds["001"].path.read_text(encoding="utf-8") if seeds["001"].path.is_file() else SEED_PARAGRAPH * 20
    speed("10-figure message", lambda t: parse_message(t, cat), TEN_FIGURES, 200)
    speed(f"seed paragraph ({len(SEED_PARAGRAPH)} chars)", lambda t: parse_message(t, cat), SEED_PARAGRAPH, 200)
    speed(f"whole seed report 001 ({len(report)} chars)", lambda t: read_report(t, cat), report, 10)
    errors = "--errors" in sys.argv
    cases = load_cases()
    gold = sum(len(c.figures) for c in cases)
    negatives = sum(1 for c in cases if not c.figures)
    print(f"labelled set: {len(cases)} messages, {gold} figures, {negatives} messages without figures")
    for fold in (False, True):
        s = score(cases, fold)
        label = "without diacritics" if fold else "as written        "
        print(f"{label}: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  "
              f"figures from dates/doc numbers/areas={s.from_never}  "
              f"periods {s.period_ok}/{s.period_total}  questions/greetings routed {s.question_ok}/{s.question_total}")
        if errors:
            print("\n".join(s.errors))
    for name, held in (("tuned", False), ("held-out", True)):
        part = [line for line in lines if line.heldout == held]
        s = score_lines(part)
        print(f"seed lines, {name}: {s.lines} lines, {s.right + s.missed} figures: right {s.right} "
              f"(stated rate read differently {s.rate_differs}), wrong {s.wrong} (wrong indicator "
              f"{s.wrong_indicator}), missed {s.missed}, recall {s.recall:.3f}, guesses {s.guesses}")
        if errors:
            print("\n".join(s.errors))
    for sid, seed in seeds.items():
        if not seed.path.is_file():
            print(f"seed {sid}: not found at {seed.path}")
            continue
        s, reading = score_report(seed, lines)
        print(f"seed report {sid}: period {reading.period.label if reading.period else '—'}; "
              f"{s.right + s.missed} figures: right {s.right}, wrong {s.wrong}, missed {s.missed}; "
              f"{len(reading.conflicts)} conflicts, {len(reading.unplaced)} unplaced passages")
        if errors:
            print("\n".join(s.errors))


if __name__ == "__main__":
    main()
