"""Report status as the province reads it: the one place that knows the stored status strings, so a switch to
an enum touches only this module."""
from __future__ import annotations

DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
MISSING = "missing"  # no report row at all for the period (not a stored status)

STATUS_NAMES = {DRAFT: "đang soạn", SUBMITTED: "chờ duyệt", APPROVED: "đã duyệt", RETURNED: "bị trả lại",
                MISSING: "chưa có báo cáo"}


def is_approved(status: str) -> bool:
    return status == APPROVED


def is_submitted(status: str) -> bool:
    """Handed in by the commune: waiting for its leader's approval, or approved."""
    return status in (SUBMITTED, APPROVED)
