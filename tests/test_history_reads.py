"""A report's history as the checks see it, on SQLite and PostgreSQL: always what is committed, although the
process keeps it between updates (a change from another process, a new prior week, a rolled-back change)."""
from datetime import date, timedelta

import pytest

from db import migrate
from db.models import Unit
from db.repo import reports
from db.session import Database
from figures.report_data import history_of

MONDAY = date(2026, 11, 2)


@pytest.fixture
def dbs(db_url):
    """Two Database objects on one database: two bot processes."""
    migrate.upgrade(db_url)
    one, two = Database(db_url), Database(db_url)
    with one.session() as s:
        s.add(Unit(code="u1", name="xã A", level="xa"))
    for week in range(3):
        with one.session() as s:
            reports.set_figure(s, _week(s, week), "cccd.thu_nhan", 10 + week)
    yield one, two
    one.dispose()
    two.dispose()


def _week(s, n: int):
    start = MONDAY + timedelta(weeks=n)
    p = reports.get_or_create_period(s, "tuan", start, start + timedelta(days=6), f"tuần {n}")
    return reports.get_or_create_report(s, 1, p)


def _seen(db, week: int = 3) -> list[float]:
    """The values of cccd.thu_nhan in the history of week `week`, newest first."""
    with db.session() as s:
        return [f.value for h in history_of(s, _week(s, week)) for f in h.figures if f.indicator == "cccd.thu_nhan"]


def test_a_change_committed_elsewhere_is_seen_on_the_next_read(dbs):
    one, two = dbs
    assert _seen(one) == [12, 11, 10]
    with two.session() as s:
        reports.set_figure(s, _week(s, 1), "cccd.thu_nhan", 99)
    assert _seen(one) == [12, 99, 10]
    with two.session() as s:
        reports.delete_figure(s, _week(s, 0), "cccd.thu_nhan")
    assert _seen(one) == [12, 99]


def test_a_new_prior_week_is_seen(dbs):
    one, two = dbs
    assert _seen(one, week=5) == [12, 11, 10]
    with two.session() as s:
        reports.set_figure(s, _week(s, 4), "cccd.thu_nhan", 40)
    assert _seen(one, week=5) == [40, 12, 11, 10]


def test_a_rolled_back_change_is_not_kept(dbs):
    one, _ = dbs
    assert _seen(one) == [12, 11, 10]
    with one.session() as s:
        reports.set_figure(s, _week(s, 1), "cccd.thu_nhan", 77)
        assert [f.value for h in history_of(s, _week(s, 3)) for f in h.figures] == [12, 77, 10]
        s.rollback()
    # a committed change that counts as many revisions as the rolled-back one is read, not taken for it
    with one.session() as s:
        reports.set_figure(s, _week(s, 1), "cccd.thu_nhan", 55)
    assert _seen(one) == [12, 55, 10]


def test_a_rolled_back_change_leaves_the_committed_history(dbs):
    one, _ = dbs
    with one.session() as s:
        reports.set_figure(s, _week(s, 1), "cccd.thu_nhan", 77)
        history_of(s, _week(s, 3))
        s.rollback()
    assert _seen(one) == [12, 11, 10]
