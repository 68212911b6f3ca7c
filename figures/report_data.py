"""Stored reports as plain values (PeriodFigures) for the checks engine and drafting."""
from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Report
from db.repo import reports
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures


def period_figures(s: Session, report: Report) -> PeriodFigures:
    p = report.period
    figs = [FigureInput(f.indicator, f.value, f.denominator, f.stated_rate, f.note)
            for f in reports.figures_of(s, report.id)]
    return PeriodFigures(PeriodSpec(p.kind, p.start, p.end), figs)


def history_of(s: Session, report: Report, limit: int = 12) -> list[PeriodFigures]:
    """Prior reports of the same unit and period kind, newest first."""
    return [period_figures(s, r) for r in reports.prior_reports(s, report.unit_id, report.period.kind,
                                                                report.period.start, limit)]


def weeks_within(s: Session, report: Report) -> list[PeriodFigures]:
    """For a monthly (or longer) report, the unit's weekly reports lying inside its period."""
    p = report.period
    return [period_figures(s, r) for r in reports.reports_within(s, report.unit_id, "tuan", p.start, p.end)]
