"""The reporting service's status rules, on SQLite and PostgreSQL: every transition allowed or refused by the
table, submission preconditions, locking while submitted, approvals that name what the approver saw."""
from datetime import date

import pytest
from sqlalchemy import select

from common.errors import InvalidInput, NotAuthorized, ReportLocked, TransitionRefused
from db import migrate
from db.models import AuditEvent, Draft, Membership, Officer, Report, ReportStatus, Unit
from db.repo import reports
from db.session import Database
from figures.periods import current_period
from reporting import content, lifecycle
from reporting.lifecycle import TRANSITIONS, Action

DAY = date(2026, 11, 25)
CONSISTENT = [("cccd.thu_nhan", 60), ("cccd.cap_moi", 33), ("cccd.cap_doi", 11), ("cccd.cap_lai", 16)]


@pytest.fixture
def db(db_url):
    migrate.upgrade(db_url)
    database = Database(db_url)
    with database.session() as s:
        unit = Unit(code="xa-a", name="xã A", level="xa", recipients=[])
        reporter, approver = Officer(display_name="Cán bộ"), Officer(display_name="Lãnh đạo")
        s.add_all([unit, reporter, approver])
        s.flush()
        s.add_all([Membership(officer_id=reporter.id, unit_id=unit.id, role="reporter"),
                   Membership(officer_id=approver.id, unit_id=unit.id, role="approver")])
        spec = current_period("tuan", DAY)
        period = reports.get_or_create_period(s, spec.kind, spec.start, spec.end, spec.label)
        reports.get_or_create_report(s, unit.id, period)
    yield database
    database.dispose()


REPORTER, APPROVER = 1, 2


def _report(s) -> Report:
    return s.scalars(select(Report)).one()


def _fill(s, figures=CONSISTENT) -> Report:
    r = _report(s)
    for ind, v in figures:
        reports.set_figure(s, r, ind, v, officer_id=REPORTER)
    return r


def _submit(db, tmp_path) -> None:
    with db.session() as s:
        lifecycle.submit(s, _fill(s), REPORTER, tmp_path, DAY)


@pytest.mark.parametrize("status", list(ReportStatus))
@pytest.mark.parametrize("action", list(Action))
def test_every_transition_follows_the_table(db, action, status):
    with db.session() as s:
        _report(s).status = status
    sources, target = TRANSITIONS[action]
    with db.session() as s:
        r = _report(s)
        if status in sources:
            lifecycle.transition(s, r, action, APPROVER, "why")
        else:
            with pytest.raises(TransitionRefused):
                lifecycle.transition(s, r, action, APPROVER, "why")
    with db.session() as s:
        events = [(e.action, e.detail) for e in s.scalars(select(AuditEvent))]
        if status in sources:
            assert _report(s).status == target and events == [(f"report.{action}", "why")]
        else:
            assert _report(s).status == status and events == []


def test_only_draft_and_returned_reports_can_change():
    assert {s for s in ReportStatus if s.editable} == {ReportStatus.DRAFT, ReportStatus.RETURNED}


def test_submit_needs_figures_no_open_errors_and_an_approver(db, tmp_path):
    with db.session() as s, pytest.raises(TransitionRefused, match="chưa có số liệu"):
        lifecycle.submit(s, _report(s), REPORTER, tmp_path, DAY)
    with db.session() as s:
        r = _fill(s, [("cccd.thu_nhan", 59), *CONSISTENT[1:]])  # 33 + 11 + 16 = 60, not 59
        with pytest.raises(TransitionRefused, match="1 lỗi"):
            lifecycle.submit(s, r, REPORTER, tmp_path, DAY)
    with db.session() as s:
        r = _fill(s)
        s.execute(Membership.__table__.update().where(Membership.role == "approver").values(active=False))
        with pytest.raises(TransitionRefused, match="chưa có lãnh đạo"):
            lifecycle.submit(s, r, REPORTER, tmp_path, DAY)
    with db.session() as s:
        assert _report(s).status == ReportStatus.DRAFT


def test_submission_renders_the_version_sent_and_locks_the_report(db, tmp_path):
    _submit(db, tmp_path)
    with db.session() as s:
        r = _report(s)
        assert (r.status, r.submitted_by) == (ReportStatus.SUBMITTED, REPORTER)
        [draft] = s.scalars(select(Draft)).all()
        assert (draft.version, draft.report_revision) == (1, r.revision) and r.revision == len(CONSISTENT)
        assert [(e.action, e.detail) for e in s.scalars(select(AuditEvent))] == [("report.submit", "v1")]
        with pytest.raises(ReportLocked, match="chờ lãnh đạo duyệt"):
            reports.set_figure(s, r, "cccd.thu_nhan", 61)
        with pytest.raises(ReportLocked):
            content.set_narrative(s, r, "kien_nghi", "Đề nghị …")
    with db.session() as s:
        assert {f.indicator: f.value for f in reports.figures_of(s, _report(s).id)}["cccd.thu_nhan"] == 60


def test_approval_names_the_version_and_refuses_a_changed_report(db, tmp_path):
    _submit(db, tmp_path)
    with db.session() as s, pytest.raises(TransitionRefused, match="mới hơn phiên bản 7"):
        lifecycle.approve(s, _report(s), APPROVER, version=7)
    with db.session() as s:  # the content moved on after version 1 was rendered (e.g. an old database)
        _report(s).revision += 1
    with db.session() as s, pytest.raises(TransitionRefused, match="đã thay đổi sau dự thảo phiên bản 1"):
        lifecycle.approve(s, _report(s), APPROVER, version=1)
    with db.session() as s:
        _report(s).revision -= 1
    with db.session() as s:
        shown = lifecycle.approve(s, _report(s), APPROVER, version=1)
        assert shown.version == 1 and _report(s).status == ReportStatus.APPROVED
        assert _report(s).approved_by == APPROVER


def test_the_submitter_cannot_approve_unless_the_unit_allows_it(db, tmp_path):
    with db.session() as s:
        s.add(Membership(officer_id=REPORTER, unit_id=1, role="approver"))
    _submit(db, tmp_path)
    with db.session() as s, pytest.raises(NotAuthorized):
        lifecycle.approve(s, _report(s), REPORTER)
    with db.session() as s:
        s.get(Unit, 1).self_approval = True
    with db.session() as s:
        lifecycle.approve(s, _report(s), REPORTER)
        assert _report(s).status == ReportStatus.APPROVED


def test_return_and_reopen_need_a_reason(db, tmp_path):
    _submit(db, tmp_path)
    with db.session() as s:
        with pytest.raises(InvalidInput):
            lifecycle.return_(s, _report(s), APPROVER, "  ")
        with pytest.raises(TransitionRefused, match="chưa được duyệt"):
            lifecycle.reopen(s, _report(s), APPROVER, "sửa")
        lifecycle.approve(s, _report(s), APPROVER)
    with db.session() as s:
        with pytest.raises(InvalidInput):
            lifecycle.reopen(s, _report(s), APPROVER, "")
        lifecycle.reopen(s, _report(s), APPROVER, "bổ sung số liệu")
        r = _report(s)
        assert (r.status, r.approved_by) == (ReportStatus.RETURNED, None)
        reports.set_figure(s, r, "cccd.thu_nhan", 61, officer_id=REPORTER)  # editable again
