"""The collection dialogue: open or resume a unit's report, take figures as the officer types them,
confirm what was understood, and ask for what the report template still misses, one section at a time.

/baocao [kỳ]    open or resume a report ("tuần trước", "tháng 10", "tháng 02/2024"; default: this week)
/tiendo [kỳ]    what is filled and what is missing (reporters, approvers, admins of the unit)
Plain words ("làm báo cáo tuần này") open a report too; free text with figures is stored in the open
report from any state, so /baocao is never a prerequisite.

All state is in ctx.state (the database), so a restart or a day away loses nothing:
  flow "intake", step "ask"      a group of missing indicators was asked (data["asked"]);
                                 buttons Bỏ qua / Không phát sinh
                 step "confirm"  figures were stored and shown; buttons Đúng / Sửa
                 step "fix"      the officer pressed Sửa: the next figures (or a bare number) correct them
  data["skipped"]  indicators skipped this time; data["last"] the last stored batch
Typed button labels ("đúng", "bỏ qua") work like the buttons, for channels without them. Figures are
stored at once (each a revision), then the checks flow re-checks the report.
"""
from __future__ import annotations

import re
from datetime import date

from bot.current_report import active_report, open_report, this_week
from bot.engine import Ctx, parse_command, router
from bot.figure_view import figure_line, indicator_label, progress_text
from bot.flows.checks import after_figures_changed
from bot.messages import Button
from common.errors import InvalidInput
from common.vntext import fold
from db.models import Report, Unit
from db.repo import reports
from figures.parse import ParseContext, ParsedFigure, ParseResult, parse_correction, parse_message
from figures.periods import KIND_NAMES, Calendar, PeriodSpec, current_period
from figures.types import FigureInput
from knowledge.catalogue import Catalogue, Indicator, Section, load_catalogue
from knowledge.vocabulary import status_name
from reporting import periods
from reporting.figures import Recorded, previous_level, record_figures, value_text, values_of

FLOW = "intake"
WRITERS = ("reporter",)
VIEWERS = ("reporter", "approver", "admin")

OK, FIX = Button("Đúng", "intake:ok"), Button("Sửa", "intake:fix")
SKIP, NONE = Button("Bỏ qua", "intake:skip"), Button("Không phát sinh", "intake:none")
NEXT = Button("Nhập tiếp", "intake:next")
# typed labels work like the buttons: for channels without buttons, and after another flow's buttons
_TYPED = {fold(b.label): b.payload.split(":")[1] for b in (OK, FIX, SKIP, NONE)}

OTHER_PERIODS_HINT = "Làm kỳ khác: /baocao tuần trước, /baocao tháng này, /baocao tháng 10."


# --- periods ----------------------------------------------------------------------------------------

# a bare kind ("/baocao tháng") means the current period of that kind
_BARE_KINDS = {fold(name): kind for kind, name in KIND_NAMES.items() if kind != "dot_xuat"}


def _on_calendar(spec: PeriodSpec, cal: Calendar) -> PeriodSpec:
    """A named calendar month ('tháng 10') means the unit's month window that ends in it."""
    if spec.kind == "thang" and cal.month_start_day > 1 and spec.start.day == 1:
        return current_period("thang", date(spec.end.year, spec.end.month, cal.month_start_day - 1), cal)
    return spec


def _context(ctx: Ctx, target: str | None = None) -> ParseContext:
    """Relative periods ('tuần trước') follow the unit's calendar: a week may start on Thursday."""
    unit = ctx.unit
    return ParseContext(last_indicator=target, today=ctx.today(),
                        calendar=periods.unit_calendar(unit) if unit else Calendar())


def resolve_period(ctx: Ctx, unit: Unit, text: str) -> PeriodSpec | None:
    """The period named by `text` alone ('tuần trước', 'tháng 02/2024'), or None."""
    cal = periods.unit_calendar(unit)
    key = fold(text).strip(" .!,:")
    if not key:
        return None
    if key in _BARE_KINDS:
        return current_period(_BARE_KINDS[key], ctx.today(), cal)
    res = parse_message(text, load_catalogue(), context=_context(ctx))
    if res.period is None or res.figures:
        return None
    return _on_calendar(res.period, cal)


