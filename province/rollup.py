"""Province totals computed by code from the communes' approved reports.

Counts are summed; a figure given as x/y (value/denominator) is summed on both sides and its rate is
recomputed from the sums, never averaged; cumulative and stock figures are summed the same way. A commune
without an approved report for the period is left out (never carried forward from an earlier period), and each
total records which communes it includes. The province's own figures (sở, ngành) may be added on top.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from common.vnnum import rate
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import Catalogue


@dataclass(frozen=True)
class Total:
    indicator: str
    value: float
    denominator: float | None  # None when any included figure lacks one (a rate would be wrong)
    units: tuple[str, ...]  # codes of the communes summed
    own: bool = False  # the province's own figure is added on top

    @property
    def rate(self) -> float | None:
        return rate(self.value, self.denominator) if self.denominator is not None else None


@dataclass
class Rollup:
    period: PeriodSpec
    communes: list[str]  # every commune of the province, by code
    included: list[str]  # those whose approved report is summed
    totals: dict[str, Total] = field(default_factory=dict)

    @property
    def coverage(self) -> str:
        """'28/30'."""
        return f"{len(self.included)}/{len(self.communes)}"

    def ratio(self, numerator: str, denominator: str | None = None) -> float | None:
        """A rate from summed parts: numerator/denominator totals, or an x/y total's own sums."""
        num = self.totals.get(numerator)
        if num is None:
            return None
        if denominator is None:
            return num.rate
        den = self.totals.get(denominator)
        return rate(num.value, den.value) if den is not None else None

    def as_period_figures(self) -> PeriodFigures:
        return PeriodFigures(self.period, [FigureInput(t.indicator, t.value, t.denominator)
                                           for t in self.totals.values()])


CONSOLIDATING_LEVELS = ("tinh", "huyen")  # units whose figures are their communes' (a legacy district too)


def consolidates(level: str) -> bool:
    """Whether a unit of this level reports its communes' totals rather than figures of its own."""
    return level in CONSOLIDATING_LEVELS


def _summable(cat: Catalogue, indicator: str) -> bool:
    ind = cat.get(indicator)
    return ind is None or ind.unit != "%"  # a bare percentage cannot be added up


def roll_up(cat: Catalogue, period: PeriodSpec, communes: Iterable[str],
            approved: Mapping[str, Iterable[FigureInput]], own: Iterable[FigureInput] = ()) -> Rollup:
    """Totals over `approved` (commune code -> figures of its approved report), plus the province's `own`."""
    communes = list(communes)
    included = [c for c in communes if c in approved]
    sums: dict[str, list] = {}  # indicator -> [value, denominator or None, units, complete, own]
    for code, figs in [*((c, approved[c]) for c in included), ("", own)]:
        for f in figs:
            if not _summable(cat, f.indicator):
                continue
            acc = sums.setdefault(f.indicator, [0.0, 0.0, [], True, False])
            acc[0] += f.value
            if f.denominator is None:
                acc[3] = False
            else:
                acc[1] += f.denominator
            if code:
                acc[2].append(code)
            else:
                acc[4] = True
    totals = {i: Total(i, v, d if complete else None, tuple(units), is_own)
              for i, (v, d, units, complete, is_own) in sums.items()}
    return Rollup(period, communes, included, totals)
