"""A whole report pasted in chat or sent as a DOCX/PDF (a past report, or this period's written elsewhere): its
figures are read section by section, shown once grouped by section, and stored after one confirmation — so a new
unit has its history for the checks from day one.

step confirm   the reading is shown; buttons Lưu số liệu / Hủy
step period    the report's title names no period: the officer types it ("tuần 17/8 - 23/8/2023", "năm 2023")
Figures two different values were read for are not stored (listed for the officer to type). A figure stated for
another period inside the report ("Năm 2022: …") goes to that period's report. Approved reports are left as they are.
"""
from __future__ import annotations

from pydantic import BaseModel

from bot.engine import Ctx, router
from bot.flows.intake import on_calendar, parse_context, resolve_period
from bot.messages import Button
from bot.state import FlowState
from common.errors import InvalidInput
from common.vntext import fold
from db.models import ReportStatus
from figures.periods import PeriodSpec
from figures.report_reader import ReportReading, looks_like_report, read_report, summary_text
from figures.types import FigureInput
from reporting import periods
from reporting.figures import record_figures

FLOW = "nhap_bao_cao"
WRITERS = ("reporter",)


class Read(BaseModel):
    indicator: str
    value: float
    denominator: float | None = None
    rate: float | None = None
    period: dict | None = None  # None: the report's own period


class ImportState(FlowState):
    FLOW = FLOW
    STEPS = ("confirm", "period")
    FREE_TEXT = ("period",)
    figures: list[Read] = []
    period: dict | None = None
    summary: str = ""


SAVE = Button("Lưu số liệu", f"{FLOW}:save", ("lưu", "đồng ý", "có"))
CANCEL = Button("Hủy", f"{FLOW}:cancel", ("hủy", "không"))


def _start(ctx: Ctx, text: str) -> None:
    unit = ctx.require_role(*WRITERS)
    reading = read_report(text, ctx.catalogue(unit.id), parse_context(ctx))
    if not reading.groups:
        raise InvalidInput("Tôi không đọc được số liệu nào trong báo cáo này. Anh/chị kiểm tra lại nội dung, hoặc "
                           "gửi số liệu theo từng dòng.")
    st = _state(reading, unit)
    if st.period is None:
        ctx.enter(st, "period")
        ctx.say(summary_text(reading) + "\nAnh/chị cho biết báo cáo này của kỳ nào, ví dụ: «tuần 17/8 - 23/8/2023», "
                "«tháng 10/2023», «năm 2023».", buttons=[CANCEL])
        return
    ctx.enter(st, "confirm")
    ctx.say(summary_text(reading) + "\nLưu các số liệu trên?", buttons=[SAVE, CANCEL])


def _state(reading: ReportReading, unit) -> ImportState:
    cal = periods.unit_calendar(unit)

    def spec(p: PeriodSpec | None) -> dict | None:
        return on_calendar(p, cal).as_dict() if p else None

    read = [Read(indicator=f.indicator, value=f.value, denominator=f.denominator, rate=f.rate, period=spec(p))
            for p, f in reading.figures()]
    return ImportState(figures=read, period=spec(reading.period), summary=summary_text(reading))


@router.label
def pasted_report(ctx: Ctx) -> bool:
    """A pasted report (many headings and items, or a long text): read whole, confirmed once."""
    if not looks_like_report(ctx.text) or not ctx.roles() & set(WRITERS):
        return False
    _start(ctx, ctx.text)
    return True


@router.file
def report_file(ctx: Ctx) -> bool:
    """A report sent as DOCX/PDF by a reporter (an admin's file goes to the library unless its caption says
    "báo cáo")."""
    f = ctx.incoming.file
    roles = ctx.roles()
    if f is None or "reporter" not in roles or ("admin" in roles and "bao cao" not in fold(ctx.incoming.text)):
        return False
    _start(ctx, f.text())
    return True


@router.state(FLOW)
def period_answer(ctx: Ctx) -> bool:
    st = ctx.flow_state(ImportState)
    if st is None or ctx.state.step != "period":
        return False
    spec = resolve_period(ctx, ctx.require_role(*WRITERS), ctx.text)
    if spec is None:
        ctx.say("Tôi chưa hiểu kỳ báo cáo này. Anh/chị gõ ví dụ: «tuần 17/8 - 23/8/2023», «tháng 10/2023».",
                buttons=[CANCEL])
        return True
    ctx.enter(ImportState(figures=st.figures, period=spec.as_dict(), summary=st.summary), "confirm")
    ctx.say(f"Lưu {len(st.figures)} số liệu vào báo cáo {spec.label}?", buttons=[SAVE, CANCEL])
    return True


@router.button(f"{FLOW}:")
def on_button(ctx: Ctx) -> None:
    st = ctx.flow_state(ImportState)
    action, step = ctx.incoming.payload.split(":")[1], ctx.state.step
    ctx.clear_flow()
    if action == "cancel" or st is None:
        ctx.say("Đã hủy; không lưu số liệu nào." if st else "Nút này đã hết hiệu lực.")
        return
    if action != "save" or st.period is None or step != "confirm":
        ctx.say("Nút này đã hết hiệu lực.")
        return
    _save(ctx, st)


def _save(ctx: Ctx, st: ImportState) -> None:
    unit = ctx.require_role(*WRITERS)
    cat = ctx.catalogue(unit.id)
    assert st.period is not None  # the save button's handler checked it
    by_period: dict[tuple, list[Read]] = {}
    for r in st.figures:
        p = r.period or st.period
        by_period.setdefault(tuple(sorted(p.items())), []).append(r)
    lines = []
    for key, figs in by_period.items():
        spec = PeriodSpec.from_dict(dict(key))
        report = periods.open_report(ctx.s, unit, spec, ctx.me.id)
        if not ReportStatus(report.status).editable:
            lines.append(f"Báo cáo {spec.label} đã trình hoặc đã duyệt nên không ghi đè ({len(figs)} số bỏ qua).")
            continue
        rec = record_figures(ctx.s, report, [FigureInput(r.indicator, r.value, r.denominator, r.rate) for r in figs],
                             cat, officer_id=ctx.me.id, source=ctx.incoming.source, source_text="(nhập báo cáo)")
        changed = sum(c.changed for c in rec.changes)
        lines.append(f"Báo cáo {spec.label}: đã lưu {len(rec.changes)} số liệu ({changed} mới hoặc thay đổi).")
        lines += [f"Chưa ghi: {p}" for p in rec.problems]
    ctx.say("\n".join(lines) + "\nGõ /baocao để tiếp tục, /kiemtra để kiểm tra, /duthao để tạo dự thảo.")
