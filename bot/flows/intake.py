"""The collection dialogue: open or resume a unit's report, take figures as the officer types them, and ask for what
the report still misses, one section at a time.

/baocao [kỳ]    open or resume a report ("tuần trước", "tháng 10", "tháng 02/2024"; default: this week)
/tiendo [kỳ]    what is filled and what is missing (reporters, approvers, admins of the unit)

A reading is stated, not asked: figures read with certainty are stored at once (each a revision) and the reply
says what was stored, then asks the next missing group. Only two things wait for the officer's answer (step
"pending", buttons Thay / Giữ số cũ or Ghi / Không ghi): a figure that would replace a different value already in
the report, and a figure whose indicator was only guessed (a typo-corrected name). "sửa X thành Y" corrects
explicitly, "xóa X" / "bỏ X" deletes (both revisions). A period named as a label ("tháng 10: cấp CCCD 60") selects
that report; a period only mentioned in passing is asked about first.
"""
from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from bot.current_report import active_report, open_report, this_week
from bot.engine import Ctx, parse_command, router
from bot.figure_view import figure_line, indicator_label, progress_text
from bot.flows.checks import after_figures_changed
from bot.messages import Button
from bot.state import FlowState
from common.errors import InvalidInput
from common.vntext import fold
from db.models import Report, ReportStatus, Unit
from db.repo import reports
from figures.parse import ParseContext, ParsedFigure, ParseResult, parse_correction, parse_message
from figures.periods import KIND_NAMES, Calendar, PeriodSpec, current_period
from figures.types import FigureInput
from knowledge.catalogue import Catalogue, Indicator, Section
from knowledge.vocabulary import status_name
from province.rollup import consolidates
from reporting import periods
from reporting.figures import previous_level, record_figures, value_problem, value_text, values_for_change, values_of

FLOW = "intake"
WRITERS = ("reporter",)
VIEWERS = ("reporter", "approver", "admin")


class Pending(BaseModel):
    """A figure waiting for the officer's word before it is stored."""

    indicator: str
    value: float
    denominator: float | None = None
    rate: float | None = None
    why: str  # "overwrite" | "guess" | "period"
    period: dict | None = None  # for "period": the report the message seems to be about


class IntakeState(FlowState):
    FLOW = FLOW
    STEPS = ("ask", "pending")
    asked: list[str] = []  # the indicators of the last question (a bare number answers the single one)
    skipped: list[str] = []  # skipped this time: not asked again
    pending: list[Pending] = []


SKIP = Button("Bỏ qua", "intake:skip", ("bỏ qua", "bo qua"))
NONE = Button("Không phát sinh", "intake:none", ("không phát sinh", "không có", "kps"))
NEXT = Button("Nhập tiếp", "intake:next")
REPLACE = Button("Thay", "intake:replace", ("thay", "đồng ý", "đúng", "có"))
KEEP = Button("Giữ số cũ", "intake:keep", ("giữ", "giữ nguyên", "không thay"))
WRITE = Button("Ghi", "intake:replace", ("ghi", "đồng ý", "đúng", "có"))
DONT = Button("Không ghi", "intake:keep", ("không", "bỏ"))

OTHER_PERIODS_HINT = "Làm kỳ khác: /baocao tuần trước, /baocao tháng này, /baocao tháng 10."
ROLLUP_NOTE = ("Số liệu của các xã, phường được tổng hợp tự động từ báo cáo đã được duyệt (gõ /tonghop để xem). "
               "Anh/chị chỉ gửi số liệu riêng của sở, ngành (ví dụ: \"khám chữa bệnh bằng CCCD 3.315 lượt\"), "
               "rồi gõ /duthao để tạo dự thảo.")
FIX_HINT = "Số nào chưa đúng, anh/chị gõ «sửa … thành …» hoặc «xóa …»."


# --- periods ----------------------------------------------------------------------------------------

# a bare kind ("/baocao tháng") means the current period of that kind
_BARE_KINDS = {fold(name): kind for kind, name in KIND_NAMES.items() if kind != "dot_xuat"}


