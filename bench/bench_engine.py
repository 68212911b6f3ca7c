"""Benchmark of the conversation engine: an officer entering a weekly report, message by message.

For 0, 12 and 52 prior weekly periods of history, on SQLite (and PostgreSQL when TEST_POSTGRES_URL or the local
server answers), it sends the scripted weekly report (WEEKLY below: ten figure messages) through Engine.handle
and reports updates per second, SQL statements per update, and the ratio of an update's time to its floor —
a bare ORM transaction that claims an update id and writes one figure and its revision — measured interleaved
in the same run (the two alternate, so machine load hits both alike).

Targets (issue 15): ≥ 150 updates/s on SQLite and ≥ 100/s on PostgreSQL per process; per-update time flat
from 0 to 52 prior periods.

Run: .venv/bin/python bench/bench_engine.py [--rounds N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, event, text  # noqa: E402

from bot.demo import _weekly_figures as weekly_figures  # noqa: E402
from bot.demo import grant_console_officers  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from common.clock import StartedClock, local_instant, use_clock  # noqa: E402
from common.settings import Settings  # noqa: E402
from db import migrate  # noqa: E402
from db.models import Figure, FigureRevision, ProcessedUpdate  # noqa: E402
from db.repo import access, reports  # noqa: E402
from db.session import Database  # noqa: E402
from figures.periods import current_period, previous_period  # noqa: E402

TODAY = date(2026, 11, 25)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WEEKLY = ["cấp CCCD {a}, mới {b}, đổi 11, lại 16", "định danh {c}", "kích hoạt mức 1 5, mức 2 {d}",
          "tuyên truyền {e} lượt", "tin bài 2", "loa 12", "tiếp nhận trực tuyến {f}, trực tiếp 20, bưu chính 1",
          "thường trú 12, trực tuyến 11", "tạm trú 4, trực tuyến 4", "lưu trú 25, trực tuyến 25"]


def _script(round_no: int) -> list[str]:
    """The weekly report with values that change every round; after the first round a changed value waits for
    the officer's "thay" (an overwrite is never silent), so a round writes every figure it changes."""
    k = round_no % 7
    v = {"a": 27 + 33 + k, "b": 33 + k, "c": 54 + k, "d": 30 + k, "e": 500 + k, "f": 30 + k}
    out = []
    for m in WEEKLY:
        out.append(m.format(**v))
        if round_no and "{" in m:
            out.append("thay")
    return out


def _setup(url: str, history: int, data_dir: Path) -> Engine:
    migrate.upgrade(url)
    db = Database(url)
    with db.session() as s:
        unit = access.create_unit(s, "xa-bench", "xã Thử")
        grant_console_officers(s, unit, [("cb", "Cán bộ", "reporter")])
        week = current_period("tuan", TODAY)
        for _ in range(history):
            week = previous_period(week)
            report = reports.get_or_create_report(
                s, unit.id, reports.get_or_create_period(s, week.kind, week.start, week.end, week.label))
            for ind, (value, den) in weekly_figures(week).items():
                s.add(Figure(report_id=report.id, indicator=ind, value=value, denominator=den))
    return Engine(db, Settings(_env_file=None, data_dir=data_dir, database_url=url))


def _floor(db: Database, n: int) -> None:
    """The bare ORM transaction an update cannot do without: claim its id, write a figure and its revision."""
    with db.session() as s:
        s.add(ProcessedUpdate(channel="bench", update_id=f"floor-{n}"))
        f = s.get(Figure, 1)
        f.value += 1
        s.add(FigureRevision(report_id=f.report_id, indicator=f.indicator, action="set", old_value=f.value - 1,
                             new_value=f.value))


def measure(url: str, history: int, rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        engine = _setup(url, history, Path(tmp))
        statements = [0]
        event.listen(engine.db.engine, "before_cursor_execute",
                     lambda *a, **k: statements.__setitem__(0, statements[0] + 1))
        upd, flo, n, per_update = [], [], 0, []
        for r in range(rounds + 1):  # round 0 warms caches (catalogue, parser, templates)
            for msg in _script(r):
                n += 1
                t0 = time.perf_counter()
                c0 = statements[0]
                engine.handle(Incoming("console", "cb", "cb", msg, update_id=f"u{n}"))
                t1 = time.perf_counter()
                used = statements[0] - c0
                _floor(engine.db, n)
                t2 = time.perf_counter()
                if r:
                    upd.append(t1 - t0)
                    flo.append(t2 - t1)
                    per_update.append(used)
        engine.db.dispose()
    u, f = statistics.median(upd), statistics.median(flo)
    return {"updates_per_s": 1 / u, "ms": u * 1000, "floor_ms": f * 1000, "ratio": u / f,
            "statements": statistics.median(per_update), "max_statements": max(per_update)}


@contextmanager
def database(name: str, tmp: str) -> Iterator[str | None]:
    """A fresh database URL: a SQLite file, or a throw-away PostgreSQL schema (None without a server)."""
    if name == "sqlite":
        yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    schema = "bench_" + uuid.uuid4().hex[:8]
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception:  # noqa: BLE001 - no server: SQLite only
        yield None
        return
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=6)
    args = ap.parse_args()
    with use_clock(StartedClock(local_instant(TODAY, 10))):
        print(f"{'db':<10} {'history':>7} {'upd/s':>7} {'ms/upd':>7} {'floor ms':>8} {'ratio':>6} {'stmts':>5}")
        for name in ("sqlite", "postgres"):
            for history in (0, 12, 52):
                with tempfile.TemporaryDirectory() as tmp, database(name, tmp) as url:
                    if url is None:
                        print(f"{name:<10} (no server)")
                        break
                    m = measure(url, history, args.rounds)
                print(f"{name:<10} {history:>7} {m['updates_per_s']:>7.0f} {m['ms']:>7.1f} {m['floor_ms']:>8.2f} "
                      f"{m['ratio']:>6.1f} {m['statements']:>5.0f}")


if __name__ == "__main__":
    main()
