"""Reporting periods: kinds, the unit's reporting calendar, Vietnamese labels.

A week may start on any weekday (seed 002 runs Thursday 17/8 to Wednesday 23/8/2023) and a month's data
window may start on any day (some provinces count from the 16th to the 15th).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("tuan", "thang", "quy", "sau_thang", "nam", "dot_xuat")
KIND_NAMES = {
    "tuan": "tuần",
    "thang": "tháng",
    "quy": "quý",
    "sau_thang": "6 tháng",
    "nam": "năm",
    "dot_xuat": "đột xuất",
}
# Previous-period wording used in comparisons ("so với tuần trước").
PREVIOUS_NAMES = {
    "tuan": "tuần trước",
    "thang": "tháng trước",
    "quy": "quý trước",
    "sau_thang": "6 tháng trước",
    "nam": "năm trước",
    "dot_xuat": "kỳ trước",
}


@dataclass(frozen=True)
class Calendar:
    week_start_weekday: int = 0  # 0 = Monday
    month_start_day: int = 1


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return period_label(self.kind, self.start, self.end)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_dict(cls, d: dict) -> PeriodSpec:
        kind = d.get("kind", "")
        if kind not in KINDS:
            raise ValueError(f"unknown period kind: {kind!r}")
        start, end = date.fromisoformat(str(d["start"])), date.fromisoformat(str(d["end"]))
        if end < start:
            raise ValueError("period ends before it starts")
        return cls(kind, start, end)


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _month_window(today: date, start_day: int) -> tuple[date, date]:
    """Month window containing `today`, starting on `start_day` (1 = calendar month)."""
    if start_day <= 1:
        start = today.replace(day=1)
    else:
        anchor = today if today.day >= start_day else _add_months(today, -1)
        start = anchor.replace(day=min(start_day, calendar.monthrange(anchor.year, anchor.month)[1]))
    return start, _add_months(start, 1) - timedelta(days=1)


def current_period(kind: str, today: date, cal: Calendar = Calendar()) -> PeriodSpec:
    """The period of `kind` that contains `today` under the unit's calendar."""
    if kind == "tuan":
        start = today - timedelta(days=(today.weekday() - cal.week_start_weekday) % 7)
        return PeriodSpec(kind, start, start + timedelta(days=6))
    if kind == "thang":
        return PeriodSpec(kind, *_month_window(today, cal.month_start_day))
    if kind == "quy":
        q0 = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, q0, 1)
        return PeriodSpec(kind, start, _add_months(start, 3) - timedelta(days=1))
    if kind == "sau_thang":
        start = date(today.year, 1 if today.month <= 6 else 7, 1)
        return PeriodSpec(kind, start, _add_months(start, 6) - timedelta(days=1))
    if kind == "nam":
        return PeriodSpec(kind, date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == "dot_xuat":
        return PeriodSpec(kind, today, today)
    raise ValueError(f"unknown period kind: {kind!r}")


def previous_period(p: PeriodSpec, cal: Calendar = Calendar()) -> PeriodSpec:
    if p.kind == "dot_xuat":
        return p
    return current_period(p.kind, p.start - timedelta(days=1), cal)


def _d(d: date, with_year: bool) -> str:
    return f"{d.day}/{d.month}/{d.year}" if with_year else f"{d.day}/{d.month}"


def period_label(kind: str, start: date, end: date) -> str:
    """Short Vietnamese label: 'tuần 17/8 - 23/8/2023', 'tháng 02/2024', 'quý III/2024', 'năm 2023'."""
    if kind == "tuan" or kind == "dot_xuat":
        return f"{KIND_NAMES[kind]} {_d(start, start.year != end.year)} - {_d(end, True)}"
    if kind == "thang":
        if start.day == 1:
            return f"tháng {start.month:02d}/{start.year}"
        return f"tháng {end.month:02d}/{end.year} ({_d(start, True)} - {_d(end, True)})"
    if kind == "quy":
        return f"quý {['I', 'II', 'III', 'IV'][(start.month - 1) // 3]}/{start.year}"
    if kind == "sau_thang":
        return f"6 tháng {'đầu' if start.month <= 6 else 'cuối'} năm {start.year}"
    if kind == "nam":
        return f"năm {start.year}"
    raise ValueError(f"unknown period kind: {kind!r}")


def subject_phrase(p: PeriodSpec) -> str:
    """Phrase for a report's subject line: 'tuần (Từ ngày 17/8 đến ngày 23/8/2023)'."""
    if p.kind in ("tuan", "dot_xuat"):
        return f"{KIND_NAMES[p.kind]} (Từ ngày {_d(p.start, p.start.year != p.end.year)} đến ngày {_d(p.end, True)})"
    return period_label(p.kind, p.start, p.end)


def contains(outer: PeriodSpec, inner: PeriodSpec) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