def on_calendar(spec: PeriodSpec, cal: Calendar) -> PeriodSpec:
    """A named calendar month ('tháng 10') means the unit's month window that ends in it."""
    if spec.kind == "thang" and cal.month_start_day > 1 and spec.start.day == 1:
        return current_period("thang", date(spec.end.year, spec.end.month, cal.month_start_day - 1), cal)
    return spec


def parse_context(ctx: Ctx, target: str | None = None) -> ParseContext:
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
    res = parse_message(text, ctx.catalogue(unit.id), context=parse_context(ctx))
    if res.period is None or res.figures:
        return None
    return on_calendar(res.period, cal)


def named_period(ctx: Ctx, unit: Unit, text: str, command: str) -> PeriodSpec:
    spec = resolve_period(ctx, unit, text)
    if spec is None:
        raise InvalidInput(f"Tôi chưa hiểu kỳ báo cáo «{text.strip()}». Anh/chị gõ ví dụ: /{command} tuần này, "
                           f"/{command} tuần trước, /{command} tháng 10, /{command} tháng 02/2024.")
    return spec


def _state_report(ctx: Ctx, unit: Unit) -> Report | None:
    return reports.report_for_unit(ctx.s, ctx.report_id, unit.id) if ctx.report_id is not None else None


def _labelled_period(ctx: Ctx, unit: Unit, text: str) -> PeriodSpec | None:
    """The period a message opens with as a label ("tháng 10: cấp CCCD 60", "Tuần trước - định danh 54")."""
    m = re.match(r"^\s*([^:\n]{3,40}?)\s*[:\-–]", text)
    return resolve_period(ctx, unit, m.group(1)) if m else None


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
        return show_progress(ctx, unit, period_text)
    if period_text.strip():
        report = open_report(ctx, unit, named_period(ctx, unit, period_text, "baocao"))
    else:
        # resume the report the officer was filling in (a check or a question may have come between);
        # otherwise propose this week's
        resumed = _state_report(ctx, unit)
        report = resumed if resumed is not None and resumed.status != ReportStatus.APPROVED else open_report(
            ctx, unit, this_week(ctx, unit))
    label = report.period.label
    if report.status == ReportStatus.APPROVED:
        ctx.clear_flow()
        ctx.say(f"Báo cáo {label} của {unit.name} đã được duyệt nên không nhập thêm số liệu được. "
                f"Gõ /tiendo để xem số liệu. {OTHER_PERIODS_HINT}")
        return
    cat = ctx.catalogue(unit.id)
    have = values_of(ctx.s, report)
    template = cat.template(report.period.kind)
    done = sum(1 for i in template if i in have)
    intro = f"Báo cáo {label} — {unit.name}"
    intro += f" (tiếp tục: đã có {done}/{len(template)} chỉ tiêu theo mẫu).\n" if have else ".\n"
    intro += ("Anh/chị gửi số liệu như khi nói chuyện, nhiều số trong một tin cũng được, ví dụ: "
              "\"cấp CCCD 60, mới 33, đổi 11, lại 16\"; hoặc gõ /mau để nhận mẫu báo cáo nhanh, điền rồi gửi lại "
              "một lần. " + OTHER_PERIODS_HINT)
    week = this_week(ctx, unit)
    if (report.period.kind, report.period.start) != (week.kind, week.start):
        intro += " Báo cáo tuần này: /baocao tuần này."
    ctx.enter(IntakeState(), "ask")
    ask_next(ctx, report, intro + "\n\n")


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


