"""Two bot processes writing for one unit at the same moment (PostgreSQL and SQLite): both officers name the
same new periods, change the same figure and add to the same narrative part. Nothing may fail, nothing may be
lost, and every figure revision must record the value it replaced."""
from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import select

from bot.demo import grant_console_officers
from db import migrate
from db.models import FigureRevision, Period, Report
from db.repo import access
from db.session import Database

MONTHS = [f"tháng {m:02d}/{y}" for y in (2024, 2025) for m in range(1, 13)]
SAME_FIGURE = 70  # messages per officer that change one figure of one report
APPENDS = 8  # narrative additions per officer (each renders a draft)
OFFICERS = ("can_bo_an", "can_bo_binh")
WORDS = "một hai ba bốn năm sáu bảy tám chín mười".split()


def _officer_messages(user: str) -> list[list[str]]:
    """The officer's messages, phase by phase (both processes start each phase together)."""
    base = 100 if user == OFFICERS[0] else 5000
    return [
        [f"{month}: cấp CCCD 60, mới 33, đổi 11, lại 16" for month in MONTHS],
        [f"sửa định danh thành {base + i}" for i in range(SAME_FIGURE)],
        [f"thêm vào kiến nghị: {user} đề nghị điều {WORDS[i]}" for i in range(APPENDS)]  # no digits: text,
    ]


def _run_officer(url: str, data_dir: str, user: str, barrier, results) -> None:
    from bot.engine import Engine
    from bot.messages import Incoming
    from common.settings import Settings

    settings = Settings(_env_file=None, data_dir=data_dir, database_url=url)
    engine = Engine(Database(url), settings)
    failed = n = 0
    for phase in _officer_messages(user):
        barrier.wait(timeout=120)
        for text in phase:
            n += 1
            replies = engine.handle(Incoming("console", user, user, text, update_id=f"{user}-{n}"))
            failed += any("Xin lỗi, hệ thống gặp lỗi" in r.text for r in replies)
    results.put((user, n, failed))


@pytest.fixture
def shared_unit(db_url, tmp_path):
    migrate.upgrade(db_url)
    db = Database(db_url)
    with db.session() as s:
        grant_console_officers(s, access.create_unit(s, "xa-dua", "xã Đua"), [(u, u, "reporter") for u in OFFICERS])
    yield db
    db.dispose()


@pytest.mark.slow
def test_two_processes_lose_nothing_and_fail_nothing(shared_unit, db_url, tmp_path):
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(len(OFFICERS)), ctx.Queue()
    procs = [ctx.Process(target=_run_officer, args=(db_url, str(tmp_path / user), user, barrier, results))
             for user in OFFICERS]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
    outcome = sorted(results.get(timeout=5) for _ in procs)
    sent = sum(n for _, n, _ in outcome)
    assert sent >= 200 and [failed for _, _, failed in outcome] == [0, 0], outcome

    with shared_unit.session() as s:
        months = s.scalars(select(Period).where(Period.kind == "thang")).all()
        assert len(months) == len(MONTHS)  # each new period created once, none failed on a duplicate
        assert s.query(Report).count() == len(MONTHS)
        revs = s.scalars(select(FigureRevision).where(FigureRevision.indicator == "dinh_danh.ho_so")
                         .order_by(FigureRevision.id)).all()
        assert len(revs) == 2 * SAME_FIGURE  # every change kept (the two officers never send the same value)
        assert all(b.old_value == a.new_value for a, b in zip(revs, revs[1:], strict=False))
        report = s.get(Report, revs[0].report_id)
        lines = report.narrative["kien_nghi"].splitlines()
        assert sorted(lines) == sorted(f"{u} đề nghị điều {WORDS[i]}" for u in OFFICERS for i in range(APPENDS))
