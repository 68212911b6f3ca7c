"""The province in chat: its communes' reporting, totals and exports; deadline reminders on or off.

/tonghop [kỳ]        completeness (approved on time / late, waiting, not handed in) and the totals of the
                     approved communes, compared with last period (province officers; default: last week)
/donvi TÊN [kỳ]      one commune's report, read-only (a province never edits its communes' reports)
/xuat [kỳ] [csv]     the period's table as XLSX (or CSV): communes + "Tổng" for a province, one row for a commune;
                     a document on Telegram, a signed link on Zalo
/nhacnho [tắt|bật]   mute or unmute deadline reminders (bot/reminders.py)
The province's own figures and its draft go through the ordinary /baocao, /duthao, /trinh, /duyet.
"""
from __future__ import annotations

from bot.engine import Ctx, parse_command, router
from bot.figure_view import progress_text
from bot.messages import Button
from bot.province_view import overview_text
from common import clock
from common.errors import InvalidInput, OfficerError
from common.vntext import fold
from db.models import Unit
from db.repo import people
from db.repo import units as units_repo
from figures.periods import KINDS, PeriodSpec
from province.completeness import commune_status
from province.deadlines import DeadlineRule, deadline, deadline_text, last_ended, period_from_text
from province.export import file_name, table_for, write_csv, write_xlsx
from province.overview import overview
from province.status import STATUS_NAMES, is_submitted

_OFF, _ON = {"tat", "tat nhac", "off", "khong"}, {"bat", "bat nhac", "on", "co"}


def _arg(ctx: Ctx) -> str:
    return (parse_command(ctx.text) or ("", ""))[1]


def _province(ctx: Ctx) -> Unit:
    unit = ctx.require_role(*people.ROLES)
    if not units_repo.has_children(ctx.s, unit.id):
        raise OfficerError(f"{unit.name[:1].upper() + unit.name[1:]} không có đơn vị cấp dưới. Lệnh này dành cho "
                           "cán bộ tổng hợp của tỉnh; báo cáo của đơn vị mình: /tiendo.")
    return unit


def _period(ctx: Ctx, unit: Unit, text: str) -> PeriodSpec:
    if not text.strip():
        return last_ended("tuan", unit, ctx.today())
    spec = period_from_text(text, unit, ctx.today())
    if spec is None:
        raise InvalidInput(f"Chưa hiểu kỳ báo cáo «{text.strip()}». Ví dụ: tuần trước, tháng 10, tháng 02/2026.")
    return spec


@router.command("tonghop", about="(Tỉnh) ai đã báo cáo và số tổng hợp của các xã (ví dụ: /tonghop tuần trước)")
def overview_command(ctx: Ctx) -> None:
    unit = _province(ctx)
    spec = _period(ctx, unit, _arg(ctx))
    ov = overview(ctx.s, unit, spec, clock.now(), ctx.settings.timezone)
    ctx.say(overview_text(ov, ctx.settings.timezone))


# --- one commune --------------------------------------------------------------------------------------

def _matches(communes: list[Unit], words: str) -> list[Unit]:
    """Communes whose name is `words`, or ends with them ('Hòa An' finds 'xã Hòa An')."""
    w = fold(words).strip()
    exact = [u for u in communes if fold(u.name) == w or fold(u.name).split(" ", 1)[-1] == w or fold(u.code) == w]
    return exact or [u for u in communes if w and w in fold(u.name)]


def _find(ctx: Ctx, unit: Unit, text: str) -> tuple[list[Unit], PeriodSpec]:
    """The commune named at the start of `text` and the period named after it (the longest name that works)."""
    communes = units_repo.communes_of(ctx.s, unit.id)
    words = text.split()
    for k in range(len(words), 0, -1):
        found = _matches(communes, " ".join(words[:k]))
        rest = " ".join(words[k:])
        if found and (not rest or period_from_text(rest, unit, ctx.today()) is not None):
            return found, _period(ctx, unit, rest)
    raise InvalidInput(f"Không tìm thấy đơn vị «{text}» thuộc {unit.name}. Gõ /tonghop để xem danh sách.")