def ask_next(ctx: Ctx, report: Report, intro: str = "", have: set[str] | None = None) -> None:
    """Ask the next group of missing indicators (or say the template is complete); `have`: the indicators the
    report has, when the caller just read them."""
    if consolidates(report.unit.level):  # a province's checklist is its communes' approved reports
        ctx.clear_flow()
        ctx.say(f"{intro}{ROLLUP_NOTE}")
        return
    cat = ctx.catalogue(report.unit_id)
    st = ctx.flow_state(IntakeState) or IntakeState()
    have = set(values_of(ctx.s, report)) if have is None else have
    section, group = _next_group(cat, report, have, set(st.skipped))
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
    ctx.enter(IntakeState(asked=group, skipped=st.skipped), "ask")
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
    """The one indicator a bare number ("45", "45 tài khoản", "12/15") answers: the single one asked. Anything
    more in the message names its own indicator, or nothing."""
    st = ctx.flow_state(IntakeState)
    if not st or ctx.state.step != "ask" or len(st.asked) != 1:
        return None
    ind = ctx.catalogue().get(st.asked[0])
    rest = fold(re.sub(r"[\d.,/%]+", " ", ctx.text)).strip(" .!")
    return st.asked[0] if ind is not None and rest in ("", fold(ind.unit)) else None


def _parse(ctx: Ctx, target: str | None) -> tuple[list[ParsedFigure], ParseResult, bool]:
    """Figures in the message, the full parse, and whether the officer corrected explicitly ('sửa X thành Y')."""
    cat = ctx.catalogue()
    res = parse_message(ctx.text, cat, context=parse_context(ctx, target))
    if res.is_question:
        return [], res, False
    correction = parse_correction(ctx.text, cat, context=parse_context(ctx))
    return (correction or res.figures), res, bool(correction)


def _report_for(ctx: Ctx, res: ParseResult) -> tuple[Report, PeriodSpec | None]:
    """The report a message's figures go to, and a period it only mentions in passing (asked about first)."""
    unit = ctx.require_role(*WRITERS)
    if res.period is None:
        return active_report(ctx, *WRITERS, lock=True), None
    spec = on_calendar(res.period, periods.unit_calendar(unit))
    if _labelled_period(ctx, unit, ctx.text) == spec:  # before any other report is opened: none is made empty
        return open_report(ctx, unit, spec), None
    current = active_report(ctx, *WRITERS, lock=True)
    if (current.period.kind, current.period.start, current.period.end) == (spec.kind, spec.start, spec.end):
        return current, None
    return current, spec


def _line(cat: Catalogue, p: Pending, old: tuple | None) -> str:
    ind = cat.get(p.indicator)
    new = value_text(ind, p.value, p.denominator, p.rate)
    name = ind.name if ind else p.indicator
    if p.why == "overwrite" and old is not None:
        return f"• {name}: {value_text(ind, *old)} → {new}?"
    if p.why == "guess":
        return f"• {name} (tôi đoán từ tên anh/chị gõ): {new}?"
    return f"• {name}: {new}"


def take_figures(ctx: Ctx, figs: list[ParsedFigure], res: ParseResult, *, explicit: bool = False) -> bool:
    """Store the message's certain figures, hold guesses and overwrites for the officer's word, and say so."""
    report, mentioned = _report_for(ctx, res)
    reports.ensure_editable(report)
    st = ctx.flow_state(IntakeState) or IntakeState()
    dropped = list(st.pending)
    have = values_for_change(ctx.s, report)
    answering = set(st.asked) if ctx.state.step == "ask" else set()
    cat = ctx.catalogue(report.unit_id)
    certain, pending, refused = [], [], []
    for f in figs:
        problem = value_problem(cat.get(f.indicator), FigureInput(f.indicator, f.value, f.denominator, f.rate))
        if problem:  # never offered for confirmation: it cannot be stored as it is
            refused.append(problem)
            continue
        new = (f.value, f.denominator, f.rate)
        old = have.get(f.indicator)
        if mentioned is not None:
            why = "period"
        elif f.guess:
            why = "guess"
        elif old is not None and old != new and not explicit and f.indicator not in answering:
            why = "overwrite"
        else:
            certain.append(FigureInput(f.indicator, f.value, f.denominator, f.rate))
            continue
        pending.append(Pending(indicator=f.indicator, value=f.value, denominator=f.denominator, rate=f.rate,
                               why=why, period=mentioned.as_dict() if mentioned else None))
    out = []
    if dropped:
        out.append(f"(Chưa ghi {len(dropped)} số đang chờ xác nhận ở tin trước.)")
    stored = _store(ctx, report, certain, out)
    if refused:
        out.append("Chưa ghi: " + " ".join(refused))
    out += [p.message for p in res.problems]
    unmatched = [u for u in res.unmatched if u.strip()]
    if unmatched:
        out.append("Chưa xác định được: " + ", ".join(f"«{u}»" for u in unmatched) +
                   " — anh/chị gõ lại kèm tên chỉ tiêu giúp tôi.")
    if pending:
        _ask_pending(ctx, st, pending, have, mentioned, out)
        return True
    if not stored:
        out.append("Số liệu đã ghi trước đó vẫn được giữ nguyên.")
        ctx.say("\n".join(out))
        return True
    _after_storing(ctx, report, st, stored, out)
    return True


