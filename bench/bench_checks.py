"""Benchmark of the checks engine (figures/checks.py).

1. Latency: a full report of about 100 figures with 12 prior periods (target < 10 ms per check).
2. Quality on the case set tests/data/check_cases.yaml (seed reports' real numbers and slips, synthetic
   histories): detection rate = cases with expected findings where every expected rule fired; false-alarm
   rate = clean cases with any finding.
3. Quality on generated reports: consistent synthetic units (false alarms over many clean reports) and
   the same reports with one injected slip each (typo ×10, a part mistyped, a stated rate off, a
   cumulative figure lower than last period, a fraction reversed).

Run: .venv/bin/python bench/bench_checks.py
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from figures.checks import check_report, parse_check_request  # noqa: E402
from figures.periods import PeriodSpec  # noqa: E402
from figures.types import FigureInput, PeriodFigures  # noqa: E402
from knowledge.catalogue import load_catalogue  # noqa: E402

CASES = REPO / "tests" / "data" / "check_cases.yaml"
HISTORY = 12
FIGURES = 100
NOISE_LOW, NOISE_HIGH = 0.5, 1.5  # ordinary week-to-week variation of a flow around its level (×3 range)


def _indicators() -> list[str]:
    """About 100 indicators: all sum-rule families first (the hardest to keep consistent), then the rest."""
    cat = load_catalogue()
    chosen: list[str] = []
    for parent, parts in cat.sum_rules():
        for i in (parent, *parts):
            if i not in chosen:
                chosen.append(i)
    for i in cat.indicators:
        if i not in chosen:
            chosen.append(i)
    for i in list(chosen):  # keep a part's whole and a flow's twin together with it
        meta = cat.get(i)
        for other in (meta.at_most, meta.twin):
            if other and other not in chosen:
                chosen.append(other)
    return chosen[:FIGURES]


def unit_history(rnd: random.Random, periods: int = HISTORY + 1) -> list[PeriodFigures]:
    """Consistent weekly reports of one synthetic unit, oldest first."""
    cat = load_catalogue()
    inds = _indicators()
    level = {i: rnd.choice([3, 15, 40, 120, 600]) for i in inds}
    cumulative = {i: float(rnd.randint(500, 3000)) for i in inds if cat.get(i).kind == "cumulative"}
    start = date(2025, 1, 6)
    out = []
    for t in range(periods):
        vals: dict[str, float] = {}
        for i in inds:
            meta = cat.get(i)
            if meta.kind != "cumulative":
                vals[i] = float(max(0, round(level[i] * rnd.uniform(NOISE_LOW, NOISE_HIGH))))
        for parent, parts in cat.sum_rules():
            if parent in vals:
                vals[parent] = sum(vals.get(p, 0.0) for p in parts if p in inds)
        for i in inds:
            meta = cat.get(i)
            if meta.at_most and meta.at_most in vals and i in vals:
                vals[i] = min(vals[i], vals[meta.at_most])
        if "tthc.tiep_nhan" in vals:  # most received files are resolved, a few late, the rest pending
            received = vals["tthc.tiep_nhan"]
            vals["tthc.dung_han"] = float(round(received * rnd.uniform(0.7, 0.9)))
            vals["tthc.qua_han"] = float(round(received * rnd.uniform(0, 0.05)))
            vals["tthc.da_giai_quyet"] = vals["tthc.dung_han"] + vals["tthc.qua_han"]
            vals["tthc.dang_giai_quyet"] = received - vals["tthc.da_giai_quyet"]
            vals["tthc.ky_truoc_chuyen_sang"] = float(rnd.randint(0, 5))
        for c in cumulative:
            twin_flows = [i for i in inds if cat.get(i).twin == c]
            cumulative[c] += sum(vals.get(f, 0.0) for f in twin_flows) + rnd.randint(0, 5)
            vals[c] = cumulative[c]
        figs = []
        for i, v in vals.items():
            if i not in inds:
                continue
            if cat.get(i).pair:
                figs.append(FigureInput(i, v, v + rnd.randint(0, 3)))
            else:
                figs.append(FigureInput(i, v))
        week = PeriodSpec("tuan", start + timedelta(days=7 * t), start + timedelta(days=7 * t + 6))
        out.append(PeriodFigures(week, figs))
    return out


PROFILE = {"population": 1_000_000, "population_14plus": 800_000}


def _check(current: PeriodFigures, history: list[PeriodFigures]):
    return check_report(current, history, profile=PROFILE)


def latency(runs: int = 300) -> tuple[float, float, int, int]:
    reports = unit_history(random.Random(1))
    current, history = reports[-1], list(reversed(reports[:-1]))
    _check(current, history)  # warm caches (catalogue, rules)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        _check(current, history)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times))], len(current.figures), len(history)


def case_set() -> dict:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    pos = detected = clean = alarms = extra = 0
    for c in cases:
        current, history, weeks, profile = parse_check_request(c)
        rules = {f.rule for f in check_report(current, history, weeks=weeks, profile=profile)}
        expected = set(c["expect"])
        if expected:
            pos += 1
            detected += expected <= rules
            extra += bool(rules - expected)
        else:
            clean += 1
            alarms += bool(rules)
    return {"cases": len(cases), "with_slips": pos, "detected": detected, "clean": clean, "false_alarms": alarms,
            "slip_cases_with_extra_findings": extra}


def _inject(rnd: random.Random, report: PeriodFigures, prev: PeriodFigures) -> tuple[PeriodFigures, str]:
    cat = load_catalogue()
    figs = {f.indicator: FigureInput(f.indicator, f.value, f.denominator, f.rate) for f in report.figures}
    kind = rnd.choice(["typo_x10", "part_off", "rate_off", "cumulative_down", "pair_reversed"])
    if kind == "typo_x10":
        i = rnd.choice([i for i, f in figs.items() if cat.get(i).kind == "flow" and f.value >= 10])
        figs[i].value *= 10
    elif kind == "part_off":
        parent, parts = rnd.choice([(p, ps) for p, ps in cat.sum_rules() if p in figs and all(x in figs for x in ps)])
        figs[rnd.choice(parts)].value += rnd.choice([-1, 1, 2, 10])
        if any(figs[x].value < 0 for x in parts):
            figs[parts[0]].value += 20
    elif kind == "rate_off":
        i = rnd.choice([i for i, f in figs.items() if f.denominator and f.value > 5])
        f = figs[i]
        f.rate = round(100 * f.value / f.denominator + rnd.choice([-10, -3, 3]), 1)
        if f.rate > 100 or f.rate < 0:
            f.rate = round(100 * f.value / f.denominator - 10, 1)
    elif kind == "cumulative_down":
        i = rnd.choice([i for i in figs if cat.get(i).kind == "cumulative"])
        figs[i].value = prev.by_indicator()[i].value - rnd.randint(1, 50)
    else:
        i = rnd.choice([i for i, f in figs.items() if f.denominator is not None and f.denominator > f.value])
        figs[i].value, figs[i].denominator = figs[i].denominator, figs[i].value
    return PeriodFigures(report.period, list(figs.values())), kind


def generated(units: int = 200) -> dict:
    clean_alarms = 0
    detected: dict[str, list[int]] = {}
    alarm_rules: dict[str, int] = {}
    for u in range(units):
        rnd = random.Random(1000 + u)
        reports = unit_history(rnd)
        current, history = reports[-1], list(reversed(reports[:-1]))
        found = _check(current, history)
        if found:
            clean_alarms += 1
            for f in found:
                alarm_rules[f.rule] = alarm_rules.get(f.rule, 0) + 1
        slipped, kind = _inject(rnd, current, history[0])
        before = {f.fingerprint for f in found}
        hit = any(f.fingerprint not in before for f in _check(slipped, history))
        detected.setdefault(kind, [0, 0])
        detected[kind][0] += hit
        detected[kind][1] += 1
    return {"units": units, "clean_reports_with_findings": clean_alarms, "alarm_rules": alarm_rules,
            "detected_by_slip": {k: f"{v[0]}/{v[1]}" for k, v in sorted(detected.items())},
            "detected": sum(v[0] for v in detected.values()), "injected": sum(v[1] for v in detected.values())}


def main() -> None:
    med, p95, n_figs, n_hist = latency()
    print(f"latency: {n_figs} figures, {n_hist} prior periods: median {med:.2f} ms, p95 {p95:.2f} ms "
          f"(target < 10 ms per check) -> {'OK' if med < 10 else 'TOO SLOW'}")
    cs = case_set()
    print(f"case set: {cs['cases']} cases; detection {cs['detected']}/{cs['with_slips']} "
          f"({100 * cs['detected'] / cs['with_slips']:.0f}%); false alarms {cs['false_alarms']}/{cs['clean']} "
          f"clean cases ({100 * cs['false_alarms'] / cs['clean']:.0f}%); slip cases with extra findings: "
          f"{cs['slip_cases_with_extra_findings']}")
    g = generated()
    print(f"generated units: false alarms on {g['clean_reports_with_findings']}/{g['units']} clean reports "
          f"{g['alarm_rules'] or ''}; injected slips detected {g['detected']}/{g['injected']} "
          f"({100 * g['detected'] / g['injected']:.1f}%): {g['detected_by_slip']}")


if __name__ == "__main__":
    main()
