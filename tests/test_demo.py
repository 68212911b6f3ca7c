from datetime import UTC

import pytest
from sqlalchemy import func, select

from bot.demo import seed_demo
from db.models import Figure, FigureRevision, Membership, Officer, Period, Report, Unit
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
        for r in s.scalars(select(Report).join(Unit, Unit.id == Report.unit_id).where(Unit.level == "xa")):
            figs = {f.indicator: f.value for f in reports.figures_of(s, r.id)}
            assert figs["cccd.thu_nhan"] == figs["cccd.cap_moi"] + figs["cccd.cap_doi"] + figs["cccd.cap_lai"]
            assert figs["dvc.thuong_tru.truc_tuyen"] <= figs["dvc.thuong_tru.tiep_nhan"]


def test_months_contain_their_weeks(demo_app):
    db, _ = demo_app
    with db.session() as s:
        unit_id = 1
        for month in s.scalars(select(Period).where(Period.kind == "thang")):
            weeks = reports.reports_within(s, unit_id, "tuan", month.start, month.end)
            mrep = s.scalar(select(Report).where(Report.period_id == month.id, Report.unit_id == unit_id))
            m = {f.indicator: f.value for f in reports.figures_of(s, mrep.id)}
            total = sum(f.value for w in weeks for f in reports.figures_of(s, w.id) if f.indicator == "cccd.cap_moi")
            assert total <= m["cccd.cap_moi"]


def test_demo_province_has_thirty_communes_with_varied_histories(province_app):
    from bot.demo import DEMO_UNIT
    from bot.demo_province import MISSING_COMMUNE, PROVINCE
    from common.clock import VIETNAM
    from db.repo import people, units
    from figures.periods import PeriodSpec
    from province.deadlines import DeadlineRule, deadline

    db, _ = province_app
    with db.session() as s:
        province = people.unit_by_code(s, PROVINCE)
        communes = units.communes_of(s, province.id)
        assert len(communes) == 30 and DEMO_UNIT in {u.code for u in communes}
        weeks = {}
        for r in s.scalars(select(Report).join(Period).where(Period.kind == "tuan",
                                                            Report.unit_id.in_([u.id for u in communes]))):
            weeks.setdefault(r.period.start, []).append(r)
        missing = [start for start, rs in weeks.items() if len(rs) == 29]
        assert missing and all(people.unit_by_code(s, MISSING_COMMUNE).id not in {r.unit_id for r in weeks[m]}
                               for m in missing)
        approved = [r for rs in weeks.values() for r in rs if r.status == "approved"]
        assert all(r.submitted_at is not None and r.approved_at >= r.submitted_at for r in approved)
        late = [r for r in approved if r.submitted_at.replace(tzinfo=UTC) > deadline(
            DeadlineRule.of(r.unit), PeriodSpec(r.period.kind, r.period.start, r.period.end), VIETNAM)]
        assert 0 < len(late) < len(approved) / 4  # some late, most on time
        assert {r.status for rs in weeks.values() for r in rs} >= {"approved"}
