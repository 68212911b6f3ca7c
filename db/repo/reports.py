"""Periods, reports and their figures. Every figure change writes a FigureRevision.

Concurrent writers (two officers of one unit, two bot processes on PostgreSQL) are safe: periods and reports
are created with INSERT … ON CONFLICT DO NOTHING, and every change to a report's content first takes the
report's row lock (`lock`), so figure revisions always record the value they replaced. SQLite serialises
writers itself (BEGIN IMMEDIATE).
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session, joinedload, object_session

from common.errors import ReportLocked
from db.models import Figure, FigureRevision, Period, Report, ReportStatus, utcnow
from db.repo.sql import insert_if_absent, is_postgres


def get_or_create_period(s: Session, kind: str, start: date, end: date, label: str) -> Period:
    q = select(Period).where(Period.kind == kind, Period.start == start, Period.end == end)
    p = s.scalar(q)
    if p is None:
        insert_if_absent(s, Period, {"kind": kind, "start": start, "end": end, "label": label})
        p = s.scalars(q).one()
    return p


def get_or_create_report(s: Session, unit_id: int, period: Period, created_by: int | None = None) -> Report:
    q = select(Report).where(Report.unit_id == unit_id, Report.period_id == period.id)
    r = s.scalar(q)
    if r is None:
        insert_if_absent(s, Report, {
            "unit_id": unit_id, "period_id": period.id, "created_by": created_by, "narrative": {}, "options": {},
            "status": ReportStatus.DRAFT, "request": "", "revision": 0})
        r = s.scalars(q).one()
    return r


def lock(s: Session, report: Report) -> Report:
    """Take the report's row lock for the rest of the transaction and reload it (status, text, revision), so
    what the caller reads next is what concurrent writers committed. Taken once per transaction; SQLite needs
    none (its write transactions are serial: BEGIN IMMEDIATE)."""
    held = s.info.setdefault("locked_reports", set())
    if report.id not in held and is_postgres(s):
        s.flush()
        s.execute(select(Report).options(joinedload(Report.period)).where(Report.id == report.id)
                  .with_for_update(of=Report).execution_options(populate_existing=True)
                  ).scalar_one()  # consumed: the object is refreshed (its period too: it is read next)
        held.add(report.id)
    return report


def ensure_editable(report: Report) -> None:
    if not ReportStatus(report.status).editable:
        raise ReportLocked(report.status)


TOUCHED = "touched_reports"  # session.info key: ids of the reports this transaction changed


def touch(report: Report) -> None:
    """Count a change of the report's content (figures, text, options); drafts remember the revision, and the
    history cache (figures/report_data.py) does not keep what this transaction may still roll back."""
    report.revision = (report.revision or 0) + 1
    s = object_session(report)
    if s is not None:
        s.info.setdefault(TOUCHED, set()).add(report.id)


def report_for_unit(s: Session, report_id: int, unit_id: int, lock: bool = False) -> Report | None:
    """A report, only if it belongs to `unit_id` (authorization is per unit); with `lock`, under its row lock
    (see `lock`) taken by the same statement."""
    q = select(Report).options(joinedload(Report.period)).where(Report.id == report_id, Report.unit_id == unit_id)
    held = s.info.setdefault("locked_reports", set())
    if not (lock and is_postgres(s)) or report_id in held:
        return s.scalar(q)
    report = s.scalar(q.with_for_update(of=Report).execution_options(populate_existing=True))
    if report is not None:
        held.add(report.id)
    return report


def figures_of(s: Session, report_id: int) -> list[Figure]:
    return list(s.scalars(select(Figure).where(Figure.report_id == report_id).order_by(Figure.indicator)))


_FIGURES = "report_figures"  # session.info key: report id -> its figures, read under the lock


def current_figures(s: Session, report: Report) -> dict[str, Figure]:
    """The report's figures under its lock, fresh from the database once per transaction; the writes below keep
    the result current (a caller that checks values before writing and the write share one read). Read in a
    statement after the lock's: on PostgreSQL a statement that waited for the lock still reads other tables
    as they were when it started (the lock and the figures in one statement let revisions record stale values)."""
    lock(s, report)
    cache = s.info.setdefault(_FIGURES, {})
    if report.id not in cache:
        q = select(Figure).where(Figure.report_id == report.id).execution_options(populate_existing=True)
        cache[report.id] = {f.indicator: f for f in s.scalars(q)}
    return cache[report.id]


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, _previous) -> None:
    """A rollback (an officer error, a savepoint) undoes writes the read-once figures and held locks may reflect."""
    session.info.pop(_FIGURES, None)
    session.info.pop("locked_reports", None)


_NEW_FIGURE = ("report_id", "indicator", "value", "denominator", "stated_rate", "note", "updated_by", "source",
               "source_text")


class Values(NamedTuple):
    indicator: str
    value: float
    denominator: float | None = None
    stated_rate: float | None = None


class Written(NamedTuple):
    figure: Figure
    changed: bool
    old: tuple[float, float | None, float | None] | None  # (value, denominator, rate) before; None if new


class Batch(NamedTuple):
    written: list[Written]  # in the order given
    figures: list[Figure]  # all the report's figures after the batch


def set_figures(s: Session, report: Report, items: list[Values], *, officer_id: int | None = None,
                source: str = "", source_text: str = "") -> Batch:
    """Insert or update figures, one revision per change (unchanged values write none), in one flush."""
    current = current_figures(s, report)
    ensure_editable(report)
    written, revisions, added, text = [], [], [], source_text[:2000]
    for item in items:
        f = current.get(item.indicator)
        old = (f.value, f.denominator, f.stated_rate) if f else None
        new = (float(item.value), item.denominator, item.stated_rate)
        if f is not None and old == new:
            written.append(Written(f, False, old))
            continue
        if f is None:  # inserted below with the others, in one statement
            f = current[item.indicator] = Figure(report_id=report.id, indicator=item.indicator, note="")
            added.append(f)
        f.value, f.denominator, f.stated_rate = new
        f.updated_by, f.source, f.source_text = officer_id, source, text
        o = old or (None, None, None)
        revisions.append({"report_id": report.id, "indicator": item.indicator, "action": "set", "old_value": o[0],
                          "new_value": new[0], "old_denominator": o[1], "new_denominator": new[1], "old_rate": o[2],
                          "new_rate": new[2], "officer_id": officer_id, "source": source, "source_text": text})
        written.append(Written(f, True, old))
    if revisions:
        touch(report)
        s.flush()
        if added:
            s.execute(insert(Figure), [{c: getattr(f, c) for c in _NEW_FIGURE} | {"updated_at": utcnow()}
                                       for f in added])
            s.info[_FIGURES].pop(report.id)  # the inserted rows are read again if this transaction needs them
        s.execute(insert(FigureRevision), revisions)  # one statement for the whole batch
    return Batch(written, sorted(current.values(), key=lambda f: f.indicator))


def set_figure(s: Session, report: Report, indicator: str, value: float, *, denominator: float | None = None,
               stated_rate: float | None = None, officer_id: int | None = None, source: str = "",
               source_text: str = "") -> Written:
    """Insert or update one figure (see set_figures)."""
    return set_figures(s, report, [Values(indicator, value, denominator, stated_rate)], officer_id=officer_id,
                       source=source, source_text=source_text).written[0]


def delete_figure(s: Session, report: Report, indicator: str, *, officer_id: int | None = None,
                  source: str = "", source_text: str = "") -> bool:
    current = current_figures(s, report)
    ensure_editable(report)
    f = current.pop(indicator, None)
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
