"""Report status as the province reads it: the stored statuses (db.models.ReportStatus) plus "missing" for a
commune with no report for the period, with their words for a province officer."""
from __future__ import annotations

from db.models import ReportStatus
from knowledge.vocabulary import status_name

DRAFT, SUBMITTED, APPROVED, RETURNED = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED,
                                        ReportStatus.RETURNED)
MISSING = "missing"  # no report row at all for the period (not a stored status)

STATUS_NAMES: dict[str, str] = {**{s: status_name(s) for s in ReportStatus}, MISSING: "chưa có báo cáo"}


def is_approved(status: str) -> bool:
    return status == APPROVED


def is_submitted(status: str) -> bool:
    """Handed in by the commune: waiting for its leader's approval, or approved."""
    return status in (SUBMITTED, APPROVED)
