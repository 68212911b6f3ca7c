"""Benchmark of the Vietnamese figure parser (figures/parse.py).

1. Latency: median time to parse a 10-figure officer message (target < 20 ms), plus a long seed paragraph.
2. Quality on the labelled set tests/data/parse_cases.yaml, as written and with every diacritic stripped:
   precision, recall and F1 over (indicator, value, denominator, stated rate); figures produced from dates,
   document numbers, areas or population facts (target 0); period and question/greeting recognition.

Run: .venv/bin/python bench/bench_parse.py [--errors]
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from figures.parse import parse_message  # noqa: E402
from knowledge.catalogue import load_catalogue  # noqa: E402
from tests.parse_cases import load_cases, score  # noqa: E402

TEN_FIGURES = ("Báo cáo tuần từ 17/8 đến 23/8/2023: cấp CCCD 60, trong đó cấp mới 33, đổi 11, lại 16; "
               "định danh 654, kích hoạt 500; tuyên truyền 714 lượt người; thường trú 106, trực tuyến 97; "
               "CMND 9 số 04/04 trường hợp.")
SEED_PARAGRAPH = ("+ Tiếp nhận và giải quyết thủ tục đăng ký thường trú: Tổng số 106 hồ sơ; đã trả kết quả: 48 hồ sơ, "
                  "chưa trả kết quả: 20 hồ sơ, xác minh: 07 hồ sơ, không đủ điều kiện: 00 hồ sơ, chưa phân loại: 31 hồ "
                  "sơ. Trong đó, tiếp nhận trên cổng DVC: Tổng số: 97 hồ sơ, đã trả kết quả: 45 hồ sơ, chưa trả kết "
                  "quả: 15 hồ sơ, xác minh: 07 hồ sơ, không đủ điều kiện: 00 hồ sơ, chưa phân loại: 30 hồ sơ.")


def median_ms(text: str, runs: int = 300) -> float:
    cat = load_catalogue()
    parse_message(text, cat)  # warm the caches (catalogue, alias tables)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        parse_message(text, cat)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    figures = parse_message(TEN_FIGURES).figures
    assert len(figures) == 10, [f.indicator for f in figures]
    print(f"10-figure message: median {median_ms(TEN_FIGURES):.2f} ms (target < 20 ms)")
    print(f"seed paragraph ({len(SEED_PARAGRAPH)} chars): median {median_ms(SEED_PARAGRAPH):.2f} ms")
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
        if "--errors" in sys.argv:
            print("\n".join(s.errors))


if __name__ == "__main__":
    main()
