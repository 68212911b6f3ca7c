"""Recognise a reporting period named in a message: "tuần từ 17/8 đến 23/8/2023", "tháng 02/2024",
"quý III/2024", "6 tháng đầu năm", "năm 2023", "từ năm 2022 đến 2023", "tuần này". Works on folded text; `today`
fills missing years. Reports of Đề án 06 lie between FIRST_YEAR and next year: "tháng 10/9999", "tháng 02/0001" and
"tầm nhìn đến năm 2030" are no periods (they come back as rejected, so the chat can say why).
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
_YEARS = re.compile(r"\b(?:tu\s+)?nam\s+(\d{4})\s*(?:-|–|\bden\b)\s*(?:nam\s+)?(\d{4})\b")  # từ năm 2022 đến 2023
_RELATIVE = re.compile(r"(?<![0-9]\s)(?<![0-9])\b(tuan|thang|quy|nam)\s+(nay|truoc|qua)\b")  # not "02 năm qua"
# Calendar dates are not periods: "ngày 02 tháng 6 năm 2023" must not read as "tháng 6" or "năm 2023".
_DATE = re.compile(r"\bngay\s+\d{1,2}\s*(?:thang\s+\d{1,2}(?:\s+nam\s+\d{4})?|/\s*\d{1,2}(?:\s*/\s*\d{2,4})?)")
_COMPARED = re.compile(r"\b(?:so voi|hon|bang)\s*$")  # "tăng 30 so với tuần trước" names no period
_SINCE = re.compile(r"\btu\s+(?:nam\s+)?\d{4}\s+(?:den|toi)\s+nay\b")  # "từ năm 2022 đến nay": a span to now
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
FIRST_YEAR = 2020  # no Đề án 06 report is older (the project began in 2022)
YEARS_AHEAD = 1  # a report may be opened for next year, never later


def _year(raw: str | None, default: int) -> int:
    if not raw:
        return default
    y = int(raw)
    return 2000 + y if len(raw) <= 2 else y  # "02/24" is 2024; "0001" is the year 1


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


def _years(m: re.Match, today: date, cal: Calendar) -> PeriodSpec | None:
    first, last = int(m.group(1)), int(m.group(2))
    if last <= first:
        return None
    return PeriodSpec("dot_xuat", date(first, 1, 1), date(last, 12, 31))


def _relative(m: re.Match, today: date, cal: Calendar) -> PeriodSpec:
    kind = {"tuan": "tuan", "thang": "thang", "quy": "quy", "nam": "nam"}[m.group(1)]
    p = current_period(kind, today, cal)
    return previous_period(p, cal) if m.group(2) == "truoc" else p


Found = list[tuple[PeriodSpec, tuple[int, int]]]


def in_bounds(p: PeriodSpec, today: date) -> bool:
    return p.start.year >= FIRST_YEAR and p.end.year <= today.year + YEARS_AHEAD


def find_periods(folded: str, today: date, cal: Calendar = DEFAULT_CALENDAR) -> tuple[Found, Found]:
    """Every period phrase, most specific kind first (a date range before a month before a year), and apart the
    ones outside FIRST_YEAR .. next year (with their spans, which are no figures either)."""
    found: Found = []
    rejected: Found = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def keep(p: PeriodSpec, span: tuple[int, int]) -> None:
        (found if in_bounds(p, today) else rejected).append((p, span))
        taken.append(span)

    for m in _RANGE.finditer(folded):
        p = _range(m, today)
        if p and free(*m.span()):
            keep(p, m.span())
    taken += [m.span() for rx in (_DATE, _SINCE) for m in rx.finditer(folded) if free(*m.span())]
    for rx, build in ((_YEARS, _years), (_HALF, _half), (_MONTH, _month), (_QUARTER, _quarter),
                      (_RELATIVE, _relative), (_YEAR, _whole_year)):
        for m in rx.finditer(folded):
            if not free(*m.span()) or _COMPARED.search(folded, max(0, m.start() - 12), m.start()):
                continue
            try:
                p = build(m, today, cal)
            except ValueError:  # "năm 0000": no calendar date at all
                p = None
            if p:
                keep(p, m.span())
    return found, rejected
