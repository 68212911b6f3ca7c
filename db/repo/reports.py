"""Periods, reports and their figures. Every figure change writes a FigureRevision.

Concurrent writers (two officers of one unit, two bot processes on PostgreSQL) are safe: periods and reports
are created with INSERT … ON CONFLICT DO NOTHING, and every change to a report's content first takes the
report's row lock (`lock`), so figure revisions always record the value they replaced. SQLite serialises
writers itself (BEGIN IMMEDIATE).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from common.errors import ReportLocked
from db.models import Figure, FigureRevision, Period, Report, ReportStatus


def _insert_if_absent(s: Session, table: Table, values: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a concurrent insert of the same key is not an error."""
    dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    s.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())


def get_or_create_period(s: Session, kind: str, start: date, end: date, label: str) -> Period:
    q = select(Period).where(Period.kind == kind, Period.start == start, Period.end == end)
    p = s.scalar(q)
    if p is None:
        _insert_if_absent(s, Period.__table__, {"kind": kind, "start": start, "end": end, "label": label})
        p = s.scalars(q).one()
    return p


def get_or_create_report(s: Session, unit_id: int, period: Period, created_by: int | None = None) -> Report:
    q = select(Report).where(Report.unit_id == unit_id, Report.period_id == period.id)
    r = s.scalar(q)
    if r is None:
        _insert_if_absent(s, Report.__table__, {
            "unit_id": unit_id, "period_id": period.id, "created_by": created_by, "narrative": {}, "options": {},
            "status": ReportStatus.DRAFT, "request": "", "revision": 0})
        r = s.scalars(q).one()
    return r


def lock(s: Session, report: Report) -> Report:
    """Take the report's row lock for the rest of the transaction and reload it (status, text, revision), so
    what the caller reads next is what concurrent writers committed. Taken once per transaction."""
    held = s.info.setdefault("locked_reports", set())
    if report.id not in held:
        s.flush()
        s.execute(select(Report).where(Report.id == report.id).with_for_update()
                  .execution_options(populate_existing=True))
        held.add(report.id)
    return report


def ensure_editable(report: Report) -> None:
    if not ReportStatus(report.status).editable:
        raise ReportLocked(report.status)


def touch(report: Report) -> None:
    """Count a change of the report's content (figures, text, options); drafts remember the revision."""
    report.revision = (report.revision or 0) + 1


def report_for_unit(s: Session, report_id: int, unit_id: int) -> Report | None:
    """A report, only if it belongs to `unit_id` (authorization is per unit)."""
    return s.scalar(select(Report).where(Report.id == report_id, Report.unit_id == unit_id))


def figures_of(s: Session, report_id: int) -> list[Figure]:
    return list(s.scalars(select(Figure).where(Figure.report_id == report_id).order_by(Figure.indicator)))


def _current(s: Session, report: Report, indicator: str) -> Figure | None:
    return s.scalar(select(Figure).where(Figure.report_id == report.id, Figure.indicator == indicator)
                    .execution_options(populate_existing=True))


def set_figure(s: Session, report: Report, indicator: str, value: float, *, denominator: float | None = None,
               stated_rate: float | None = None, note: str | None = None, officer_id: int | None = None,
               source: str = "", source_text: str = "") -> tuple[Figure, bool]:
    """Insert or update one figure; returns (figure, changed). Unchanged values write no revision."""
    lock(s, report)
    ensure_editable(report)
    f = _current(s, report, indicator)
    old = (f.value, f.denominator, f.stated_rate) if f else (None, None, None)
    new = (float(value), denominator, stated_rate)
    if f is not None and old == new and (note is None or note == f.note):
        return f, False
    if f is None:
        f = Figure(report_id=report.id, indicator=indicator, value=new[0])
        s.add(f)
    f.value, f.denominator, f.stated_rate = new
    if note is not None:
        f.note = note
    f.updated_by, f.source, f.source_text = officer_id, source, source_text[:2000]
    s.add(FigureRevision(report_id=report.id, indicator=indicator, action="set", old_value=old[0],
                         new_value=new[0], old_denominator=old[1], new_denominator=new[1], old_rate=old[2],
                         new_rate=new[2], officer_id=officer_id, source=source, source_text=source_text[:2000]))
    touch(report)
    s.flush()
    return f, True


def delete_figure(s: Session, report: Report, indicator: str, *, officer_id: int | None = None,
                  source: str = "", source_text: str = "") -> bool:
    lock(s, report)
    ensure_editable(report)
    f = _current(s, report, indicator)
    if f is None:
        return False
    s.add(FigureRevision(report_id=report.id, indicator=indicator, action="delete", old_value=f.value,
                         old_denominator=f.denominator, old_rate=f.stated_rate, officer_id=officer_id,
                         source=source, source_text=source_text[:2000]))
    s.delete(f)
    touch(report)
    s.flush()
    return True


def revisions_of(s: Session, report_id: int) -> list[FigureRevision]:
    return list(s.scalars(select(FigureRevision).where(FigureRevision.report_id == report_id)
                          .order_by(FigureRevision.id)))


def prior_reports(s: Session, unit_id: int, kind: str, before: date, limit: int = 12) -> list[Report]:
    """The unit's reports of the same period kind that end before `before`, newest first."""
    q = (select(Report).join(Period).where(Report.unit_id == unit_id, Period.kind == kind, Period.end < before)
         .order_by(Period.end.desc()).limit(limit))
    return list(s.scalars(q))


def reports_within(s: Session, unit_id: int, kind: str, start: date, end: date) -> list[Report]:
    """The unit's reports of `kind` lying inside [start, end] (e.g. the weeks of a month)."""
    q = (select(Report).join(Period).where(Report.unit_id == unit_id, Period.kind == kind,
                                           Period.start >= start, Period.end <= end).order_by(Period.start))
    return list(s.scalars(q))