def _state_report(ctx: Ctx, unit: Unit) -> Report | None:
    rid = (ctx.state.data or {}).get("report_id")
    return reports.report_for_unit(ctx.s, int(rid), unit.id) if rid is not None else None


# --- opening a report -------------------------------------------------------------------------------

@router.command("baocao", about="Mở hoặc tiếp tục báo cáo kỳ này (ví dụ: /baocao tuần trước)")
def open_command(ctx: Ctx) -> None:
    _open(ctx, (parse_command(ctx.text) or ("", ""))[1])


_OPEN_PHRASE = re.compile(r"^(?:(?:lam|mo|nhap|tiep tuc|bat dau)\s+)?(?:bao cao|so lieu)(?:\s+(.*))?$")


@router.intent(40)
def open_phrase(ctx: Ctx) -> bool:
    """'làm báo cáo tuần này', 'bao cao thang 10': only when the rest is a period (or nothing)."""
    m = _OPEN_PHRASE.match(fold(ctx.text).strip(" .!"))
    if m is None or ctx.unit is None:
        return False
    rest = (m.group(1) or "").strip()
    if rest and resolve_period(ctx, ctx.unit, rest) is None:
        return False
    _open(ctx, rest)
    return True


def _open(ctx: Ctx, period_text: str) -> None:
    unit = ctx.require_role(*VIEWERS)
    if not ctx.roles() & set(WRITERS):  # an approver asking for "báo cáo tuần này" wants to see it
        return _show_progress(ctx, unit, period_text)
    if period_text.strip():
        report = open_report(ctx, unit, _named_period(ctx, unit, period_text, "baocao"))
    else:
        # resume the report the officer was filling in (a check or a question may have come between);
        # otherwise propose this week's
        resumed = _state_report(ctx, unit)
        report = resumed if resumed is not None and resumed.status != "approved" else open_report(
            ctx, unit, this_week(ctx, unit))
    label = report.period.label
    if report.status == "approved":
        ctx.clear_flow()
        ctx.say(f"Báo cáo {label} của {unit.name} đã được duyệt nên không nhập thêm số liệu được. "
                f"Gõ /tiendo để xem số liệu. {OTHER_PERIODS_HINT}")
        return
    cat = load_catalogue()
    have = values_of(ctx.s, report)
    template = cat.template(report.period.kind)
    done = sum(1 for i in template if i in have)
    intro = f"Báo cáo {label} — {unit.name}"
    intro += f" (tiếp tục: đã có {done}/{len(template)} chỉ tiêu theo mẫu).\n" if have else ".\n"
    intro += ("Anh/chị gửi số liệu như khi nói chuyện, nhiều số trong một tin cũng được, ví dụ: "
              "\"cấp CCCD 60, mới 33, đổi 11, lại 16\". " + OTHER_PERIODS_HINT)
    week = this_week(ctx, unit)
    if (report.period.kind, report.period.start) != (week.kind, week.start):
        intro += " Báo cáo tuần này: /baocao tuần này."
    intro += "\n\n"
    ctx.set_flow(FLOW, "ask", asked=[], skipped=[], last=[])
    _ask_next(ctx, report, intro)


# --- asking for what is missing ---------------------------------------------------------------------

GROUP_SIZE = 4  # a phone screen's worth; a service's indicators are never split across questions


def _next_group(cat: Catalogue, report: Report, have: set[str], skipped: set[str]
                ) -> tuple[Section | None, list[str]]:
    """The missing template indicators of the first report section (in report order) that has some;
    a long section (the public services) comes in a few questions, a whole service at a time."""
    wanted = [i for i in cat.template(report.period.kind) if i not in have and i not in skipped]
    for section in cat.sections:
        group: list[str] = []
        for i in (i for i in wanted if cat.indicators[i].section == section.id):
            if len(group) >= GROUP_SIZE and cat.indicators[i].service != cat.indicators[group[-1]].service:
                break
            group.append(i)
        if group:
            return section, group
    return None, []


def _phrase(ind: Indicator) -> str | None:
    """A short name the parser knows; none when every alias holds a digit ('CMND 9 số' reads as 9)."""
    return next((p for p in [*ind.aliases, ind.name] if not any(ch.isdigit() for ch in p)), None)


