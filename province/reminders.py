"""Which reminders are due now, independent of any channel.

Before a deadline (from `remind_hours` before it until it passes), each reporter of a commune whose report is not
handed in gets one reminder; after the deadline (for up to LATE_GRACE, so a bot that was down catches up but never
sends stale lists), each `tong_hop` officer above those communes gets one list of the late ones. Officers who
muted reminders get none. What was sent is recorded (db/repo/reminders.py) by the caller together with the
message, so a restart neither repeats nor loses one.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Unit
from db.repo import reminders as sent_repo
from db.repo import units as units_repo
from figures.periods import PeriodSpec, current_period, previous_period
from province.completeness import CommuneStatus, commune_status
from province.deadlines import DeadlineRule, calendar_of, deadline, deadline_text, recent_periods
from province.status import STATUS_NAMES, is_submitted

BEFORE, LATE = "before", "late"
LATE_GRACE = timedelta(days=3)
PROVINCE_ROLE = "tong_hop"
MAX_NAMES = 15  # communes named in one late list (a phone screen)


@dataclass(frozen=True)
class Notice:
    kind: str  # before | late
    unit_id: int  # the commune (before) or the province (late)
    officer_id: int
    period: PeriodSpec
    text: str


def open_hint(period: PeriodSpec, unit: Unit, today) -> str:
    """The command that opens this period's report, as the officer would type it."""
    cal = calendar_of(unit)
    if period.kind == "tuan":
        this_week = current_period("tuan", today, cal)
        if period == this_week:
            return "/baocao tuần này"
        if period == previous_period(this_week, cal):
            return "/baocao tuần trước"
        return "/baocao"
    if period.kind == "thang":
        return f"/baocao tháng {period.end.month:02d}/{period.end.year}"
    return "/baocao"


def _before_text(unit: Unit, period: PeriodSpec, due: datetime, now: datetime, tz: str) -> str:
    hours = max(1, math.ceil((due - now).total_seconds() / 3600))
    today = now.astimezone(ZoneInfo(tz)).date()
    return (f"Nhắc hạn: báo cáo {period.label} của {unit.name} cần trình duyệt trước {deadline_text(due, tz)} "
            f"(còn khoảng {hours} giờ). Mở báo cáo: {open_hint(period, unit, today)}; trình lãnh đạo: /trinh.\n"
            "Tắt nhắc hạn: /nhacnho tắt.")


def _late_text(province: Unit, period: PeriodSpec, due: datetime, late: list, total: int, tz: str) -> str:
    names = ", ".join(f"{c.name} ({STATUS_NAMES[c.status]})" for c in late[:MAX_NAMES])
    if len(late) > MAX_NAMES:
        names += f" và {len(late) - MAX_NAMES} đơn vị khác"
    return (f"Quá hạn nộp báo cáo {period.label} (hạn {deadline_text(due, tz)}): {len(late)}/{total} đơn vị "
            f"của {province.name} chưa trình duyệt — {names}.\nXem tình hình chung: /tonghop; tắt nhắc: /nhacnho tắt.")


def due_notices(s: Session, now: datetime, tz: str) -> list[Notice]:
    today = now.astimezone(ZoneInfo(tz)).date()
    # (commune, period, deadline) whose reminder or late window contains now, grouped by period
    by_period: dict[PeriodSpec, list[tuple[Unit, datetime]]] = defaultdict(list)
    for unit in s.scalars(select(Unit).where(Unit.level == units_repo.REPORTING_LEVEL)):
        rule = DeadlineRule.of(unit)
        for period in recent_periods(unit, today):
            due = deadline(rule, period, tz)
            if due - timedelta(hours=rule.remind_hours) <= now < due + LATE_GRACE:
                by_period[period].append((unit, due))
    notices: list[Notice] = []
    for period, items in sorted(by_period.items(), key=lambda kv: (kv[0].start, kv[0].kind)):
        reports = units_repo.reports_of(s, [u.id for u, _ in items],
                                        units_repo.period_row(s, period.kind, period.start, period.end))
        pending = [(u, due) for u, due in items if not (u.id in reports and is_submitted(reports[u.id].status))]
        notices += _before(s, period, [(u, due) for u, due in pending if now < due], now, tz)
        late = [(u, commune_status(u.code, u.name, due, reports.get(u.id))) for u, due in pending if now >= due]
        notices += _late(s, period, late, tz)
    return notices


def _before(s: Session, period: PeriodSpec, pending: list[tuple[Unit, datetime]], now: datetime,
            tz: str) -> list[Notice]:
    done = sent_repo.sent(s, BEFORE, period.kind, period.start)
    reporters = units_repo.officers_with_role(s, [u.id for u, _ in pending], "reporter")
    return [Notice(BEFORE, u.id, o.id, period, _before_text(u, period, due, now, tz))
            for u, due in pending for o in reporters.get(u.id, [])
            if not o.reminders_muted and (u.id, o.id) not in done]


def _late(s: Session, period: PeriodSpec, late_units: list[tuple[Unit, CommuneStatus]], tz: str) -> list[Notice]:
    """One list per province (or legacy district) above the late communes, to each of its tong_hop officers."""
    by_parent: dict[int, tuple[Unit, list[CommuneStatus]]] = {}
    for unit, status in late_units:
        for parent in units_repo.ancestors(s, unit):
            by_parent.setdefault(parent.id, (parent, []))[1].append(status)
    done = sent_repo.sent(s, LATE, period.kind, period.start)
    officers = units_repo.officers_with_role(s, list(by_parent), PROVINCE_ROLE)
    out = []
    for pid, (parent, late) in by_parent.items():
        late.sort(key=lambda c: c.name)
        total = len(units_repo.communes_of(s, pid))
        text = _late_text(parent, period, min(c.deadline for c in late), late, total, tz)
        out += [Notice(LATE, pid, o.id, period, text) for o in officers.get(pid, [])
                if not o.reminders_muted and (pid, o.id) not in done]
    return out
