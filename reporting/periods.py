"""A unit's report for a period: found or created, also when two officers name a new period at once."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Period, Report, Unit
from db.repo import reports
from figures.periods import Calendar, PeriodSpec


def unit_calendar(unit: Unit) -> Calendar:
    return Calendar(week_start_weekday=unit.week_start_weekday, month_start_day=unit.month_start_day)


def open_report(s: Session, unit: Unit, spec: PeriodSpec, created_by: int | None = None) -> Report:
    """The unit's report for `spec`, created (with its period) when it does not exist yet."""
    period = reports.get_or_create_period(s, spec.kind, spec.start, spec.end, spec.label)
    return reports.get_or_create_report(s, unit.id, period, created_by)


def existing_report(s: Session, unit: Unit, spec: PeriodSpec) -> Report | None:
    return s.scalar(select(Report).join(Period).where(
        Report.unit_id == unit.id, Period.kind == spec.kind, Period.start == spec.start, Period.end == spec.end))
