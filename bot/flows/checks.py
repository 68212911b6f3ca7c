"""Checks in the conversation: the engine re-runs whenever figures change, its findings are stored, and the
officer resolves them one at a time — fix the number, keep it with a reason, or (warnings) confirm it.

/kiemtra                 re-check the report and list open findings
check:fix:<id>           which figure to correct (when several), then the corrected number
check:keep:<id>          the next text is the reason the value is kept (drafting can quote it)
check:ok:<id>            confirm a warning
"""
from __future__ import annotations

from bot.current_report import active_report
from bot.engine import Ctx, router
from bot.messages import Button
from bot.state import FlowState
from common.errors import InvalidInput
from common.vnnum import fmt_num, fmt_pct
from db.models import Finding as FindingRow
from db.models import Report
from db.repo import reports
from figures.checks import ERROR
from figures.types import FigureInput
from figures.vnnumbers import to_number
from reporting.figures import correct_field
from reporting.findings import (
    CONFIRMED,
    KEPT,
    display_order,
    is_absence,
    kept_findings,
    open_findings,
    resolve,
    run_checks,
)

FLOW = "check"


class CheckState(FlowState):
    """A finding being resolved: its corrected number (step value) or the reason it is kept (step reason). It
    interrupts the flow the officer was in (intake, usually), which resumes afterwards."""

    FLOW = FLOW
    STEPS = ("value", "reason")
    FREE_TEXT = ("reason",)
    finding_id: int = 0
    indicator: str = ""
    field: str = "value"  # value | denominator | rate


RESOLVERS = ("reporter", "admin")
MAX_LISTED = 12  # absent indicators named in one message (a phone screen)
FIELD_NAMES = {"rate": "Tỷ lệ", "value": "Số đã thực hiện", "denominator": "Tổng số cần thực hiện"}


def _points(rows: list[FindingRow]) -> int:
    """How many points the officer sees: absent figures count as one."""
    single = sum(not is_absence(r) for r in rows)
    return single + (single < len(rows))


# --- in the conversation -------------------------------------------------------------------------

def after_figures_changed(ctx: Ctx, report: Report, current: list[FigureInput] | None = None) -> bool:
    """Called right after figures are stored: re-check and show the first newly raised finding, if any (True)."""
    new = run_checks(ctx.s, report, complete=False, current=current)
    if new:
        _show(ctx, sorted(new, key=display_order)[0], open_findings(ctx.s, report))
    return bool(new)


@router.command("kiemtra", about="Xem các điểm cần kiểm tra lại")
def check_command(ctx: Ctx) -> None:
    report = active_report(ctx)
    run_checks(ctx.s, report, complete=True)
    rows = open_findings(ctx.s, report)
    kept = len(kept_findings(ctx.s, report))
    label = report.period.label
    if not rows:
        note = f" ({kept} điểm đã giữ nguyên có ghi lý do)" if kept else ""
        ctx.say(f"Báo cáo {label}: không có điểm nào cần kiểm tra lại{note}.")
        return
    single = [r for r in rows if not is_absence(r)]
    lines = [f"{i}. {'Lỗi' if r.severity == ERROR else 'Lưu ý'}: {r.message}" for i, r in enumerate(single, 1)]
    absent = len(rows) - len(single)
    if absent:
        lines.append(f"{len(single) + 1}. Lưu ý: {absent} chỉ tiêu chưa có số liệu dù các kỳ gần đây đều báo cáo.")
    ctx.say(f"Báo cáo {label} có {len(lines)} điểm cần kiểm tra lại:\n" + "\n".join(lines))
    _show(ctx, rows[0], rows)


def _show(ctx: Ctx, row: FindingRow, open_rows: list[FindingRow]) -> None:
    if is_absence(row):
        return _show_absent(ctx, row.report_id, [r for r in open_rows if is_absence(r)])
    others = _points(open_rows) - 1
    head = "❗ Số liệu chưa khớp" if row.severity == ERROR else "⚠️ Cần xem lại"
    more = f" (còn {others} điểm khác, gõ /kiemtra để xem)" if others > 0 else ""
    text = f"{head}: {row.message}"
    if row.suggestion:
        text += f"\nGợi ý: {row.suggestion}"
    buttons = [Button("Sửa", f"check:fix:{row.id}"), Button("Giữ nguyên và ghi lý do", f"check:keep:{row.id}")]
    if row.severity != ERROR:
        buttons.append(Button("Xác nhận", f"check:ok:{row.id}"))
    ctx.say(text + more, buttons=buttons)


