"""Which report an officer is working on: the one in the chat state, else the unit's current week."""
from __future__ import annotations

from bot.engine import Ctx
from common.errors import OfficerError
from db.models import Report, Unit
from db.repo import reports
from figures.periods import PeriodSpec, current_period
from reporting import periods


def open_report(ctx: Ctx, unit: Unit, spec: PeriodSpec) -> Report:
    """The unit's report for `spec` (created if new), remembered as this chat's open report."""
    report = periods.open_report(ctx.s, unit, spec, ctx.officer.id if ctx.officer else None)
    ctx.remember(unit_id=unit.id, report_id=report.id)
    return report


def this_week(ctx: Ctx, unit: Unit) -> PeriodSpec:
    return current_period("tuan", ctx.today(), periods.unit_calendar(unit))


def active_report(ctx: Ctx, *roles: str, create: bool = True, lock: bool = False) -> Report:
    """The report in this chat's state if it belongs to the officer's unit; else the current week's.

    Raises a polite OfficerError when the officer lacks `roles` in the unit, or when there is none and
    `create` is False. `lock`: the caller changes the report's content (its lock is then taken with the read).
    """
    unit = ctx.require_role(*(roles or ("reporter", "approver", "admin")))
    if ctx.report_id is not None:
        r = reports.report_for_unit(ctx.s, ctx.report_id, unit.id, lock=lock)
        if r is not None:
            return r
    if not create:
        raise OfficerError("Chưa có báo cáo nào đang mở. Gõ /baocao để mở báo cáo kỳ này.")
    return open_report(ctx, unit, this_week(ctx, unit))
