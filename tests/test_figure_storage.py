"""Repositories on SQLite and PostgreSQL: revisions, locking, de-duplication, state."""
from datetime import date

import pytest

from common.errors import ReportLocked
from db import migrate
from db.models import Officer, Unit
from db.repo import channel_state, reports
from db.session import Database


@pytest.fixture
def store(db_url):
    migrate.upgrade(db_url)
    db = Database(db_url)
    with db.session() as s:
        s.add(Unit(code="u1", name="xã A", level="xa"))
        s.add(Officer(display_name="A"))
    yield db
    db.dispose()


def _report(s):
    p = reports.get_or_create_period(s, "tuan", date(2023, 8, 17), date(2023, 8, 23), "tuần 17/8 - 23/8/2023")
    return reports.get_or_create_report(s, 1, p)


def test_every_change_is_a_revision_and_unchanged_values_are_not(store):
    with store.session() as s:
        r = _report(s)
        assert reports.set_figure(s, r, "cccd.thu_nhan", 59, officer_id=1, source="console:-")[1]
        assert reports.set_figure(s, r, "cccd.thu_nhan", 60, officer_id=1)[1]
        assert not reports.set_figure(s, r, "cccd.thu_nhan", 60, officer_id=1)[1]
        assert reports.delete_figure(s, r, "cccd.thu_nhan", officer_id=1)
    with store.session() as s:
        r = _report(s)
        revs = reports.revisions_of(s, r.id)
        assert [(v.action, v.old_value, v.new_value) for v in revs] == [
            ("set", None, 59), ("set", 59, 60), ("delete", 60, None)]
        assert reports.figures_of(s, r.id) == []


def test_approved_report_is_locked(store):
    with store.session() as s:
        r = _report(s)
        reports.set_figure(s, r, "cccd.thu_nhan", 60)
        r.status = "approved"
    with store.session() as s:
        r = _report(s)
        with pytest.raises(ReportLocked):
            reports.set_figure(s, r, "cccd.thu_nhan", 61)
    with store.session() as s:
        assert reports.figures_of(s, _report(s).id)[0].value == 60


def test_update_is_claimed_once(store):
    with store.session() as s:
        assert channel_state.claim_update(s, "telegram", "42")
        assert not channel_state.claim_update(s, "telegram", "42")
        assert channel_state.claim_update(s, "zalo", "42")
    with store.session() as s:
        assert not channel_state.claim_update(s, "telegram", "42")


def test_rolled_back_update_is_not_claimed(store):
    with pytest.raises(RuntimeError), store.session() as s:
        channel_state.claim_update(s, "telegram", "7")
        reports.set_figure(s, _report(s), "cccd.thu_nhan", 1)
        raise RuntimeError("crash mid-update")
    with store.session() as s:
        assert channel_state.claim_update(s, "telegram", "7")
        assert reports.figures_of(s, _report(s).id) == []


def test_conversation_state_persists_json(store):
    with store.session() as s:
        st = channel_state.load_state(s, "zalo", "c1")
        st.flow, st.data = "intake", {"report_id": 3, "pending": ["cccd.cap_moi"]}
    with store.session() as s:
        st = channel_state.load_state(s, "zalo", "c1")
        assert (st.flow, st.data) == ("intake", {"report_id": 3, "pending": ["cccd.cap_moi"]})
