"""Benchmark of /tonghop at province scale: a province of 100 communes with 2 years of weekly reports (10.400
reports, ~470.000 figures), on SQLite and on PostgreSQL.

The figure is the answer time of `/tonghop` through the real engine (one console message from the province's
tong_hop officer: completeness of the last week, totals of its approved communes, last week's for comparison).
Its floor, measured interleaved in the same run, is a bare ORM query of the same rows: the communes' reports for
the two weeks and their figures as ORM objects, nothing computed. Growth: the same at 10 communes (10× less data).
Figure revisions are not written (the roll-up never reads them). Target: median < 300 ms.

Run: .venv/bin/python bench/bench_province.py [--communes 100] [--weeks 104] [--runs 15]
PostgreSQL: TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test), a throw-away schema.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from bot.demo import _cumulative, _weekly_figures, grant_console_officers  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from common.clock import StartedClock, local_instant, use_clock  # noqa: E402
from common.settings import Settings  # noqa: E402
from db import migrate  # noqa: E402
from db.models import Figure, Period, Report, Unit  # noqa: E402
from db.session import Database  # noqa: E402
from figures.periods import current_period, previous_period  # noqa: E402
from province.deadlines import last_ended  # noqa: E402

TODAY = date(2026, 11, 25)
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_MS = 300


def seed(db: Database, communes: int, weeks: int) -> None:
    """A province, its communes and their weekly reports (most approved, a few in progress or missing), written
    with bulk inserts (ids chosen here) so the seeding does not dominate the run."""
    rnd = random.Random(communes)
    with db.session() as s:
        province = Unit(code="p", name="tỉnh Thử Nghiệm", level="tinh", recipients=[])
        s.add(province)
        s.flush()
        grant_console_officers(s, province, [("tong_hop", "Cán bộ tổng hợp", "tong_hop")])
        units = [Unit(code=f"x{i:03d}", name=f"xã Số {i}", level="xa", parent_id=province.id, recipients=[])
                 for i in range(communes)]
        s.add_all(units)
        week, specs = current_period("tuan", TODAY), []
        for _ in range(weeks):
            week = previous_period(week)
            specs.append(week)
        periods = [Period(kind="tuan", start=w.start, end=w.end, label=w.label) for w in specs]
        s.add_all(periods)
        s.flush()
        reps, figs = [], []
        for unit in units:
            for spec, period in zip(specs, periods):
                roll = rnd.random()
                if roll < 0.02:
                    continue  # missing
                rid = len(reps) + 1
                reps.append({"id": rid, "unit_id": unit.id, "period_id": period.id, "narrative": {}, "options": {},
                             "status": "draft" if roll < 0.07 else "approved", "request": ""})
                vals = {**_weekly_figures(spec, unit.id, 1 + unit.id % 4), **_cumulative(spec.end, specs[-1].start)}
                figs += [{"report_id": rid, "indicator": i, "value": float(v), "denominator": d, "source": "bench"}
                         for i, (v, d) in vals.items()]
        s.execute(insert(Report), reps)
        for n in range(0, len(figs), 50_000):
            s.execute(insert(Figure), figs[n:n + 50_000])
    if db.url.startswith("postgresql"):  # ids were given explicitly: move the sequences past them, then analyze
        with db.session() as s:
            s.execute(text("SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))"))
            s.execute(text("ANALYZE"))


def tonghop(engine: Engine) -> float:
    t = time.perf_counter()
    [reply] = engine.handle(Incoming(channel="console", chat_id="tong_hop", user_id="tong_hop", text="/tonghop"))
    elapsed = time.perf_counter() - t
    assert "Số liệu tổng hợp" in reply.text, reply.text
    return elapsed


def floor(db: Database) -> float:
    """The same rows as a bare ORM query: both weeks' reports of the communes, and their figures."""
    t = time.perf_counter()
    with db.session() as s:
        province = s.scalar(select(Unit).where(Unit.code == "p"))
        week = last_ended("tuan", province, TODAY)
        weeks = [week, previous_period(week)]
        ids = select(Unit.id).where(Unit.parent_id == province.id)
        reps = s.scalars(select(Report).join(Period).where(Report.unit_id.in_(ids), Period.kind == "tuan",
                                                           Period.start.in_([w.start for w in weeks]))).all()
        figs = s.scalars(select(Figure).where(Figure.report_id.in_([r.id for r in reps]))).all()
    assert figs
    return time.perf_counter() - t


def measure(url: str, data_dir: Path, communes: int, weeks: int, runs: int) -> dict:
    migrate.upgrade(url)
    db = Database(url)
    t = time.perf_counter()
    seed(db, communes, weeks)
    seeded = time.perf_counter() - t
    engine = Engine(db, Settings(_env_file=None, data_dir=data_dir, database_url=url))
    tonghop(engine), floor(db)  # warm-up: imports, catalogue, statement caches
    ours, base = [], []
    for _ in range(runs):  # interleaved, so load on the machine hits both alike
        gc.collect()  # neither pays for the garbage the other left (the floor makes ~6,000 ORM objects)
        ours.append(tonghop(engine))
        gc.collect()
        base.append(floor(db))
    db.dispose()
    return {"seed_s": seeded, "ms": statistics.median(ours) * 1000, "floor_ms": statistics.median(base) * 1000,
            "max_ms": max(ours) * 1000}


def backends(tmp: Path):
    yield "SQLite", lambda n: f"sqlite:///{(tmp / f'bench-{n}.sqlite3').as_posix()}", lambda url: None
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        admin.connect().close()
    except Exception as e:  # noqa: BLE001
        print(f"PostgreSQL not reachable ({type(e).__name__}); skipped")
        return
    schemas = []

    def url(n: int) -> str:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        schemas.append(schema)
        with admin.connect() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"

    def drop(_url: str) -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schemas.pop()}" CASCADE'))

    yield "PostgreSQL", url, drop
    admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, use_clock(StartedClock(local_instant(TODAY, 10))):
        for name, make_url, drop in backends(Path(tmp)):
            results = {}
            for n in (args.communes // 10, args.communes):
                url = make_url(n)
                results[n] = measure(url, Path(tmp) / f"data-{name}-{n}", n, args.weeks, args.runs)
                drop(url)
                r = results[n]
                print(f"{name}, {n} communes x {args.weeks} weeks (seeded in {r['seed_s']:.0f} s): /tonghop median "
                      f"{r['ms']:.0f} ms (max {r['max_ms']:.0f}), floor {r['floor_ms']:.0f} ms, "
                      f"ratio {r['ms'] / r['floor_ms']:.1f}")
            small, big = results[args.communes // 10], results[args.communes]
            verdict = "OK" if big["ms"] < TARGET_MS else "TOO SLOW"
            print(f"{name}: growth at 10x data {big['ms'] / small['ms']:.1f}x "
                  f"(floor {big['floor_ms'] / small['floor_ms']:.1f}x) — target < {TARGET_MS} ms at "
                  f"{args.communes} communes: {verdict}")


if __name__ == "__main__":
    main()
