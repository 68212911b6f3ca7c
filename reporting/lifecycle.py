"""A report's status and the steps that change it, each checked against the table below and audited.

    draft ──submit──► submitted ──approve──► approved
      ▲                 │  ▲                   │
      │              return│  └──submit── returned ◄──reopen──┘
      └─────────────────┘ (returned reports are edited, then submitted again)

Only a draft or returned report can change (figures, text); a submitted one is locked for the reporter until
the approver returns it; an approval names the draft version the approver saw and is refused if the report
changed since. Every transition writes an `audit_events` row ("report.submit" …) with who and what.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import clock
from common.errors import InvalidInput, NotAuthorized, TransitionRefused
from db.models import AuditEvent, Draft, Officer, Report, ReportStatus
from db.repo import access, people, reports, units
from drafting.render import RenderResult
from drafting.versions import latest, new_version
from reporting.findings import open_errors

MAX_ERRORS_LISTED = 5


class Action(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


D, S, A, R = ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED
TRANSITIONS: dict[Action, tuple[frozenset[ReportStatus], ReportStatus]] = {
    Action.SUBMIT: (frozenset({D, R}), S),
    Action.APPROVE: (frozenset({S}), A),
    Action.RETURN: (frozenset({S}), R),
    Action.REOPEN: (frozenset({A}), R),
}
_REFUSED = {  # (action, current status) -> why not, for the officer; any other refusal: _NOT_WAITING
    (Action.SUBMIT, S): "Báo cáo đã được trình và đang chờ lãnh đạo duyệt.",
    (Action.SUBMIT, A): "Báo cáo đã được duyệt.",
    (Action.REOPEN, D): "Báo cáo chưa được duyệt nên không cần mở lại.",
    (Action.REOPEN, S): "Báo cáo chưa được duyệt nên không cần mở lại.",
    (Action.REOPEN, R): "Báo cáo chưa được duyệt nên không cần mở lại.",
}
_NOT_WAITING = "Báo cáo này không còn chờ duyệt."


def allowed(action: Action, status: str) -> bool:
    return ReportStatus(status) in TRANSITIONS[action][0]


def transition(s: Session, report: Report, action: Action, officer_id: int | None, detail: str = "") -> None:
    """Move the report along the table (under its row lock), stamp who and when, and audit it."""
    reports.lock(s, report)
    current = ReportStatus(report.status)
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise TransitionRefused(_REFUSED.get((action, current), _NOT_WAITING))
    now = clock.now()
    report.status = target
    if action is Action.SUBMIT:
        report.submitted_at, report.submitted_by = now, officer_id
    elif action is Action.APPROVE:
        report.approved_at, report.approved_by = now, officer_id
    elif action is Action.REOPEN:
        report.approved_at, report.approved_by = None, None
    access.audit(s, f"report.{action}", officer_id, report.unit_id, detail, report_id=report.id)


@dataclass
class Submission:
    draft: Draft
    rendered: RenderResult
    approvers: list[Officer]


def submit(s: Session, report: Report, officer_id: int, drafts_dir: Path, today: date) -> Submission:
    """Submit for approval: needs figures, no open check errors and an approver; renders the version sent."""
    reports.lock(s, report)
    if not allowed(Action.SUBMIT, report.status):
        raise TransitionRefused(_REFUSED.get((Action.SUBMIT, ReportStatus(report.status)), _NOT_WAITING))
    if not reports.figures_of(s, report.id) and not units.has_children(s, report.unit_id):  # a province's
        raise TransitionRefused("Báo cáo chưa có số liệu nào nên chưa trình được.")  # figures are its communes'

    errors = open_errors(s, report)
    if errors:
        listed = "\n".join(f"- {e.message}" for e in errors[:MAX_ERRORS_LISTED])
        raise TransitionRefused(f"Chưa trình được: báo cáo còn {len(errors)} lỗi cần sửa hoặc giữ nguyên kèm lý "
                                f"do:\n{listed}\nGõ /kiemtra để xử lý.")
    approvers = people.approvers_of(s, report.unit_id)
    if not approvers:
        raise TransitionRefused("Đơn vị chưa có lãnh đạo duyệt báo cáo. Vui lòng liên hệ quản trị viên.")
    draft, rendered = new_version(s, report, drafts_dir, today, created_by=officer_id, note="bản trình duyệt")
    transition(s, report, Action.SUBMIT, officer_id, f"v{draft.version}")
    return Submission(draft, rendered, approvers)


def approve(s: Session, report: Report, officer_id: int, version: int | None = None) -> Draft | None:
    """Approve the version the approver saw (the latest unless named); refused if the report changed since,
    or if the approver submitted it and the unit does not allow self-approval. Returns that version."""
    reports.lock(s, report)
    if not allowed(Action.APPROVE, report.status):
        raise TransitionRefused(_NOT_WAITING)
    if report.submitted_by == officer_id and not report.unit.self_approval:
        raise NotAuthorized("Anh/chị đã trình báo cáo này nên không tự duyệt được. Đề nghị lãnh đạo khác duyệt, "
                            "hoặc quản trị viên cho phép tự duyệt trong đơn vị.")
    shown = latest(s, report.id)
    if version is not None and (shown is None or shown.version != version):
        newer = f" (phiên bản {shown.version})" if shown else ""
        raise TransitionRefused(f"Báo cáo đã có dự thảo mới hơn phiên bản {version}{newer}. Anh/chị vui lòng xem "
                                "bản mới rồi duyệt.")
    if shown is not None and shown.report_revision is not None and shown.report_revision != report.revision:
        raise TransitionRefused(f"Số liệu báo cáo đã thay đổi sau dự thảo phiên bản {shown.version}, nên chưa "
                                "duyệt được. Đề nghị cán bộ tạo lại dự thảo và trình lại.")
    transition(s, report, Action.APPROVE, officer_id, f"v{shown.version}" if shown else "")
    return shown


def return_(s: Session, report: Report, officer_id: int, reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("Vui lòng ghi lý do trả lại.")
    transition(s, report, Action.RETURN, officer_id, reason.strip())


def reopen(s: Session, report: Report, officer_id: int, reason: str) -> None:
    """Unlock an approved report for corrections (audited with the reason)."""
    if not allowed(Action.REOPEN, report.status):
        raise TransitionRefused(_REFUSED[(Action.REOPEN, ReportStatus(report.status))])
    if not reason.strip():
        raise InvalidInput("Vui lòng ghi lý do mở lại, ví dụ: /molai cần bổ sung số liệu định danh.")
    transition(s, report, Action.REOPEN, officer_id, reason.strip())


def submitter(s: Session, report: Report) -> int | None:
    """Who submitted the report last (older rows have it only in the audit trail)."""
    if report.submitted_by is not None:
        return report.submitted_by
    return s.scalar(select(AuditEvent.officer_id).where(AuditEvent.report_id == report.id,
                                                        AuditEvent.action == "report.submit")
                    .order_by(AuditEvent.id.desc()).limit(1))
