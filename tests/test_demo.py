import pytest
from sqlalchemy import func, select

from bot.demo import seed_demo
from db.models import Figure, FigureRevision, Membership, Officer, Period, Report
from db.repo import reports

pytestmark = pytest.mark.two_dates


def _counts(db):
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in
                     (Officer, Membership, Period, Report, Figure, FigureRevision))


def test_demo_is_idempotent(app, today):
    db, _ = app
    with db.session() as s:
        seed_demo(s, today)
    first = _counts(db)
    with db.session() as s:
        seed_demo(s, today)
    assert _counts(db) == first


def test_demo_has_history_for_comparisons(demo_app):
    db, _ = demo_app
    with db.session() as s:
        kinds = [p.kind for p in s.scalars(select(Period))]
        assert kinds.count("tuan") >= 8 and kinds.count("thang") >= 3
        for r in s.scalars(select(Report)):
            figs = {f.indicator: f.value for f in reports.figures_of(s, r.id)}
            assert figs["cccd.thu_nhan"] == figs["cccd.cap_moi"] + figs["cccd.cap_doi"] + figs["cccd.cap_lai"]
            assert figs["dvc.thuong_tru.truc_tuyen"] <= figs["dvc.thuong_tru.tiep_nhan"]


def test_months_contain_their_weeks(demo_app):
    db, _ = demo_app
    with db.session() as s:
        unit_id = 1
        for month in s.scalars(select(Period).where(Period.kind == "thang")):
            weeks = reports.reports_within(s, unit_id, "tuan", month.start, month.end)
            mrep = s.scalar(select(Report).where(Report.period_id == month.id))
            m = {f.indicator: f.value for f in reports.figures_of(s, mrep.id)}
            total = sum(f.value for w in weeks for f in reports.figures_of(s, w.id) if f.indicator == "cccd.cap_moi")
            assert total <= m["cccd.cap_moi"]
