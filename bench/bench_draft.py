"""Benchmark of the draft renderer: a full monthly draft of the demo commune, with chart and appendix.

Builds the demo database in a temp dir, takes its latest month (with the earlier demo months as history), times
draft_input (database reads) + render (sentences, chart PNG, docxtpl DOCX) over several runs after one
warm-up run (imports, template and font caches). Target: median < 1 s.

Run: .venv/bin/python bench/bench_draft.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
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

RUNS = 15
TODAY = date(2026, 11, 25)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))
        db, _ = build(settings)
        with db.session() as s:
            seed_demo(s, TODAY, province=False)  # the demo commune alone: its latest month is drafted
        with db.session() as s:
            month = s.scalar(select(Report).join(Period).where(Period.kind == "thang").order_by(Period.end.desc()))
            times, figures = [], 0
            for i in range(RUNS + 1):
                t0 = time.perf_counter()
                inp = draft_input(s, month, TODAY)
                result = render(inp, Path(tmp) / f"thang-{i}.docx")
                elapsed = time.perf_counter() - t0
                if i:  # the first run pays for imports and caches
                    times.append(elapsed)
                figures = len(inp.current.figures)
            assert result.chart is not None, "the monthly draft must carry its chart"
    med = statistics.median(times)
    print(f"monthly draft ({figures} figures, {len(inp.history)} prior months, chart + appendix): "
          f"median {med * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"over {RUNS} runs — target < 1000 ms: {'OK' if med < 1 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