def _show_absent(ctx: Ctx, report_id: int, rows: list[FindingRow]) -> None:
    """Absent figures are one message, not one per indicator: the officer sends the numbers as usual or
    confirms in one tap that this period has none."""
    cat = ctx.catalogue()
    names = [ind.name if (ind := cat.get(r.indicators[0])) else r.indicators[0] for r in rows]
    shown = names[:MAX_LISTED] + ([f"… và {len(names) - MAX_LISTED} chỉ tiêu khác"] if len(names) > MAX_LISTED else [])
    ctx.say(f"⚠️ {len(rows)} chỉ tiêu chưa có số liệu kỳ này, dù các kỳ gần đây đều báo cáo:\n"
            + "\n".join(f"• {n}" for n in shown)
            + "\nAnh/chị gửi số liệu như bình thường (ghi 0 nếu không phát sinh), hoặc xác nhận kỳ này không có.",
            buttons=[Button("Xác nhận kỳ này không có", f"check:absent:{report_id}")])


@router.button("check:absent:")
def confirm_absent_button(ctx: Ctx) -> None:
    unit = ctx.require_role(*RESOLVERS)
    report = reports.report_for_unit(ctx.s, int(_button_args(ctx)[0]), unit.id)
    if report is None:
        raise InvalidInput("Không tìm thấy báo cáo này. Gõ /kiemtra để xem lại.")
    rows = [r for r in open_findings(ctx.s, report) if is_absence(r)]
    for r in rows:
        resolve(r, CONFIRMED, "", ctx.me.id)
    ctx.say(f"Đã xác nhận {len(rows)} chỉ tiêu không có số liệu kỳ này.")
    _show_next(ctx, report)


def _show_next(ctx: Ctx, report: Report) -> None:
    run_checks(ctx.s, report, complete=False)
    rows = open_findings(ctx.s, report)
    if rows:
        _show(ctx, rows[0], rows)
    else:
        ctx.say("Đã xử lý xong các điểm cần kiểm tra. Anh/chị tiếp tục gửi số liệu; trước khi trình, "
                "gõ /kiemtra để kiểm tra toàn bộ báo cáo.")


def _finding(ctx: Ctx, finding_id: int) -> tuple[FindingRow, Report]:
    """The finding, if it belongs to a report of the officer's unit and the officer may resolve it."""
    unit = ctx.require_role(*RESOLVERS)
    row = ctx.s.get(FindingRow, finding_id)
    report = reports.report_for_unit(ctx.s, row.report_id, unit.id) if row else None
    if row is None or report is None:
        raise InvalidInput("Không tìm thấy điểm cần kiểm tra này. Gõ /kiemtra để xem lại.")
    return row, report


def _button_args(ctx: Ctx) -> list[str]:
    parts = ctx.incoming.payload.split(":")[2:]
    if not parts or not all(p.isdigit() for p in parts):
        raise InvalidInput("Nút này đã hết hiệu lực. Gõ /kiemtra để xem lại.")
    return parts


def _still_open(ctx: Ctx, row: FindingRow, report: Report) -> bool:
    if row.status == "open":
        return True
    ctx.say("Điểm này đã được xử lý rồi.")
    _show_next(ctx, report)
    return False


def _targets(row: FindingRow) -> list[tuple[str, str]]:
    """(indicator, field) the officer may correct for this finding."""
    if row.rule.startswith("rate."):
        return [(row.indicators[0], f) for f in ("rate", "value", "denominator")]
    if row.rule == "pair.exceeds_denominator":
        return [(row.indicators[0], f) for f in ("value", "denominator")]
    return [(ind, "value") for ind in row.indicators]


def _current(ctx: Ctx, report: Report, indicator: str, field: str) -> float | None:
    fig = next((f for f in reports.figures_of(ctx.s, report.id) if f.indicator == indicator), None)
    if fig is None:
        return None
    return {"value": fig.value, "denominator": fig.denominator, "rate": fig.stated_rate}[field]


def _target_label(ctx: Ctx, report: Report, indicator: str, field: str, multi_field: bool) -> str:
    ind = ctx.catalogue(report.unit_id).get(indicator)
    name = FIELD_NAMES[field] if multi_field else (ind.name if ind else indicator)
    v = _current(ctx, report, indicator, field)
    shown = "" if v is None else (fmt_pct(v, 2) if field == "rate" else fmt_num(v, 2))
    return f"{name} ({shown})" if shown else name


