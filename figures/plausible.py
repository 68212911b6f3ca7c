"""Whether a value read for an indicator can be stored at all, with the reason in Vietnamese when not.

Negative counts, fractions of a counted unit, "x/0" with x > 0 and values beyond the catalogue's plausible range
(knowledge/indicators.yaml `plausible`, per kind, unit and level, an indicator's own `max`) are refused: they are
typos ("3 tỷ", "1e20"), never figures. Whether figures agree with each other is the checks engine's job.
"""
from __future__ import annotations

from datetime import date

from common.vnnum import fmt_num
from figures.parsed import Problem
from figures.period_phrases import FIRST_YEAR, YEARS_AHEAD
from figures.periods import KIND_NAMES, PeriodSpec
from knowledge.catalogue import Catalogue


def value_problem(cat: Catalogue, indicator: str, value: float, denominator: float | None = None, *,
                  period_kind: str | None = None, level: str | None = None, text: str = "") -> Problem | None:
    """Why `value` (and `denominator`) cannot be stored for `indicator`, or None when it can: what
    `range_problem` refuses, plus negative values and fractions of a counted unit."""
    ind = cat.get(indicator)
    if ind is None:
        return Problem("unknown_indicator", text, f"«{indicator}»: không rõ chỉ tiêu.", indicator)
    name = ind.name
    if value < 0 or (denominator is not None and denominator < 0):
        return Problem("negative", text, f"«{name}»: số liệu không được âm ({_shown(value, denominator)}).",
                       indicator)
    if ind.unit != "%":
        for v in (value, denominator):
            if v is not None and not float(v).is_integer():
                return Problem("not_integer", text, f"«{name}» được đếm bằng {ind.unit} nên phải là số nguyên "
                                                    f"(anh/chị gõ {fmt_num(v, 2)}).", indicator)
    return range_problem(cat, indicator, value, denominator, period_kind=period_kind, level=level, text=text)


def range_problem(cat: Catalogue, indicator: str, value: float, denominator: float | None = None, *,
                  period_kind: str | None = None, level: str | None = None, text: str = "") -> Problem | None:
    """Typos the parser itself refuses: beyond the plausible range ("3 tỷ"), or "x/0" with x > 0."""
    ind = cat.get(indicator)
    if ind is None:
        return None
    name, shown = ind.name, _shown(value, denominator)
    if denominator == 0 and value > 0:
        return Problem("zero_denominator", text, f"«{name}»: {shown} — tổng số không thể bằng 0 khi đã thực hiện "
                                                 f"{fmt_num(value)}; anh/chị kiểm tra lại.", indicator)
    limit = cat.limit(indicator, period_kind, level)
    biggest = max(value, denominator or 0)
    if limit is not None and biggest > limit:
        within = f" trong một báo cáo {KIND_NAMES[period_kind]}" if period_kind in KIND_NAMES else ""
        unit = "" if ind.unit == "%" else f" {ind.unit}"
        return Problem("out_of_range", text,
                       f"«{name}»: {fmt_num(biggest, 2)}{unit}{within} là quá lớn (tối đa {fmt_num(limit)}), "
                       f"có thể gõ nhầm; anh/chị kiểm tra lại.", indicator)
    return None


def _shown(value: float, denominator: float | None) -> str:
    return fmt_num(value, 2) + (f"/{fmt_num(denominator, 2)}" if denominator is not None else "")


def unreadable(fragment: str) -> Problem:
    return Problem("unreadable", fragment, f"Không đọc được số «{fragment}»; anh/chị gõ lại giúp "
                                           f"(ví dụ 1.234, 04/04 hoặc 58,8%).")


def period_problem(period: PeriodSpec, today: date, text: str = "") -> Problem:
    return Problem("period_out_of_range", text,
                   f"Kỳ {period.label} nằm ngoài khoảng báo cáo ({FIRST_YEAR} – {today.year + YEARS_AHEAD}).")
