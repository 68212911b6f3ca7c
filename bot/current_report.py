"""Which report an officer is working on: the one in the chat state, else the unit's current week."""
from __future__ import annotations

from datetime import date

from bot.engine import Ctx
from common import clock
from common.errors import OfficerError
from db.models import Report, Unit
from db.repo import reports
from figures.periods import Calendar, PeriodSpec, current_period


def today(ctx: Ctx) -> date:
    return clock.today(ctx.settings.timezone)


def unit_calendar(unit: Unit) -> Calendar:
    return Calendar(week_start_weekday=unit.week_start_weekday, month_start_day=unit.month_start_day)


def open_report(ctx: Ctx, unit: Unit, spec: PeriodSpec) -> Report:
    period = reports.get_or_create_period(ctx.s, spec.kind, spec.start, spec.end, spec.label)
    report = reports.get_or_create_report(ctx.s, unit.id, period, ctx.officer.id if ctx.officer else None)
    ctx.update_data(unit_id=unit.id, report_id=report.id)
    return report


def active_report(ctx: Ctx, *roles: str, create: bool = True) -> Report:
    """The report in this chat's state if it belongs to the officer's unit; else the current week's.

    Raises a polite OfficerError when the officer lacks `roles` in the unit, or when there is none and
    `create` is False.
    """
    unit = ctx.require_role(*(roles or ("reporter", "approver", "admin")))
    rid = (ctx.state.data or {}).get("report_id")
    if rid is not None:
        r = reports.report_for_unit(ctx.s, int(rid), unit.id)
        if r is not None:
            return r
    if not create:
        raise OfficerError("Chưa có báo cáo nào đang mở. Gõ /baocao để mở báo cáo kỳ này.")
    return open_report(ctx, unit, current_period("tuan", today(ctx), unit_calendar(unit)))
