"""Check findings stored per report."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Finding


def with_status(s: Session, report_id: int, status: str) -> list[Finding]:
    return list(s.scalars(select(Finding).where(Finding.report_id == report_id, Finding.status == status)
                          .order_by(Finding.id)))
