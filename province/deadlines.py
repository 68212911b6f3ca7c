"""When a unit's report is due, from the unit's reporting calendar.

A week's report is due on the first `deadline_weekday` after the week ends (weekly by Thursday 15:00); a
month's (or longer period's) on the first `deadline_month_day` on or after its last day (monthly by the 15th),
both at `deadline_time` in the unit's local time. Reminders go out `remind_hours` before.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from common.vntext import fold
from db.models import Unit
from figures.periods import KIND_NAMES, KINDS, Calendar, PeriodSpec, current_period, previous_period

_BARE_KINDS = {fold(name): kind for kind, name in KIND_NAMES.items() if kind != "dot_xuat"}
WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class DeadlineRule:
    weekday: int = 3  # Thursday
    month_day: int = 15
    at: time = time(15, 0)
    remind_hours: int = 24
    kinds: tuple[str, ...] = ("tuan", "thang")  # the periods the unit reports on

    @classmethod
    def of(cls, unit: Unit) -> DeadlineRule:
        hour, _, minute = (unit.deadline_time or "15:00").partition(":")
        kinds = tuple(k for k in (unit.report_kinds or "").split(",") if k.strip() in KINDS)
        return cls(unit.deadline_weekday, unit.deadline_month_day, time(int(hour), int(minute or 0)),
                   unit.remind_hours, kinds)


def calendar_of(unit: Unit) -> Calendar:
    return Calendar(week_start_weekday=unit.week_start_weekday, month_start_day=unit.month_start_day)


def due_date(rule: DeadlineRule, period: PeriodSpec) -> date:
    if period.kind == "tuan":
        after = period.end + timedelta(days=1)
        return after + timedelta(days=(rule.weekday - after.weekday()) % 7)
    d = period.end
    if d.day > rule.month_day:  # this month's day has passed: next month's
        d = (d.replace(day=1) + timedelta(days=32)).replace(day=1)
    return d.replace(day=min(rule.month_day, calendar.monthrange(d.year, d.month)[1]))


def deadline(rule: DeadlineRule, period: PeriodSpec, tz: str) -> datetime:
    """The aware instant the report of `period` is due."""
    return datetime.combine(due_date(rule, period), rule.at, tzinfo=ZoneInfo(tz))


def deadline_text(when: datetime, tz: str) -> str:
    """'15:00 thứ Năm 26/11/2026'."""
    local = when.astimezone(ZoneInfo(tz))
    return f"{local:%H:%M} {WEEKDAY_NAMES[local.weekday()]} {local.day}/{local.month}/{local.year}"


def recent_periods(unit: Unit, today: date, back: int = 2) -> list[PeriodSpec]:
    """For each kind the unit reports on, the current period and the `back` before it: those whose deadline
    (always after the period ends, or on its last day) can be near."""
    cal = calendar_of(unit)
    out = []
    for kind in DeadlineRule.of(unit).kinds:
        p = current_period(kind, today, cal)
        out.append(p)
        for _ in range(back):
            p = previous_period(p, cal)
            out.append(p)
    return out


def last_ended(kind: str, unit: Unit, today: date) -> PeriodSpec:
    """The latest period of `kind` that has ended: what a province looks at by default."""
    cal = calendar_of(unit)
    return previous_period(current_period(kind, today, cal), cal)


def period_from_text(text: str, unit: Unit, today: date) -> PeriodSpec | None:
    """The period `text` alone names, read with the unit's calendar: 'tuần trước', 'tháng 10', 'tháng 02/2026',
    a bare kind ('tháng' = this month), or a label as the bot shows it ('tuần 16/11 - 22/11/2026')."""
    from figures.parse import ParseContext, parse_message  # the parser is heavy; imported when needed
    from knowledge.catalogue import load_catalogue

    cal = calendar_of(unit)
    key = fold(text).strip(" .!,:")
    if key in _BARE_KINDS:
        return current_period(_BARE_KINDS[key], today, cal)
    res = parse_message(text, load_catalogue(), context=ParseContext(today=today, calendar=cal))
    if not key or res.period is None or res.figures:
        return None
    p = res.period
    if p.kind == "thang" and cal.month_start_day > 1 and p.start.day == 1:  # 'tháng 10': the window ending in it
        return current_period("thang", date(p.end.year, p.end.month, cal.month_start_day - 1), cal)
    return p
