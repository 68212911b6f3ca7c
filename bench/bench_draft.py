"""Benchmark of the draft: a full monthly draft of the demo commune (its unit's report structure read from the
database, figure sentences, chart, appendix, docxtpl DOCX), as a ratio to its floor, and its growth at 10× data.

Measured interleaved in one run, so machine load touches all alike (medians over RUNS after one warm-up):
  floor   the same template rendered with an empty report (no figures, no chart): what any draft costs
  draft   draft_input (database reads, the unit's structure) + render, the latest month of a unit with
          12 months and 32 weeks of reports before it (a full history: a draft reads at most 12 prior periods)
  draft×10  the same in a database holding 10× those reports (120 months, 320 weeks)
Targets: draft < 1 s; draft/floor < 6; draft×10/draft < 1.2 (more stored data must not slow a draft).

Run: .venv/bin/python bench/bench_draft.py   (or `baocao bench draft`)
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select  # noqa: E402

from bot.app import build  # noqa: E402
from bot.demo import seed_demo  # noqa: E402
from common.settings import Settings  # noqa: E402
from db.models import Period, Report  # noqa: E402
from drafting.from_db import draft_input  # noqa: E402
from drafting.render import render  # noqa: E402
from figures.types import PeriodFigures  # noqa: E402

RUNS = 11
TODAY = date(2026, 11, 25)
DEMO_SPAN = timedelta(weeks=12)  # one demo seeding covers the 8 weeks and 3 months before its date
BASE = 4  # demo seedings for the base database: 12 months, the most history a draft reads


def _database(root: Path, copies: int):
    """A demo database whose unit has `copies` × the demo's reports (earlier periods seeded further back)."""
    db, _ = build(Settings(_env_file=None, data_dir=root))
    for k in reversed(range(copies)):
        with db.session() as s:
            seed_demo(s, TODAY - k * DEMO_SPAN)
    return db


def _latest_month(s) -> Report:
    return s.scalar(select(Report).join(Period).where(Period.kind == "thang").order_by(Period.end.desc()))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        small, large = _database(root / "x1", BASE), _database(root / "x10", 10 * BASE)
        times: dict[str, list[float]] = {"floor": [], "draft": [], "draft×10": []}
        with small.session() as s1, large.session() as s10:
            m1, m10 = _latest_month(s1), _latest_month(s10)
            reports = {"x1": m1, "x10": m10}
            empty = draft_input(s1, m1, TODAY)
            empty.current, empty.history = PeriodFigures(empty.current.period, []), []

            def floor(i: int) -> None:
                render(empty, root / f"floor-{i}.docx", with_chart=False)

            def draft(i: int, which: str = "x1") -> None:
                s = s1 if which == "x1" else s10
                render(draft_input(s, reports[which], TODAY), root / f"{which}-{i}.docx")

            steps = {"floor": floor, "draft": draft, "draft×10": lambda i: draft(i, "x10")}
            for i in range(RUNS + 1):
                for name, step in steps.items():
                    t0 = time.perf_counter()
                    step(i)
                    if i:  # the first round pays for imports, template and font caches
                        times[name].append(time.perf_counter() - t0)
            figures = len(draft_input(s1, m1, TODAY).current.figures)
            periods = (s1.query(Report).count(), s10.query(Report).count())
        small.dispose()
        large.dispose()
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio, growth = med["draft"] / med["floor"], med["draft×10"] / med["draft"]
    print(f"monthly draft ({figures} figures, chart + appendix; {periods[0]} vs {periods[1]} stored reports), "
          f"median of {RUNS} interleaved runs:")
    for name, v in med.items():
        print(f"  {name:9} {v * 1000:6.0f} ms")
    print(f"  draft {med['draft'] * 1000:.0f} ms — target < 1000 ms: {'OK' if med['draft'] < 1 else 'TOO SLOW'}")
    print(f"  draft/floor {ratio:.2f} — target < 6: {'OK' if ratio < 6 else 'TOO SLOW'}")
    print(f"  draft×10/draft {growth:.2f} — target < 1.2: {'OK' if growth < 1.2 else 'GROWS WITH DATA'}")


if __name__ == "__main__":
    main()
