"""Recording figures in a report: validated against the catalogue, each change a revision.

A figure that cannot be stored as given (negative, a percentage over 100, a fraction of a counted thing, two
different values for one indicator in one message) is reported back as a problem in words for the officer,
and nothing of it is written; the others in the same batch are stored.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from common.errors import InvalidInput
from common.vnnum import fmt_num, fmt_pct, rate
from db.models import Report
from db.repo import reports
from figures.types import FigureInput
from knowledge.catalogue import Catalogue, Indicator

Values = tuple[float, float | None, float | None]  # value, denominator, stated rate


@dataclass(frozen=True)
class Change:
    indicator: str
    new: Values
    old: Values | None  # None: the indicator had no figure
    changed: bool  # False when the same values were given again


@dataclass
class Recorded:
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    current: list[FigureInput] | None = None  # all the report's figures after recording (None: nothing stored)

    @property
    def stored(self) -> list[str]:
        return [c.indicator for c in self.changes]


def values_for_change(s: Session, report: Report) -> dict[str, Values]:
    """The report's values under its lock, read once with the write that follows (db.repo.reports)."""
    return {k: (f.value, f.denominator, f.stated_rate) for k, f in reports.current_figures(s, report).items()}


def values_of(s: Session, report: Report) -> dict[str, Values]:
    """The report's current figures by indicator."""
    return {f.indicator: (f.value, f.denominator, f.stated_rate) for f in reports.figures_of(s, report.id)}


def value_problem(ind: Indicator | None, f: FigureInput) -> str | None:
    """Why a figure cannot be stored as it is, in words for the officer (None: it can)."""
    if ind is None:
        return f"«{f.indicator}»: không rõ chỉ tiêu."
    name = ind.name
    if f.value < 0 or (f.denominator is not None and f.denominator < 0):
        return f"«{name}»: số liệu không được âm."
    if ind.unit == "%":
        return f"«{name}»: tỷ lệ phải từ 0 đến 100%." if f.value > 100 else None
    for v in (f.value, f.denominator):
        if v is not None and not float(v).is_integer():
            return f"«{name}» được đếm bằng {ind.unit} nên phải là số nguyên (anh/chị gõ {fmt_num(v, 2)})."
    return None


def value_text(ind: Indicator | None, value: float, denominator: float | None = None,
               stated_rate: float | None = None) -> str:
    """'60 hồ sơ', '04/04 trường hợp (100%)', '13.274/13.303 hồ sơ, đạt 99,8%' (a stated rate as given)."""
    unit = ind.unit if ind else ""
    if unit == "%":
        return fmt_pct(value, 2)
    text = fmt_num(value, 2)
    if denominator is not None:
        text += "/" + fmt_num(denominator, 2)
    if unit:
        text += f" {unit}"
    if stated_rate is not None:
        text += f", đạt {fmt_pct(stated_rate, 2)}"
    elif denominator and (share := rate(value, denominator)) is not None:
        text += f" ({fmt_pct(share)})"
    return text


def record_figures(s: Session, report: Report, figs: list[FigureInput], cat: Catalogue, *,
                   officer_id: int | None, source: str = "", source_text: str = "") -> Recorded:
    """Store each valid figure (one revision per change); say why the others were not stored."""
    out = Recorded()
    by_indicator: dict[str, list[FigureInput]] = {}
    for f in figs:
        by_indicator.setdefault(f.indicator, []).append(f)
    valid: list[reports.Values] = []
    for ind_id, given in by_indicator.items():
        ind = cat.get(ind_id)
        if len({(f.value, f.denominator, f.rate) for f in given}) > 1:
            shown = " và ".join(value_text(ind, f.value, f.denominator, f.rate) for f in given)
            out.problems.append(f"«{ind.name if ind else ind_id}» có hai số khác nhau ({shown}): chưa ghi.")
            continue
        f = given[0]
        problem = value_problem(ind, f)
        if problem:
            out.problems.append(problem)
            continue
        valid.append(reports.Values(ind_id, float(f.value), f.denominator, f.rate))
    if valid:
        batch = reports.set_figures(s, report, valid, officer_id=officer_id, source=source, source_text=source_text)
        out.changes = [Change(v.indicator, (v.value, v.denominator, v.stated_rate), w.old, w.changed)
                       for v, w in zip(valid, batch.written, strict=True)]
        out.current = [FigureInput(f.indicator, f.value, f.denominator, f.stated_rate, f.note) for f in batch.figures]
    return out


FIELDS = ("value", "denominator", "rate")


def correct_field(s: Session, report: Report, indicator: str, field_name: str, number: float, *,
                  officer_id: int | None, source: str = "", source_text: str = "") -> None:
    """Change one part of a stored figure (the value, its denominator or its stated rate)."""
    current = values_of(s, report).get(indicator, (None, None, None))
    vals = dict(zip(FIELDS, current, strict=True))
    vals[field_name] = number
    if vals["value"] is None:
        raise InvalidInput("Chưa có số đã thực hiện cho chỉ tiêu này; vui lòng nhập số liệu trước.")
    reports.set_figure(s, report, indicator, vals["value"], denominator=vals["denominator"], stated_rate=vals["rate"],
                       officer_id=officer_id, source=source, source_text=source_text)


def previous_level(s: Session, report: Report, indicator: str) -> float:
    """The indicator's value in the newest earlier report of the same kind (0 when never reported)."""
    for prior in reports.prior_reports(s, report.unit_id, report.period.kind, report.period.start):
        for f in reports.figures_of(s, prior.id):
            if f.indicator == indicator:
                return f.value
    return 0.0
