"""Check findings of a stored report: the checks engine (figures/checks.py) run on the report and its unit's
history, kept in the `findings` table in step with the figures.

A finding is identified by its fingerprint (rule, indicators, numbers): one the officer resolved is not
raised again for the same numbers; an open one the engine no longer raises becomes "fixed".
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import clock
from db.models import Finding, Report
from db.repo import findings as findings_repo
from db.repo import reports
from figures.checks import ERROR, check_report
from figures.history_rules import COMPLETENESS_RULES
from figures.report_data import history_of, period_figures, period_spec, weeks_within
from figures.types import FigureInput, PeriodFigures
from figures.unit_catalogue import unit_catalogue

OPEN, FIXED, KEPT, CONFIRMED = "open", "fixed", "kept", "confirmed"


def run_checks(s: Session, report: Report, *, complete: bool = True,
               current: list[FigureInput] | None = None) -> list[Finding]:
    """Re-run the engine on the stored report and sync the findings table; returns the newly raised rows.

    With complete=False (figures still arriving) rules about absent figures are not run: their findings stay
    open until the figure is given. Runs under the report's row lock, so two checks never race on the table.
    `current`: the report's figures when the caller has just read them (saves reading them again).
    """
    reports.lock(s, report)
    unit = report.unit
    now = period_figures(s, report) if current is None else PeriodFigures(period_spec(report), current)
    found = check_report(now, history_of(s, report), catalogue=unit_catalogue(s, report.unit_id),
                         weeks=weeks_within(s, report),
                         profile={"population": unit.population, "population_14plus": unit.population_14plus},
                         complete=complete)
    rows = {r.fingerprint: r for r in s.scalars(select(Finding).where(Finding.report_id == report.id))}
    raised, new = set(), []
    for f in found:
        raised.add(f.fingerprint)
        row = rows.get(f.fingerprint)
        if row is None:
            row = Finding(report_id=report.id, fingerprint=f.fingerprint, rule=f.rule, severity=f.severity,
                          indicators=list(f.indicators), message=f.message, suggestion=f.suggestion, status=OPEN)
            s.add(row)
            new.append(row)
        elif row.status == FIXED:  # the same numbers are back
            row.status, row.resolved_at = OPEN, None
            new.append(row)
    at, given = clock.now(), {f.indicator for f in now.figures}
    for fp, row in rows.items():
        if row.status != OPEN or fp in raised:
            continue
        if complete or row.rule not in COMPLETENESS_RULES or set(row.indicators) <= given:
            row.status, row.resolved_at = FIXED, at
    if new:
        s.flush()  # the new rows' ids name their buttons
    return new


def is_absence(row: Finding) -> bool:
    """A finding about a figure that is absent this period (shown to the officer as one grouped point)."""
    return row.rule in COMPLETENESS_RULES


def display_order(row: Finding) -> tuple[bool, bool]:
    """Errors first, then other warnings, then absent figures."""
    return row.severity != ERROR, is_absence(row)


def open_findings(s: Session, report: Report) -> list[Finding]:
    return sorted(findings_repo.with_status(s, report.id, OPEN), key=display_order)


def open_errors(s: Session, report: Report) -> list[Finding]:
    """Errors still open after a fresh, complete check: while any remain, the report cannot be submitted."""
    run_checks(s, report, complete=True)
    return [r for r in open_findings(s, report) if r.severity == ERROR]


def kept_findings(s: Session, report: Report) -> list[Finding]:
    """Findings the officer kept with a reason (resolution_note), e.g. for the draft's explanations."""
    return findings_repo.with_status(s, report.id, KEPT)


def resolve(row: Finding, status: str, note: str, officer_id: int | None) -> None:
    """Close a finding: kept (with the officer's reason) or confirmed (a warning the officer says is right)."""
    row.status, row.resolution_note = status, note
    row.resolved_by, row.resolved_at = officer_id, clock.now()