def _store(ctx: Ctx, report: Report, figs: list[FigureInput], out: list[str]):
    cat = ctx.catalogue(report.unit_id)
    if not figs:
        return None
    rec = record_figures(ctx.s, report, figs, cat, officer_id=ctx.me.id, source=ctx.incoming.source,
                         source_text=ctx.text)
    lines = []
    for c in rec.changes:
        note = "(không đổi)" if not c.changed else (
            f"(trước: {value_text(cat.get(c.indicator), *c.old)})" if c.old is not None else "")
        lines.append(figure_line(cat, c.indicator, *c.new, note))
    if lines:
        out += [f"Đã ghi vào báo cáo {report.period.label}:", *lines]
    if rec.problems:
        out.append("Chưa ghi: " + " ".join(rec.problems))
    return rec if rec.stored else None


def _ask_pending(ctx: Ctx, st: IntakeState, pending: list[Pending], have: dict, mentioned: PeriodSpec | None,
                 out: list[str]) -> None:
    cat = ctx.catalogue()
    ctx.enter(IntakeState(asked=st.asked, skipped=st.skipped, pending=pending), "pending")
    if mentioned is not None:
        out.append(f"Tin này nhắc {mentioned.label}, khác báo cáo đang mở. Ghi các số sau vào báo cáo "
                   f"{mentioned.label}?")
    elif all(p.why == "overwrite" for p in pending):
        out.append("Các chỉ tiêu sau đã có số khác trong báo cáo; thay bằng số mới?")
    else:
        out.append("Anh/chị xác nhận giúp trước khi ghi:")
    out += [_line(cat, p, have.get(p.indicator)) for p in pending]
    overwrite = all(p.why == "overwrite" for p in pending)
    ctx.say("\n".join(out), buttons=[REPLACE, KEEP] if overwrite else [WRITE, DONT])


def _after_storing(ctx: Ctx, report: Report, st: IntakeState, rec, out: list[str]) -> None:
    """Say what was stored; show a finding the figures raised, else ask the next missing group."""
    out.append(FIX_HINT)
    ctx.say("\n".join(out))
    if after_figures_changed(ctx, report, rec.current):
        return  # the officer answers the finding first; /baocao asks on
    skipped = st.skipped
    if st.asked and not set(st.asked) & set(rec.stored):  # the officer sent other figures: move on, not again
        skipped = sorted(set(skipped) | set(st.asked))
    ctx.enter(IntakeState(skipped=skipped), "ask")
    ask_next(ctx, report, have={f.indicator for f in rec.current})


_BARE_NUMBER = re.compile(r"\d[\d.,]*")
_DELETE = re.compile(r"^(?:xoa|xoa bo|bo)\s+(?:so lieu\s+|so\s+|chi tieu\s+)?(?P<name>.+?)\s*$")