@router.command("donvi", about="(Tỉnh) xem báo cáo của một xã (ví dụ: /donvi Hòa An)")
def commune_command(ctx: Ctx) -> None:
    unit = _province(ctx)
    text = _arg(ctx).strip()
    if not text:
        raise InvalidInput("Anh/chị gõ tên đơn vị, ví dụ: /donvi Hòa An, hoặc /donvi Hòa An tháng 10.")
    found, spec = _find(ctx, unit, text)
    if len(found) > 1:
        ctx.say(f"Có {len(found)} đơn vị trùng tên «{text}». Anh/chị chọn:",
                buttons=[Button(u.name, f"prov:dv:{u.id}:{spec.kind}:{spec.start}:{spec.end}") for u in found[:10]])
        return
    _show_commune(ctx, found[0], spec)


@router.button("prov:dv:")
def commune_button(ctx: Ctx) -> None:
    unit = _province(ctx)
    _, _, uid, kind, start, end = (ctx.incoming.payload.split(":") + [""] * 6)[:6]
    commune = next((u for u in units_repo.communes_of(ctx.s, unit.id) if str(u.id) == uid), None)
    if commune is None or kind not in KINDS:
        raise InvalidInput("Nút này đã hết hiệu lực. Gõ /donvi TÊN để xem một đơn vị.")
    _show_commune(ctx, commune, PeriodSpec.from_dict({"kind": kind, "start": start, "end": end}))


def _show_commune(ctx: Ctx, commune: Unit, spec: PeriodSpec) -> None:
    """Read-only: nothing here opens the commune's report for editing or changes the chat's report."""
    tz = ctx.settings.timezone
    row = units_repo.period_row(ctx.s, spec.kind, spec.start, spec.end)
    report = units_repo.reports_of(ctx.s, [commune.id], row).get(commune.id)
    due = deadline(DeadlineRule.of(commune), spec, tz)
    status = commune_status(commune.code, commune.name, due, report)
    when = f"hạn {deadline_text(due, tz)}"
    if is_submitted(status.status) and status.handed_in is not None:
        when = f"trình {deadline_text(status.handed_in, tz)}, {'trễ hạn' if status.late(clock.now()) else 'đúng hạn'}"
    elif status.late(clock.now()):
        when += ", đã quá hạn"
    title = f"{commune.name} — báo cáo {spec.label}: {STATUS_NAMES[status.status]} ({when})."
    rows = units_repo.figures_of_reports(ctx.s, [report.id])[report.id] if report else []
    if not rows:
        ctx.say(title + "\nChưa có số liệu nào.")
        return
    cat = ctx.catalogue(commune.id)
    figures = {f.indicator: (f.value, f.denominator, f.stated_rate) for f in rows}
    ctx.say(progress_text(cat, title, figures, cat.template(spec.kind)))


# --- export ---------------------------------------------------------------------------------------------

@router.command("xuat", about="Xuất bảng số liệu kỳ báo cáo ra XLSX hoặc CSV")
def export_command(ctx: Ctx) -> None:
    unit = ctx.require_role(*people.ROLES)
    words = _arg(ctx).split()
    fmt = "csv" if any(fold(w) == "csv" for w in words) else "xlsx"
    spec = _period(ctx, unit, " ".join(w for w in words if fold(w) not in ("csv", "xlsx", "excel")))
    table = table_for(ctx.s, unit, spec, clock.now(), ctx.settings.timezone)
    path = ctx.settings.data_dir / "exports" / file_name(unit, spec, fmt)
    (write_csv if fmt == "csv" else write_xlsx)(table, path)
    what = f"{len(table.rows) - 1} đơn vị và dòng Tổng: {table.rows[-1][2].lower()}" if len(table.rows) > 1 \
        else "một dòng"
    ctx.say(f"Bảng số liệu {spec.label} của {unit.name} (tệp {fmt.upper()}): {what}.", files=[path])


# --- reminders on/off -------------------------------------------------------------------------------------

@router.command("nhacnho", about="Tắt hoặc bật nhắc hạn báo cáo (/nhacnho tắt, /nhacnho bật)")
def reminders_command(ctx: Ctx) -> None:
    ctx.require_role(*people.ROLES)
    arg = fold(_arg(ctx)).strip(" .!")
    if arg in _OFF | _ON:
        ctx.me.reminders_muted = arg in _OFF
    state = "đang tắt" if ctx.me.reminders_muted else "đang bật"
    hint = "Bật lại: /nhacnho bật." if ctx.me.reminders_muted else "Tắt: /nhacnho tắt."
    verb = "Đã cập nhật. " if arg in _OFF | _ON else ""
    ctx.say(f"{verb}Nhắc hạn nộp báo cáo {state} cho tài khoản của anh/chị. {hint}")
