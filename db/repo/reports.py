"""Periods, reports and their figures. Every figure change writes a FigureRevision."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import OfficerError
from db.models import Figure, FigureRevision, Period, Report


class ReportLocked(OfficerError):
    def __init__(self) -> None:
        super().__init__("Báo cáo này đã được duyệt nên không sửa được số liệu. "
                         "Lãnh đạo có thể mở lại báo cáo nếu cần sửa.")


def get_or_create_period(s: Session, kind: str, start: date, end: date, label: str) -> Period:
    p = s.scalar(select(Period).where(Period.kind == kind, Period.start == start, Period.end == end))
    if p is None:
        p = Period(kind=kind, start=start, end=end, label=label)
        s.add(p)
        s.flush()
    return p


def get_or_create_report(s: Session, unit_id: int, period: Period, created_by: int | None = None) -> Report:
    r = s.scalar(select(Report).where(Report.unit_id == unit_id, Report.period_id == period.id))
    if r is None:
        r = Report(unit_id=unit_id, period_id=period.id, created_by=created_by, narrative={}, options={})
        s.add(r)
        s.flush()
    return r


def report_for_unit(s: Session, report_id: int, unit_id: int) -> Report | None:
    """A report, only if it belongs to `unit_id` (authorization is per unit)."""
    return s.scalar(select(Report).where(Report.id == report_id, Report.unit_id == unit_id))


def figures_of(s: Session, report_id: int) -> list[Figure]:
    return list(s.scalars(select(Figure).where(Figure.report_id == report_id).order_by(Figure.indicator)))


def _ensure_editable(report: Report) -> None:
    if report.status == "approved":
        raise ReportLocked()


def set_figure(s: Session, report: Report, indicator: str, value: float, *, denominator: float | None = None,
               stated_rate: float | None = None, note: str | None = None, officer_id: int | None = None,
               source: str = "", source_text: str = "") -> tuple[Figure, bool]:
    """Insert or update one figure; returns (figure, changed). Unchanged values write no revision."""
    _ensure_editable(report)
    f = s.scalar(select(Figure).where(Figure.report_id == report.id, Figure.indicator == indicator))
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
    s.flush()
    return f, True


def delete_figure(s: Session, report: Report, indicator: str, *, officer_id: int | None = None,
                  source: str = "", source_text: str = "") -> bool:
    _ensure_editable(report)
    f = s.scalar(select(Figure).where(Figure.report_id == report.id, Figure.indicator == indicator))
    if f is None:
        return False
    s.add(FigureRevision(report_id=report.id, indicator=indicator, action="delete", old_value=f.value,
                         old_denominator=f.denominator, old_rate=f.stated_rate, officer_id=officer_id,
                         source=source, source_text=source_text[:2000]))
    s.delete(f)
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
