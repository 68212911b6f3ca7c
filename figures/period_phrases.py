"""Recognise a reporting period named in a message: "tuần từ 17/8 đến 23/8/2023", "tháng 02/2024",
"quý III/2024", "6 tháng đầu năm", "năm 2023", "tuần này". Works on folded text; `today` fills missing years.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from figures.periods import Calendar, PeriodSpec, current_period, previous_period

DEFAULT_CALENDAR = Calendar()
_D = r"(\d{1,2})\s*/\s*(\d{1,2})"
_RANGE = re.compile(
    r"(?:\b(tuan|thang|ky|dot)\s+(?:bao\s+cao\s+)?)?\(?\s*(?:\btu\s+(?:ngay\s+)?)?" + _D + r"(?:\s*/\s*(\d{2,4}))?"
    r"\s*(?:-|–|\bden\b|\btoi\b)\s*(?:ngay\s+)?" + _D + r"(?:\s*/\s*(\d{2,4}))?\s*\)?")
_MONTH = re.compile(r"\bthang\s+(\d{1,2})(?:\s*(?:/|-|nam)\s*(\d{4}))?(?!\s*(?:/|nam)?\s*\d)")
_QUARTER = re.compile(r"\bquy\s+(iv|i{1,3}|[1-4])\b(?:\s*(?:/|-|nam)\s*(\d{4}))?")
_HALF = re.compile(r"\b(?:6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?")
_YEAR = re.compile(r"\bnam\s+(\d{4})\b")
_RELATIVE = re.compile(r"\b(tuan|thang|quy|nam)\s+(nay|truoc|qua)\b")
# Calendar dates are not periods: "ngày 02 tháng 6 năm 2023" must not read as "tháng 6" or "năm 2023".
_DATE = re.compile(r"\bngay\s+\d{1,2}\s*(?:thang\s+\d{1,2}(?:\s+nam\s+\d{4})?|/\s*\d{1,2}(?:\s*/\s*\d{2,4})?)")
_COMPARED = re.compile(r"\b(?:so voi|hon|bang)\s*$")  # "tăng 30 so với tuần trước" names no period
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _year(raw: str | None, default: int) -> int:
    if not raw:
        return default
    y = int(raw)
    return 2000 + y if y < 100 else y


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _range(m: re.Match, today: date) -> PeriodSpec | None:
    kind_word, d1, m1, y1, d2, m2, y2 = m.groups()
    if not y2 and not (kind_word or "tu" in m.group(0)[: m.start(2) - m.start()].split()):
        return None  # "04/04 - 05/05" without a period word is not a period
    try:
        end = date(_year(y2, today.year), int(m2), int(d2))
        start = date(_year(y1, end.year), int(m1), int(d1))
        if start > end and not y1:
            start = start.replace(year=start.year - 1)
    except ValueError:
        return None
    if start > end:
        return None
    if kind_word == "tuan":
        kind = "tuan"
    elif kind_word == "thang" or (start.day == 1 and start.month == end.month
                                  and end == _month_end(end.year, end.month)):
        kind = "thang"
    elif (end - start).days == 6:
        kind = "tuan"
    else:
        kind = "dot_xuat"
    return PeriodSpec(kind, start, end)


def _past_year(month: int, today: date) -> int:
    """A month named without a year is the latest such month not after today."""
    return today.year if month <= today.month else today.year - 1


def _month(m: re.Match, today: date, cal: Calendar) -> PeriodSpec | None:
    month = int(m.group(1))
    if not 1 <= month <= 12:
        return None
    y = _year(m.group(2), _past_year(month, today))
    return PeriodSpec("thang", date(y, month, 1), _month_end(y, month))


def _quarter(m: re.Match, today: date, cal: Calendar) -> PeriodSpec:
    q = _ROMAN.get(m.group(1)) or int(m.group(1))
    y = _year(m.group(2), today.year)
    start = date(y, 3 * q - 2, 1)
    return PeriodSpec("quy", start, _month_end(y, 3 * q))


def _half(m: re.Match, today: date, cal: Calendar) -> PeriodSpec:
    y = _year(m.group(2), today.year)
    if m.group(1) == "dau":
        return PeriodSpec("sau_thang", date(y, 1, 1), date(y, 6, 30))
    return PeriodSpec("sau_thang", date(y, 7, 1), date(y, 12, 31))


def _whole_year(m: re.Match, today: date, cal: Calendar) -> PeriodSpec:
    y = int(m.group(1))
    return PeriodSpec("nam", date(y, 1, 1), date(y, 12, 31))


def _relative(m: re.Match, today: date, cal: Calendar) -> PeriodSpec:
    kind = {"tuan": "tuan", "thang": "thang", "quy": "quy", "nam": "nam"}[m.group(1)]
    p = current_period(kind, today, cal)
    return previous_period(p, cal) if m.group(2) == "truoc" else p


def find_periods(folded: str, today: date,
                 cal: Calendar = DEFAULT_CALENDAR) -> list[tuple[PeriodSpec, tuple[int, int]]]:
    """Every period phrase, most specific kind first (a date range before a month before a year)."""
    found: list[tuple[PeriodSpec, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _RANGE.finditer(folded):
        p = _range(m, today)
        if p and free(*m.span()):
            found.append((p, m.span()))
            taken.append(m.span())
    taken += [m.span() for m in _DATE.finditer(folded) if free(*m.span())]
    for rx, build in ((_HALF, _half), (_MONTH, _month), (_QUARTER, _quarter), (_RELATIVE, _relative),
                      (_YEAR, _whole_year)):
        for m in rx.finditer(folded):
            if not free(*m.span()) or _COMPARED.search(folded, max(0, m.start() - 12), m.start()):
                continue
            p = build(m, today, cal)
            if p:
                found.append((p, m.span()))
                taken.append(m.span())
    return found