def delete_named(ctx: Ctx) -> bool:
    """'xóa cấp mới', 'bỏ số liệu tạm trú': delete one figure of the open report (a revision)."""
    m = _DELETE.match(fold(ctx.text).strip(" .!"))
    if m is None or ctx.unit is None:
        return False
    cat = ctx.catalogue()
    ids = cat.lookup_alias(m.group("name"))
    if len(ids) != 1:
        return False
    report = active_report(ctx, *WRITERS)
    name = cat.indicators[ids[0]].name
    if reports.delete_figure(ctx.s, report, ids[0], officer_id=ctx.me.id, source=ctx.incoming.source,
                             source_text=ctx.text):
        ctx.say(f"Đã xóa «{name}» khỏi báo cáo {report.period.label}. Muốn ghi lại, anh/chị gõ số như bình thường.")
    else:
        ctx.say(f"Báo cáo {report.period.label} chưa có số liệu «{name}».")
    return True


@router.state(FLOW)
def in_intake(ctx: Ctx) -> bool:
    """Text during the dialogue: figures, corrections, deletions, bare-number answers, another period.
    Questions are left to the Q&A intent."""
    if open_phrase(ctx):
        return True
    return read_figures(ctx, _answer_target(ctx), in_dialogue=True)


@router.intent(45)
def figures_in_text(ctx: Ctx) -> bool:
    """Figures (or a deletion) typed without /baocao go to the open report (this week's by default).

    It runs before the Q&A intent: the parser never reads a document number or a question as a figure, so a
    figure message is settled here without loading the directive library.
    """
    return read_figures(ctx, None, in_dialogue=False)


def read_figures(ctx: Ctx, target: str | None, in_dialogue: bool) -> bool:
    """Figures, a deletion, or numbers that cannot be placed (said so, nothing stored); False for anything else
    (a question, a greeting), which the Q&A intent may take."""
    if delete_named(ctx):
        return True
    figs, res, explicit = _parse(ctx, target)
    if res.is_question:
        return False
    if figs:
        return take_figures(ctx, figs, res, explicit=explicit)
    if in_dialogue and res.period is not None and not res.unmatched:
        _open(ctx, ctx.text)
        return True
    kept = "Số liệu đã ghi trước đó vẫn được giữ nguyên."
    if res.problems:
        ctx.say("\n".join(p.message for p in res.problems) + "\n" + kept)
        return True
    text = ctx.text.strip()
    if _BARE_NUMBER.fullmatch(text):
        ctx.say(f"Số {text} là của chỉ tiêu nào ạ? Anh/chị gõ kèm tên chỉ tiêu, ví dụ: \"định danh {text}\". {kept}")
        return True
    numbered = [u for u in res.unmatched if any(ch.isdigit() for ch in u)]
    if not numbered and any(ch.isdigit() for ch in text) and _names_an_indicator(ctx.catalogue(), text):
        numbered = [text]  # "định danh 1.2.3": an indicator with a number that cannot be read
    if not numbered:
        return False
    ctx.say("Tôi chưa xác định được số liệu trong: " + ", ".join(f"«{u}»" for u in numbered) +
            ". Anh/chị gõ tên chỉ tiêu kèm số viết bằng chữ số, ví dụ: \"cấp mới 35\" hoặc \"định danh 1.389\". "
            + kept)
    return True


def _names_an_indicator(cat: Catalogue, text: str) -> bool:
    words = re.sub(r"[\d.,:;/%()\-]+", " ", text)
    return bool(cat.lookup_alias(words))


# --- buttons ----------------------------------------------------------------------------------------

@router.button("intake:")
def on_button(ctx: Ctx) -> None:
    action = ctx.incoming.payload.split(":")[1]
    st = ctx.flow_state(IntakeState)
    if action == "next":  # from /tiendo: start asking again, whatever the chat was doing
        report = active_report(ctx, *WRITERS, create=False)
        ctx.enter(IntakeState(), "ask")
        return ask_next(ctx, report)
    expired = st is None or (action in ("skip", "none") and (ctx.state.step != "ask" or not st.asked)) or (
        action in ("replace", "keep") and ctx.state.step != "pending")
    if st is None or expired or action not in ("skip", "none", "replace", "keep"):
        ctx.say("Nút này đã hết hiệu lực. Gõ /baocao để tiếp tục nhập số liệu.")
        return
    report = active_report(ctx, *WRITERS, lock=True)
    if action == "skip":
        ctx.enter(IntakeState(skipped=sorted(set(st.skipped) | set(st.asked))), "ask")
        ask_next(ctx, report, "Đã bỏ qua, sẽ không hỏi lại lần này.\n\n")
    elif action == "none":
        _store_nothing_happened(ctx, report, st)
    else:
        _settle_pending(ctx, report, st, replace=action == "replace")