@router.button("check:fix:")
def fix_button(ctx: Ctx) -> None:
    row, report = _finding(ctx, int(_button_args(ctx)[0]))
    if not _still_open(ctx, row, report):
        return
    targets = _targets(row)
    if len(targets) == 1:
        return _ask_value(ctx, row, report, 0)
    multi_field = len({f for _, f in targets}) > 1
    ctx.say("Anh/chị muốn sửa số nào?",
            buttons=[Button(_target_label(ctx, report, ind, f, multi_field), f"check:pick:{row.id}:{k}")
                     for k, (ind, f) in enumerate(targets)])


@router.button("check:pick:")
def pick_button(ctx: Ctx) -> None:
    args = _button_args(ctx)
    row, report = _finding(ctx, int(args[0]))
    if not _still_open(ctx, row, report):
        return
    k = int(args[1]) if len(args) > 1 else -1
    if not 0 <= k < len(_targets(row)):
        raise InvalidInput("Nút này đã hết hiệu lực. Gõ /kiemtra để xem lại.")
    _ask_value(ctx, row, report, k)


def _ask_value(ctx: Ctx, row: FindingRow, report: Report, k: int) -> None:
    indicator, field = _targets(row)[k]
    ctx.interrupt(CheckState(finding_id=row.id, indicator=indicator, field=field), "value")
    ind = ctx.catalogue(report.unit_id).get(indicator)
    what = FIELD_NAMES[field].lower() if field != "value" or row.rule.startswith("rate.") else "số đúng"
    ctx.say(f"Vui lòng nhập {what} cho {ind.name if ind else indicator}"
            f"{' (ví dụ: 68,6)' if field == 'rate' else ''}. Gõ /huy để thôi.")


@router.button("check:keep:")
def keep_button(ctx: Ctx) -> None:
    row, report = _finding(ctx, int(_button_args(ctx)[0]))
    if not _still_open(ctx, row, report):
        return
    ctx.interrupt(CheckState(finding_id=row.id), "reason")
    ctx.say("Vui lòng ghi ngắn gọn lý do giữ nguyên số liệu (ví dụ: tăng do tổ chức cấp CCCD lưu động). "
            "Lý do này sẽ được dùng khi soạn báo cáo.")


@router.button("check:ok:")
def confirm_button(ctx: Ctx) -> None:
    row, report = _finding(ctx, int(_button_args(ctx)[0]))
    if not _still_open(ctx, row, report):
        return
    if row.severity == ERROR:
        ctx.say("Đây là lỗi số liệu nên cần sửa, hoặc giữ nguyên kèm lý do.",
                buttons=[Button("Sửa", f"check:fix:{row.id}"),
                         Button("Giữ nguyên và ghi lý do", f"check:keep:{row.id}")])
        return
    resolve(row, CONFIRMED, "", ctx.me.id)
    ctx.say("Đã xác nhận số liệu.")
    _show_next(ctx, report)


@router.state(FLOW)
def on_text(ctx: Ctx) -> bool:
    st = ctx.flow_state(CheckState) or CheckState()
    try:
        row, report = _finding(ctx, st.finding_id)
    except InvalidInput:  # the finding is gone (report reopened, unit left): let the text be read normally
        ctx.resume()
        return False
    if ctx.state.step == "reason":
        reason = ctx.text.strip()
        if len(reason) < 3:
            ctx.say("Lý do hơi ngắn; vui lòng ghi rõ hơn một chút, hoặc gõ /huy để thôi.")
            return True
        ctx.resume()
        if row.status == "open":
            resolve(row, KEPT, reason, ctx.me.id)
            ctx.say("Đã ghi lý do và giữ nguyên số liệu.")
        _show_next(ctx, report)
        return True
    indicator, field = st.indicator, st.field
    number = parse_number(ctx.text, percent=field == "rate")
    if number is None:
        ctx.say("Vui lòng nhập một số (ví dụ: 59 hoặc 68,6), hoặc gõ /huy để thôi.")
        return True
    correct_field(ctx.s, report, indicator, field, number, officer_id=ctx.me.id, source=ctx.incoming.source,
                  source_text=ctx.text)
    ctx.resume()
    ind = ctx.catalogue(report.unit_id).get(indicator)
    shown = fmt_pct(number, 2) if field == "rate" else fmt_num(number, 2)
    ctx.say(f"Đã sửa {ind.name if ind else indicator}: {shown}.")
    new = run_checks(ctx.s, report, complete=False)
    if new:
        _show(ctx, sorted(new, key=display_order)[0], open_findings(ctx.s, report))
    else:
        _show_next(ctx, report)
    return True


def parse_number(text: str, *, percent: bool = False) -> float | None:
    """The officer's answer as a number: '1.234', '16', '68,6', '68,6%'."""
    return to_number(text.strip().rstrip("%").strip().replace(" ", ""), percent=percent)
