"""Stored reports as plain values (PeriodFigures) for the checks engine and drafting.

A report's history is read in one statement, whatever its length: checks run after every figure message, so
this is on the hot path of the conversation. The process also keeps recent histories with a token of the
unit's prior reports (how many, the newest id, the sum of their revisions — every figure change counts a
revision, so the token only grows); a later update reads the one-row token instead of the figures, and reads
them again when the token differs (another process's change included).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from db.models import Figure, Period, Report
from db.repo.reports import TOUCHED
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


_COLUMNS = (Report.id, Period.kind, Period.start, Period.end, Figure.indicator, Figure.value, Figure.denominator,
            Figure.stated_rate, Figure.note)


def _load_stmt(q: Select, *extra) -> Select:
    """The statement reading the reports `q` selects (Report.id, ordered and limited as wanted), their periods
    and all their figures, with the `extra` scalar columns on each row."""
    ids = q.subquery()
    return (select(*_COLUMNS, *extra)
            .join(Period, Report.period_id == Period.id).outerjoin(Figure, Figure.report_id == Report.id)
            .where(Report.id.in_(select(ids.c.id)))
            .order_by(Period.start, Report.id, Figure.indicator))


def _load(s: Session, stmt: Select, params: dict | None = None) -> tuple[dict[int, PeriodFigures], tuple]:
    """PeriodFigures by report id (in period order) from a `_load_stmt`, and the values of its extra columns."""
    out: dict[int, PeriodFigures] = {}
    row: Sequence = ()
    for row in s.execute(stmt, params):
        rid, kind, start, end, ind, value, den, rate, note = row[:9]
        pf = out.get(rid)
        if pf is None:
            pf = out[rid] = PeriodFigures(PeriodSpec(kind, start, end), [])
        if ind is not None:
            pf.figures.append(FigureInput(ind, value, den, rate, note))
    return out, tuple(row[9:])


def _reports_of(unit_id: int, kind: str) -> Select:
    return select(Report.id).join(Period).where(Report.unit_id == unit_id, Period.kind == kind)


def period_spec(report: Report) -> PeriodSpec:
    p = report.period
    return PeriodSpec(p.kind, p.start, p.end)


def period_figures(s: Session, report: Report) -> PeriodFigures:
    return PeriodFigures(period_spec(report), _figures_by_report(s, [report.id])[report.id])


_KEPT = 256  # histories kept per process, the least recently stored dropped first
# (database, unit id, period kind, period start, limit) -> (token, history newest first)
_histories: OrderedDict[tuple, tuple[tuple, tuple[PeriodFigures, ...]]] = OrderedDict()
_histories_lock = threading.Lock()
_NO_HISTORY = (0, None, 0)  # the token of a unit without prior reports

# Built once (this runs on every figure message); parameters: unit_id, kind, before, limit.
_PRIOR = (Report.unit_id == bindparam("unit_id"), Period.kind == bindparam("kind"),
          Period.end < bindparam("before"))
_TOKEN_OF = (func.count(Report.id), func.max(Report.id), func.coalesce(func.sum(Report.revision), 0))
_TOKEN = select(*_TOKEN_OF).select_from(Report).join(Period).where(*_PRIOR)
_HISTORY = _load_stmt(
    select(Report.id).join(Period).where(*_PRIOR).order_by(Period.end.desc()).limit(bindparam("limit")),
    *(select(agg).select_from(Report).join(Period).where(*_PRIOR).correlate(None).scalar_subquery()
      for agg in _TOKEN_OF))


def history_of(s: Session, report: Report, limit: int = 12) -> list[PeriodFigures]:
    """Prior reports of the same unit and period kind, newest first (shared values: do not modify them)."""
    p = report.period
    key = (str(s.get_bind().engine.url), report.unit_id, p.kind, p.start, limit)
    params = {"unit_id": report.unit_id, "kind": p.kind, "before": p.start, "limit": limit}
    kept = _histories.get(key)
    if kept is not None and tuple(s.execute(_TOKEN, params).one()) == kept[0]:
        return list(kept[1])
    by_report, token = _load(s, _HISTORY, params)
    history = tuple(by_report.values())[::-1]
    if not s.info.get(TOUCHED, set()) - {report.id}:  # no change to the unit's history may still roll back
        with _histories_lock:  # channels handle updates in several threads
            _histories[key] = (token or _NO_HISTORY, history)
            _histories.move_to_end(key)
            if len(_histories) > _KEPT:
                _histories.popitem(last=False)
    return list(history)


def weeks_within(s: Session, report: Report) -> list[PeriodFigures]:
    """For a monthly (or longer) report, the unit's weekly reports lying inside its period."""
    p = report.period
    if p.kind == "tuan":
        return []
    return list(_load(s, _load_stmt(_reports_of(report.unit_id, "tuan")
                                    .where(Period.start >= p.start, Period.end <= p.end)))[0].values())