def _settle_pending(ctx: Ctx, report: Report, st: IntakeState, replace: bool) -> None:
    if not replace:
        ctx.enter(IntakeState(asked=st.asked, skipped=st.skipped), "ask")
        ctx.say("Đã giữ nguyên, không ghi các số đó.")
        return ask_next(ctx, report)
    target = report
    mentioned = next((p.period for p in st.pending if p.period), None)
    if mentioned is not None:
        target = open_report(ctx, ctx.require_role(*WRITERS), PeriodSpec.from_dict(mentioned))
    out: list[str] = []
    rec = _store(ctx, target, [FigureInput(p.indicator, p.value, p.denominator, p.rate) for p in st.pending], out)
    if rec is None:
        ctx.enter(IntakeState(asked=st.asked, skipped=st.skipped), "ask")
        ctx.say("\n".join(out) or "Không có số nào được ghi.")
        return
    _after_storing(ctx, target, IntakeState(asked=st.asked, skipped=st.skipped), rec, out)


def _store_nothing_happened(ctx: Ctx, report: Report, st: IntakeState) -> None:
    """'Không phát sinh': 0 for the period; a lũy kế keeps the previous period's level."""
    cat = ctx.catalogue(report.unit_id)
    figs = []
    for ind_id in st.asked:
        ind = cat.indicators[ind_id]
        value = previous_level(ctx.s, report, ind_id) if ind.kind == "cumulative" else 0.0
        figs.append(FigureInput(ind_id, value, 0.0 if ind.pair else None))
    out: list[str] = []
    rec = _store(ctx, report, figs, out)
    if any(cat.indicators[i].kind == "cumulative" for i in st.asked):
        out.append("(Số lũy kế giữ nguyên như kỳ trước.)")
    ctx.enter(IntakeState(skipped=st.skipped), "ask")
    ask_next(ctx, report, "\n".join(["Đã ghi (không phát sinh):", *out[1:]]) + "\n\n")
    if rec is not None:
        after_figures_changed(ctx, report, rec.current)


# --- progress ---------------------------------------------------------------------------------------

@router.command("tiendo", about="Xem số liệu đã nhập và còn thiếu")
def progress(ctx: Ctx) -> None:
    show_progress(ctx, ctx.require_role(*VIEWERS), (parse_command(ctx.text) or ("", ""))[1])


def show_progress(ctx: Ctx, unit: Unit, arg: str) -> None:
    if arg:
        spec = named_period(ctx, unit, arg, "tiendo")
        report = periods.existing_report(ctx.s, unit, spec)
    else:
        spec = this_week(ctx, unit)
        report = _state_report(ctx, unit) or periods.existing_report(ctx.s, unit, spec)
    if report is None:
        ctx.say(f"Chưa có báo cáo {spec.label} của {unit.name}. Gõ /baocao để bắt đầu nhập số liệu.")
        return
    cat = ctx.catalogue(unit.id)
    figs = values_of(ctx.s, report)
    st = ctx.flow_state(IntakeState)
    skipped = set(st.skipped) if st and ctx.report_id == report.id else set()
    title = f"Báo cáo {report.period.label} — {unit.name} ({status_name(report.status)})"
    template = cat.template(report.period.kind)
    can_fill = ("reporter" in ctx.roles() and ReportStatus(report.status).editable
                and any(i not in figs for i in template))
    if can_fill:
        ctx.remember(unit_id=unit.id, report_id=report.id)
    ctx.say(progress_text(cat, title, figs, template, skipped), buttons=[NEXT] if can_fill else [])
