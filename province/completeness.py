"""Who has reported: each commune's report status for a period, against its own deadline."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from province.status import APPROVED, MISSING, SUBMITTED, is_submitted


@dataclass(frozen=True)
class CommuneStatus:
    code: str
    name: str
    status: str  # draft | submitted | approved | returned | missing
    deadline: datetime
    handed_in: datetime | None  # when it was submitted (or approved, for reports without a submission time)

    def late(self, now: datetime) -> bool:
        """Handed in after the deadline, or not handed in and the deadline has passed."""
        if is_submitted(self.status):
            return self.handed_in is not None and self.handed_in > self.deadline
        return now > self.deadline


@dataclass
class Completeness:
    rows: list[CommuneStatus]
    now: datetime

    def with_status(self, *statuses: str) -> list[CommuneStatus]:
        return [r for r in self.rows if r.status in statuses]

    @property
    def approved(self) -> list[CommuneStatus]:
        return self.with_status(APPROVED)

    @property
    def waiting(self) -> list[CommuneStatus]:
        return self.with_status(SUBMITTED)

    @property
    def not_handed_in(self) -> list[CommuneStatus]:
        return [r for r in self.rows if not is_submitted(r.status)]

    def late(self, rows: list[CommuneStatus]) -> list[CommuneStatus]:
        return [r for r in rows if r.late(self.now)]


def aware(dt: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; they are UTC."""
    return dt.replace(tzinfo=UTC) if dt is not None and dt.tzinfo is None else dt


def commune_status(code: str, name: str, deadline: datetime, report) -> CommuneStatus:
    """From a stored report (or None)."""
    if report is None:
        return CommuneStatus(code, name, MISSING, deadline, None)
    return CommuneStatus(code, name, report.status, deadline, aware(report.submitted_at or report.approved_at))
