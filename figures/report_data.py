"""Stored reports as plain values (PeriodFigures) for the checks engine and drafting.

A report's history is read in two statements (the reports, then all their figures), whatever its length:
checks run after every figure message, so this is on the hot path of the conversation.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from db.models import Figure, Period, Report
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures


def _figures_by_report(s: Session, report_ids: Sequence[int]) -> dict[int, list[FigureInput]]:
    out: dict[int, list[FigureInput]] = {rid: [] for rid in report_ids}
    if report_ids:
        q = (select(Figure.report_id, Figure.indicator, Figure.value, Figure.denominator, Figure.stated_rate,
                    Figure.note).where(Figure.report_id.in_(report_ids)).order_by(Figure.indicator))
        for rid, ind, value, den, rate, note in s.execute(q):
            out[rid].append(FigureInput(ind, value, den, rate, note))
    return out


def _load(s: Session, q: Select) -> list[PeriodFigures]:
    """PeriodFigures for the reports `q` selects (Report.id, ordered and limited as wanted): one statement
    reads the reports, their periods and all their figures."""
    ids = q.subquery()
    rows = s.execute(
        select(Report.id, Period.kind, Period.start, Period.end, Figure.indicator, Figure.value, Figure.denominator,
               Figure.stated_rate, Figure.note)
        .join(Period, Report.period_id == Period.id).outerjoin(Figure, Figure.report_id == Report.id)
        .where(Report.id.in_(select(ids.c.id)))
        .order_by(Period.start, Report.id, Figure.indicator))
    out: dict[int, PeriodFigures] = {}
    for rid, kind, start, end, ind, value, den, rate, note in rows:
        pf = out.setdefault(rid, PeriodFigures(PeriodSpec(kind, start, end), []))
        if ind is not None:
            pf.figures.append(FigureInput(ind, value, den, rate, note))
    return list(out.values())


def _reports_of(unit_id: int, kind: str) -> Select:
    return select(Report.id).join(Period).where(Report.unit_id == unit_id, Period.kind == kind)


def period_spec(report: Report) -> PeriodSpec:
    p = report.period
    return PeriodSpec(p.kind, p.start, p.end)


def period_figures(s: Session, report: Report) -> PeriodFigures:
    return PeriodFigures(period_spec(report), _figures_by_report(s, [report.id])[report.id])


def history_of(s: Session, report: Report, limit: int = 12) -> list[PeriodFigures]:
    """Prior reports of the same unit and period kind, newest first."""
    p = report.period
    latest = _load(s, _reports_of(report.unit_id, p.kind).where(Period.end < p.start)
                   .order_by(Period.end.desc()).limit(limit))
    return latest[::-1]


def weeks_within(s: Session, report: Report) -> list[PeriodFigures]:
    """For a monthly (or longer) report, the unit's weekly reports lying inside its period."""
    p = report.period
    if p.kind == "tuan":
        return []
    return _load(s, _reports_of(report.unit_id, "tuan").where(Period.start >= p.start, Period.end <= p.end)
                 .order_by(Period.start))