def _example(ind: Indicator) -> str | None:
    """'kích hoạt 12', 'số hóa đầu vào 12/12': something the officer can copy."""
    phrase = _phrase(ind)
    return f"{phrase} {'12/12' if ind.pair else '12'}" if phrase else None


def _ask_next(ctx: Ctx, report: Report, intro: str = "") -> None:
    cat = load_catalogue()
    have = set(values_of(ctx.s, report))
    skipped = set((ctx.state.data or {}).get("skipped") or [])
    section, group = _next_group(cat, report, have, skipped)
    if section is None:
        ctx.clear_flow()
        left = [i for i in cat.template(report.period.kind) if i not in have]
        if left:
            ctx.say(f"{intro}Đã hỏi hết các mục; còn {len(left)} chỉ tiêu anh/chị đã bỏ qua. "
                    "Gõ /tiendo để xem, /baocao để nhập tiếp, /kiemtra để kiểm tra, /duthao để tạo dự thảo.")
        else:
            ctx.say(f"{intro}Đã đủ số liệu theo mẫu báo cáo {KIND_NAMES[report.period.kind]}. "
                    "Gõ /tiendo để xem lại, /kiemtra để kiểm tra, /duthao để tạo dự thảo.")
        return
    ctx.set_flow(FLOW, "ask", asked=group)
    lines = [f"Mục «{section.name}» còn thiếu:"] + [f"• {indicator_label(cat, i)}" for i in group]
    if len(group) == 1:
        lines.append("Anh/chị gõ số (ví dụ: 12), hoặc chọn nút bên dưới.")
    else:
        example = next((e for e in (_example(cat.indicators[i]) for i in group) if e), None)
        lines.append("Anh/chị gõ số kèm tên chỉ tiêu" + (f", ví dụ: \"{example}\"" if example else "") +
                     "; hoặc chọn nút bên dưới.")
    ctx.say(intro + "\n".join(lines), buttons=[SKIP, NONE])


# --- taking figures ---------------------------------------------------------------------------------

def _answer_target(ctx: Ctx) -> str | None:
    """The one indicator a bare number answers: the single one asked, or the single one being fixed."""
    data = ctx.state.data or {}
    if ctx.state.flow != FLOW:
        return None
    pool = {"ask": data.get("asked"), "fix": data.get("last")}.get(ctx.state.step) or []
    return pool[0] if len(pool) == 1 else None


def _parse(ctx: Ctx, target: str | None) -> tuple[list[ParsedFigure], ParseResult]:
    """Figures in the message (a correction 'sửa X thành Y' first), and the full parse."""
    cat = load_catalogue()
    res = parse_message(ctx.text, cat, context=_context(ctx, target))
    if res.is_question:
        return [], res
    correction = parse_correction(ctx.text, cat, context=_context(ctx))
    return (correction or res.figures), res


def _store(ctx: Ctx, report: Report, figs: list[FigureInput]) -> tuple[list[str], Recorded]:
    """Stores each figure as a revision. Returns the table lines to show and what was recorded."""
    cat = load_catalogue()
    rec = record_figures(ctx.s, report, figs, cat, officer_id=ctx.me.id, source=ctx.incoming.source,
                         source_text=ctx.text)
    lines = []
    for c in rec.changes:
        note = ""
        if not c.changed:
            note = "(không đổi)"
        elif c.old is not None:
            note = f"(trước: {value_text(cat.get(c.indicator), *c.old)})"
        lines.append(figure_line(cat, c.indicator, *c.new, note))
    return lines, rec


def _report_for(ctx: Ctx, period: PeriodSpec | None) -> Report:
    """The open report; a period named in the message ('tháng 10: cấp CCCD 60') selects that one."""
    if period is None:
        return active_report(ctx, *WRITERS)
    unit = ctx.require_role(*WRITERS)
    spec = _on_calendar(period, periods.unit_calendar(unit))
    current = _state_report(ctx, unit)
    if current is not None and (current.period.kind, current.period.start, current.period.end) == (
            spec.kind, spec.start, spec.end):
        return current
    if ctx.state.flow == FLOW:
        ctx.set_flow(FLOW, "confirm", asked=[], skipped=[], last=[])
    return open_report(ctx, unit, spec)


