"""A unit's own indicators ("chỉ tiêu riêng"): the stored rows, and which of the unit's reports hold figures of one.
What they mean (the catalogue with them) is knowledge/catalogue.py's; the rules for adding one, reporting's."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Figure, Report, Unit, UnitIndicator


def of_unit(s: Session, unit_id: int) -> list[UnitIndicator]:
    """The unit's own indicators, in the order they were added."""
    return list(s.scalars(select(UnitIndicator).where(UnitIndicator.unit_id == unit_id).order_by(UnitIndicator.id)))


def add(s: Session, unit_id: int, *, code: str, name: str, measure: str, section: str, parent: str | None = None,
        kind: str = "flow", aliases: list[str] | None = None, created_by: int | None = None) -> UnitIndicator:
    row = UnitIndicator(unit_id=unit_id, code=code, name=name, measure=measure, section=section, parent=parent,
                        kind=kind, aliases=list(aliases or []), created_by=created_by)
    s.add(row)
    s.flush()
    _bump(s, unit_id)
    return row


def remove(s: Session, row: UnitIndicator) -> None:
    s.delete(row)
    s.flush()
    _bump(s, row.unit_id)


def _bump(s: Session, unit_id: int) -> None:
    """Count a change of the unit's own indicators (in SQL: two writers at once get two numbers)."""
    s.execute(update(Unit).where(Unit.id == unit_id).values(indicators_revision=Unit.indicators_revision + 1))
    s.info.setdefault("indicators_changed", set()).add(unit_id)


def reports_with(s: Session, unit_id: int, indicator: str) -> int:
    """How many of the unit's reports hold a figure of `indicator`."""
    return s.scalar(select(func.count(Figure.id)).join(Report, Report.id == Figure.report_id)
                    .where(Report.unit_id == unit_id, Figure.indicator == indicator)) or 0
