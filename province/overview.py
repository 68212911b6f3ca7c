"""Everything a province looks at for one period, read in a few queries: its communes' report statuses
against their deadlines, the roll-up of the approved ones, the province's own figures, and the previous period
for comparisons."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row
from sqlalchemy.orm import Session

from db.models import Unit
from db.repo import units as units_repo
from figures.periods import PeriodSpec, previous_period
from figures.types import FigureInput
from knowledge.catalogue import Catalogue, load_catalogue
from province.completeness import Completeness, commune_status
from province.deadlines import DeadlineRule, calendar_of, deadline
from province.rollup import Rollup, roll_up
from province.status import is_approved


@dataclass
class PeriodData:
    period: PeriodSpec
    reports: dict[int, Row]  # commune id -> its report for the period (db/repo/units.reports_of)
    figures: dict[int, list[FigureInput]]  # report id -> figures (every commune report, any status)
    own_report: Row | None  # the province's own report for the period

    def figures_of(self, report: Row | None) -> list[FigureInput]:
        return self.figures.get(report.id, []) if report is not None else []


@dataclass
class Overview:
    unit: Unit
    communes: list[Unit]
    current: PeriodData
    previous: PeriodData | None
    completeness: Completeness
    cat: Catalogue

    @property
    def period(self) -> PeriodSpec:
        return self.current.period

    def rollup(self, data: PeriodData | None = None, with_own: bool = False,
               only: list[str] | None = None) -> Rollup:
        """The approved communes' totals for the period (or another, e.g. the previous one), optionally only over
        the communes `only` and with the province's own figures on top."""
        data = data or self.current
        approved = {u.code: data.figures_of(data.reports.get(u.id)) for u in self.communes
                    if u.id in data.reports and is_approved(data.reports[u.id].status)
                    and (only is None or u.code in only)}
        own = data.figures_of(data.own_report) if with_own else []
        return roll_up(self.cat, data.period, [u.code for u in self.communes], approved, own)

    def comparison(self, now: Rollup, with_own: bool = False) -> Rollup | None:
        """Last period's totals over the communes summed in `now`, so a change compares like with like (a commune
        approved now but not last period adds nothing to last period's total)."""
        if self.previous is None:
            return None
        return self.rollup(self.previous, with_own, only=now.included)

    @property
    def own_figures(self) -> list[FigureInput]:
        return self.current.figures_of(self.current.own_report)


def _period_data(s: Session, unit: Unit, communes: list[Unit], spec: PeriodSpec) -> PeriodData:
    period = units_repo.period_row(s, spec.kind, spec.start, spec.end)
    reports = units_repo.reports_of(s, [u.id for u in communes] + [unit.id], period)
    own = reports.pop(unit.id, None)
    rows = units_repo.figures_of_reports(s, [r.id for r in reports.values()] + ([own.id] if own else []))
    return PeriodData(spec, reports, {rid: [FigureInput(*f[1:]) for f in figs] for rid, figs in rows.items()}, own)


def overview(s: Session, unit: Unit, spec: PeriodSpec, now: datetime, tz: str, *, with_previous: bool = True,
             cat: Catalogue | None = None) -> Overview:
    communes = units_repo.communes_of(s, unit.id)
    current = _period_data(s, unit, communes, spec)
    previous = None
    if with_previous and spec.kind != "dot_xuat":
        previous = _period_data(s, unit, communes, previous_period(spec, calendar_of(unit)))
    rows = [commune_status(u.code, u.name, deadline(DeadlineRule.of(u), spec, tz), current.reports.get(u.id))
            for u in communes]
    return Overview(unit, communes, current, previous, Completeness(rows, now), cat or load_catalogue())