def take_figures(ctx: Ctx, figs: list[ParsedFigure], res: ParseResult) -> bool:
    """Stores the figures (or correction) of the message, shows them and asks for confirmation."""
    report = _report_for(ctx, res.period)
    lines, rec = _store(ctx, report, [FigureInput(f.indicator, f.value, f.denominator, f.rate) for f in figs])
    unmatched = [u for u in res.unmatched if u.strip()]
    out = [f"Đã ghi vào báo cáo {report.period.label}:", *lines] if lines else []
    if unmatched:
        out.append("Chưa xác định được: " + ", ".join(f"«{u}»" for u in unmatched) +
                   " — anh/chị gõ lại kèm tên chỉ tiêu giúp tôi.")
    if rec.problems:
        out.append("Chưa ghi: " + " ".join(rec.problems))
    if not rec.stored:
        out.append("Số liệu đã ghi trước đó vẫn được giữ nguyên.")
        ctx.say("\n".join(out))
        return True
    ctx.set_flow(FLOW, "confirm", last=rec.stored)
    out.append("Số liệu trên đúng chưa ạ?")
    ctx.say("\n".join(out), buttons=[OK, FIX])
    after_figures_changed(ctx, report, rec.current)  # the officer hears at once that 33 + 11 + 15 ≠ 60
    return True


_BARE_NUMBER = re.compile(r"\d[\d.,]*")


@router.state(FLOW)
def in_intake(ctx: Ctx) -> bool:
    """Text during the dialogue: figures, corrections, bare-number answers, another period ('tháng 10').
    Questions are left to the Q&A intent."""
    typed = _TYPED.get(fold(ctx.text).strip(" .!"))
    if typed is not None:
        _act(ctx, typed)
        return True
    if open_phrase(ctx):
        return True
    figs, res = _parse(ctx, _answer_target(ctx))
    if res.is_question:
        return False
    if figs:
        return take_figures(ctx, figs, res)
    if res.period is not None and not res.unmatched:
        _open(ctx, ctx.text)
        return True
    numbered = [u for u in res.unmatched if any(ch.isdigit() for ch in u)]
    if not numbered and any(ch.isdigit() for ch in ctx.text):
        numbered = [ctx.text.strip()]  # a number the parser could not read at all ("1.2.3")
    if not numbered:
        return False
    if numbered == [ctx.text.strip()] and _BARE_NUMBER.fullmatch(ctx.text.strip()):
        ctx.say(f"Số {ctx.text.strip()} là của chỉ tiêu nào ạ? Anh/chị gõ kèm tên chỉ tiêu, ví dụ: "
                f"\"định danh {ctx.text.strip()}\". Số liệu đã ghi trước đó vẫn được giữ nguyên.")
        return True
    ctx.say("Tôi chưa xác định được số liệu trong: " + ", ".join(f"«{u}»" for u in numbered) +
            ". Anh/chị gõ tên chỉ tiêu kèm số viết bằng chữ số, ví dụ: \"cấp mới 35\" hoặc \"định danh 1.389\". "
            "Số liệu đã ghi trước đó vẫn được giữ nguyên.")
    return True


@router.intent(45)
def figures_in_text(ctx: Ctx) -> bool:
    """Figures typed without /baocao go to the open report (this week's by default).

    It runs before the Q&A intent: the parser never reads a document number or a question as a figure, so a
    figure message is settled here without loading the directive library.
    """
    figs, res = _parse(ctx, None)
    return bool(figs) and take_figures(ctx, figs, res)


# --- buttons ----------------------------------------------------------------------------------------

@router.button("intake:")
def on_button(ctx: Ctx) -> None:
    _act(ctx, ctx.incoming.payload.split(":")[1])


def _act(ctx: Ctx, action: str) -> None:
    data = ctx.state.data or {}
    if action == "next":  # from /tiendo: start asking again, whatever the chat was doing
        report = active_report(ctx, *WRITERS, create=False)
        ctx.set_flow(FLOW, "ask", asked=[], skipped=[], last=[])
        return _ask_next(ctx, report)
    asked = data.get("asked") or []
    if ctx.state.flow != FLOW or (action in ("skip", "none") and (ctx.state.step != "ask" or not asked)):
        ctx.say("Nút này đã hết hiệu lực. Gõ /baocao để tiếp tục nhập số liệu.")
        return
    report = active_report(ctx, *WRITERS)
    if action == "ok":
        _ask_next(ctx, report)
    elif action == "fix":
        _start_fix(ctx, data.get("last") or [])
    elif action == "skip":
        ctx.update_data(skipped=sorted(set(data.get("skipped") or []) | set(asked)))
        _ask_next(ctx, report, "Đã bỏ qua, sẽ không hỏi lại lần này.\n\n")
    elif action == "none":
        _store_nothing_happened(ctx, report, asked)
    else:
        ctx.say("Nút này đã hết hiệu lực. Gõ /baocao để tiếp tục nhập số liệu.")


def _start_fix(ctx: Ctx, last: list[str]) -> None:
    cat = load_catalogue()
    ctx.set_flow(FLOW, "fix")
    phrase = _phrase(cat.indicators[last[0]]) if last else None
    text = f"Anh/chị gõ lại số đúng, ví dụ: \"sửa {phrase or 'cấp mới'} thành 35\""
    if len(last) == 1:
        text += f", hoặc chỉ gõ số mới cho «{cat.indicators[last[0]].name}»"
    ctx.say(text + ".")


def _store_nothing_happened(ctx: Ctx, report: Report, asked: list[str]) -> None:
    """'Không phát sinh': 0 for the period; a lũy kế keeps the previous period's level."""
    cat = load_catalogue()
    figs = []
    for ind_id in asked:
        ind = cat.indicators[ind_id]
        value = previous_level(ctx.s, report, ind_id) if ind.kind == "cumulative" else 0.0
        figs.append(FigureInput(ind_id, value, 0.0 if ind.pair else None))
    lines, rec = _store(ctx, report, figs)
    if any(cat.indicators[i].kind == "cumulative" for i in asked):
        lines.append("(Số lũy kế giữ nguyên như kỳ trước.)")
    ctx.update_data(last=rec.stored)
    _ask_next(ctx, report, "\n".join(["Đã ghi (không phát sinh):", *lines, *rec.problems]) + "\n\n")
    after_figures_changed(ctx, report, rec.current)  # the officer hears at once that 33 + 11 + 15 ≠ 60


# --- progress ---------------------------------------------------------------------------------------

@router.command("tiendo", about="Xem số liệu đã nhập và còn thiếu")
def progress(ctx: Ctx) -> None:
    _show_progress(ctx, ctx.require_role(*VIEWERS), (parse_command(ctx.text) or ("", ""))[1])


def _named_period(ctx: Ctx, unit: Unit, text: str, command: str) -> PeriodSpec:
    spec = resolve_period(ctx, unit, text)
    if spec is None:
        raise InvalidInput(f"Tôi chưa hiểu kỳ báo cáo «{text.strip()}». Anh/chị gõ ví dụ: /{command} tuần này, "
                           f"/{command} tuần trước, /{command} tháng 10, /{command} tháng 02/2024.")
    return spec


def _show_progress(ctx: Ctx, unit: Unit, arg: str) -> None:
    if arg:
        spec = _named_period(ctx, unit, arg, "tiendo")
        report = periods.existing_report(ctx.s, unit, spec)
    else:
        spec = this_week(ctx, unit)
        report = _state_report(ctx, unit) or periods.existing_report(ctx.s, unit, spec)
    if report is None:
        ctx.say(f"Chưa có báo cáo {spec.label} của {unit.name}. Gõ /baocao để bắt đầu nhập số liệu.")
        return
    cat = load_catalogue()
    figs = values_of(ctx.s, report)
    data = ctx.state.data or {}
    skipped = set(data.get("skipped") or []) if data.get("report_id") == report.id else set()
    title = f"Báo cáo {report.period.label} — {unit.name} ({status_name(report.status)})"
    template = cat.template(report.period.kind)
    can_fill = "reporter" in ctx.roles() and report.status != "approved" and any(i not in figs for i in template)
    if can_fill:
        ctx.update_data(report_id=report.id)
    ctx.say(progress_text(cat, title, figs, template, skipped), buttons=[NEXT] if can_fill else [])
