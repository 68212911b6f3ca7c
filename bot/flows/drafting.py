"""Drafts and review in the conversation.

/duthao, "làm dự thảo"   ask the narrative parts still missing (offering last period's text), then render
                         a new version and send the DOCX, the chart, a three-line summary and open findings
"sửa mục 3: …"           replace the text of a part (by the number shown in the draft or its name)
"thêm vào kiến nghị: …"  append to a part;  "bỏ phụ lục" / "thêm phụ lục"  toggle the appendix
/phienban [N]            list the versions (or send version N again)
/trinh                   submit to the unit's approvers (blocked while check errors are open)
/duyet, /tralai lý do    approve (locks the figures) or return with a comment; /molai lý do reopens (audited)
"""
from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.current_report import active_report
from bot.engine import Ctx, parse_command, router
from bot.messages import Button
from bot.state import FlowState
from common import llm
from common.errors import InvalidInput, OfficerError, TransitionRefused
from common.vntext import fold, typed_without_diacritics
from db.models import Identity, Officer, Report, ReportStatus
from db.repo import reports, units
from drafting.from_db import draft_input
from drafting.sections import build_body, find_slot
from drafting.structure import Part
from drafting.unit_structures import structure_for
from drafting.versions import changes_since_previous, new_version, versions
from knowledge.vocabulary import status_name
from reporting import content, lifecycle
from reporting.findings import is_absence, open_findings, run_checks

FLOW, RETURN_FLOW = "duthao", "tralai"


class NarrativeState(FlowState):
    """The narrative parts being asked before a draft: one part at a time (step part); a part typed without
    accents waits for the officer's choice (step unaccented) with the text and, when an LLM is configured, a
    version with accents restored."""

    FLOW = FLOW
    STEPS = ("part", "unaccented")
    FREE_TEXT = ("part", "unaccented")
    key: str = ""
    typed: str = ""
    restored: str = ""


class ReturnState(FlowState):
    """An approver asked for the reason a report is returned."""

    FLOW = RETURN_FLOW
    STEPS = ("reason",)
    FREE_TEXT = ("reason",)
    report_id: int = 0


WRITERS = ("reporter", "admin")
MAX_FINDINGS_SHOWN = 5
_MAKE_DRAFT = re.compile(r"^(lam|tao|xuat|gui)( ban| cho toi| giup toi)? du thao( bao cao)?$")
_EDIT = re.compile(r"^(sua|viet lai|thay) (noi dung )?(?P<ref>.+)$")
_APPEND = re.compile(r"^them vao (?P<ref>.+)$")
_NUMBER_ONLY = re.compile(r"[\d.,%\s]+")
_APPENDIX_OFF = {"bo phu luc", "khong can phu luc", "bo phan phu luc", "xoa phu luc"}
_APPENDIX_ON = {"them phu luc", "co phu luc", "giu phu luc"}


# --- helpers --------------------------------------------------------------------------------------

def _label(report: Report) -> str:
    return f"{report.period.label} của {report.unit.name}"


def _set_narrative(ctx: Ctx, report: Report, key: str, text: str, *, append: bool = False) -> None:
    """Store the officer's text for a part; a wrong document citation is refused with what to correct."""
    from retrieval.citecheck import check_citations  # loads the library on first use

    wrong = [c for c in check_citations(text) if c.status == "mismatch"]
    if wrong:
        raise InvalidInput("Trích dẫn văn bản chưa đúng:\n" + "\n".join(f"- {p}" for c in wrong for p in c.problems)
                           + "\nAnh/chị sửa lại rồi gửi lại nội dung.")
    content.set_narrative(ctx.s, report, key, text, append=append)


def _previous_text(ctx: Ctx, report: Report, key: str) -> str:
    """The newest earlier report of the same kind that has text for `key`."""
    for r in reports.prior_reports(ctx.s, report.unit_id, report.period.kind, report.period.start):
        text = (r.narrative or {}).get(key, "").strip()
        if text:
            return text
    return ""


def _chat_of(ctx: Ctx, officer_id: int) -> str | None:
    """The officer's chat on the channel this update came from (private chats: chat id = user id)."""
    return ctx.s.scalar(select(Identity.external_id).where(Identity.officer_id == officer_id,
                                                          Identity.channel == ctx.incoming.channel))


def _notify_submitter(ctx: Ctx, report: Report, text: str) -> None:
    officer_id = lifecycle.submitter(ctx.s, report)
    chat = _chat_of(ctx, officer_id) if officer_id else None
    if chat is not None and officer_id != ctx.me.id:
        ctx.say(text, to_chat=chat)


def _arg(ctx: Ctx) -> str:
    cmd = parse_command(ctx.text)
    return cmd[1] if cmd else ""


def _chart_of(path: str) -> list[Path]:
    png = Path(path).with_suffix(".png")
    return [png] if png.exists() else []


# --- making a draft -------------------------------------------------------------------------------

@router.command("duthao", about="Tạo dự thảo báo cáo (DOCX)")
def draft_command(ctx: Ctx) -> None:
    start_draft(ctx)


@router.intent(5)
def draft_phrases(ctx: Ctx) -> bool:
    """'làm dự thảo', 'bỏ phụ lục', 'thêm phụ lục'."""
    t = fold(ctx.text).strip(" .!?")
    if _MAKE_DRAFT.match(t):
        start_draft(ctx)
        return True
    if t in _APPENDIX_OFF | _APPENDIX_ON:
        _toggle_appendix(ctx, t in _APPENDIX_ON)
        return True
    return False


@router.label
def labelled_text(ctx: Ctx) -> bool:
    """'văn bản yêu cầu: …', 'sửa mục 3: …', 'thêm vào kiến nghị: …' — never read as figures or a period."""
    head, colon, content = ctx.text.partition(":")
    t = fold(head).strip(" .!?")
    if not colon or "\n" in head:
        return False
    if t in _REQUEST_HEADS and content.strip():
        _set_request(ctx, content.strip())
        return True
    edit, append = _EDIT.match(t), _APPEND.match(t)
    named = edit or append
    if named is None or not content.strip() or _NUMBER_ONLY.fullmatch(content):
        return False  # "thêm vào cấp mới: 3" is a figure, for intake
    ref = named.group("ref")
    if not (ref.startswith("muc ") or append):
        return False
    _edit_part(ctx, ref, content.strip(), replace=bool(edit))
    return True


def start_draft(ctx: Ctx) -> None:
    report = active_report(ctx, *WRITERS, "approver")
    if not report.figures and not units.has_children(ctx.s, report.unit_id):  # a province drafts its communes' totals
        raise OfficerError("Báo cáo kỳ này chưa có số liệu nào. Anh/chị gửi số liệu trước (ví dụ: "
                           "\"cấp CCCD 60, mới 33, đổi 11, lại 16\") rồi gõ /duthao.")
    if report.status in ("draft", "returned") and ctx.roles() & set(WRITERS):
        missing = [p for p in _asked(ctx, report) if p.key not in (report.narrative or {})]
        if missing:
            return _ask(ctx, report, missing[0])
    deliver(ctx, report, "tạo dự thảo")


def _asked(ctx: Ctx, report: Report) -> list[Part]:
    """The parts of the unit's report structure the officer writes, in report order."""
    return structure_for(ctx.s, report.unit_id, report.period.kind).asked()


def _ask(ctx: Ctx, report: Report, part: Part) -> None:
    key = part.key
    ctx.enter(NarrativeState(key=key), "part")
    asked = _asked(ctx, report)
    n = [p.key for p in asked].index(key) + 1
    text = f"Phần «{part.ask}» ({n}/{len(asked)}): anh/chị gõ nội dung kỳ này"
    buttons = []
    prev = _previous_text(ctx, report, key)
    if prev:
        text += f", hoặc dùng lại nội dung kỳ trước (có thể sao chép để sửa):\n«{prev}»"
        buttons.append(Button("Dùng lại nội dung kỳ trước", f"duthao:reuse:{key}",
                              ("dùng lại", "như kỳ trước", "giống kỳ trước")))
    else:
        text += "."
    buttons.append(Button("Bỏ qua phần này", f"duthao:skip:{key}", ("bỏ qua", "không có", "không")))
    ctx.say(text, buttons=buttons)


def _after_answer(ctx: Ctx, report: Report) -> None:
    missing = [p for p in _asked(ctx, report) if p.key not in (report.narrative or {})]
    if missing:
        return _ask(ctx, report, missing[0])
    ctx.clear_flow()
    deliver(ctx, report, "tạo dự thảo")


@router.state(FLOW)
def narrative_answer(ctx: Ctx) -> bool:
    st = ctx.flow_state(NarrativeState) or NarrativeState()
    report = active_report(ctx, *WRITERS, create=False)
    if st.key not in {p.key for p in _asked(ctx, report)}:
        ctx.clear_flow()
        return False
    reports.ensure_editable(report)
    if typed_without_diacritics(ctx.text):  # a draft goes to a leader: ask before storing text without accents
        restored = llm.restore_diacritics(ctx.settings, ctx.text) or ""
        ctx.enter(NarrativeState(key=st.key, typed=ctx.text, restored=restored), "unaccented")
        buttons = [Button("Dùng bản có dấu", f"duthao:restored:{st.key}")] if restored else []
        buttons.append(Button("Giữ nguyên", f"duthao:keep:{st.key}", ("giữ", "giữ nguyên")))
        ctx.say("Đoạn này chưa có dấu tiếng Việt. Anh/chị gõ lại có dấu, hoặc giữ nguyên như đã gõ?"
                + (f"\nBản đã thêm dấu (chỉ thêm dấu, không đổi chữ và số):\n«{restored}»" if restored else ""),
                buttons=buttons)
        return True
    _set_narrative(ctx, report, st.key, ctx.text)
    _after_answer(ctx, report)
    return True


@router.button("duthao:")
def narrative_button(ctx: Ctx) -> None:
    _, action, key = (ctx.incoming.payload.split(":") + ["", ""])[:3]
    report = active_report(ctx, *WRITERS, create=False)
    st = ctx.flow_state(NarrativeState) or NarrativeState()
    typed = {"keep": st.typed, "restored": st.restored} if st.key == key else {}
    if key not in {p.key for p in _asked(ctx, report)} or action not in ("reuse", "skip", *typed):
        ctx.say("Nút này đã hết hiệu lực. Gõ /duthao để làm dự thảo.")
        return
    reports.ensure_editable(report)
    text = _previous_text(ctx, report, key) if action == "reuse" else typed.get(action, "")
    _set_narrative(ctx, report, key, text)
    _after_answer(ctx, report)


def deliver(ctx: Ctx, report: Report, note: str) -> None:
    """Render a new version and send it with its summary, render warnings and the open findings."""
    run_checks(ctx.s, report, complete=True)
    draft, result = new_version(ctx.s, report, ctx.settings.drafts_dir, ctx.today(),
                                created_by=ctx.me.id, note=note)
    lines = [f"Dự thảo phiên bản {draft.version}. {result.summary[0]}", *result.summary[1:]]
    lines += changes_since_previous(ctx.s, draft)
    lines += _findings_lines(open_findings(ctx.s, report))
    lines += [f"Lưu ý: {w}" for w in result.warnings]
    lines.append("\nSửa: «sửa mục 3: …», «thêm vào kiến nghị: …», «bỏ phụ lục». Trình lãnh đạo: /trinh.")
    ctx.say("\n".join(lines), files=[result.path], photos=[result.chart] if result.chart else [])


def _findings_lines(findings: list) -> list[str]:
    """Open findings, one line each; absent figures are counted on one line as /kiemtra does."""
    single = [f for f in findings if not is_absence(f)]
    absent = len(findings) - len(single)
    if not findings:
        return []
    lines = ["\nCác điểm cần kiểm tra (gõ /kiemtra để xử lý):"]
    lines += [f"- {f.message}" for f in single[:MAX_FINDINGS_SHOWN]]
    if len(single) > MAX_FINDINGS_SHOWN:
        lines.append(f"- … và {len(single) - MAX_FINDINGS_SHOWN} điểm khác")
    if absent:
        lines.append(f"- {absent} chỉ tiêu các kỳ trước đều có nhưng kỳ này chưa có số liệu")
    return lines


# --- editing --------------------------------------------------------------------------------------

def _edit_part(ctx: Ctx, ref: str, text: str, replace: bool) -> None:
    report = active_report(ctx, *WRITERS, create=False)
    reports.ensure_editable(report)
    cat = ctx.catalogue(report.unit_id)
    inp = draft_input(ctx.s, report, ctx.today())
    shown = build_body(inp, cat).slots
    slot = find_slot(cat, report.period, shown, ref, inp.structure)
    if slot is None:
        parts = "; ".join(f"{s.number}. {s.title}" for s in shown)
        raise OfficerError(f"Không tìm thấy mục «{ref}». Các mục trong dự thảo: {parts}.")
    _set_narrative(ctx, report, slot.key, text, append=not replace)
    name = f"mục {slot.number}" if slot.number else f"mục «{slot.title}»"
    if slot.key not in {p.key for p in _asked(ctx, report)}:
        ctx.say("Số liệu trong mục này lấy từ số liệu đã nhập; muốn sửa số, anh/chị gửi lại số liệu đúng.")
    deliver(ctx, report, f"{'sửa' if replace else 'thêm vào'} {name}")


_REQUEST_HEADS = {"van ban yeu cau", "yeu cau bao cao", "can cu"}


def _set_request(ctx: Ctx, request: str) -> None:
    """The request the report answers; the draft opens with "Thực hiện <it>"."""
    report = active_report(ctx, *WRITERS, create=False)
    request = re.sub(r"^thực hiện\s+", "", request, flags=re.IGNORECASE)
    content.set_request(ctx.s, report, request)
    ctx.say(f"Đã ghi văn bản yêu cầu báo cáo. Câu mở đầu của dự thảo: «Thực hiện {request.rstrip('.;')}». "
            "Gõ /duthao để tạo lại dự thảo.")


def _toggle_appendix(ctx: Ctx, on: bool) -> None:
    report = active_report(ctx, *WRITERS, create=False)
    content.set_option(ctx.s, report, "appendix", on)
    deliver(ctx, report, "thêm phụ lục" if on else "bỏ phụ lục")


@router.command("phienban", about="Các phiên bản dự thảo")
def versions_command(ctx: Ctx) -> None:
    report = active_report(ctx, *WRITERS, "approver", create=False)
    rows = versions(ctx.s, report.id)
    if not rows:
        ctx.say("Báo cáo này chưa có dự thảo nào. Gõ /duthao để tạo.")
        return
    arg = _arg(ctx)
    if arg.isdigit():
        d = next((r for r in rows if r.version == int(arg)), None)
        if d is None:
            raise OfficerError(f"Không có phiên bản {arg}. Gõ /phienban để xem danh sách.")
        ctx.say(f"Dự thảo phiên bản {d.version} ({d.note}).", files=[Path(d.path)], photos=_chart_of(d.path))
        return
    tz = ZoneInfo(ctx.settings.timezone)
    names = {o.id: o.display_name for o in ctx.s.scalars(select(Officer).where(
        Officer.id.in_({r.created_by for r in rows if r.created_by})))}
    lines = [f"Các phiên bản dự thảo báo cáo {_label(report)} ({status_name(report.status)}):"]
    for r in rows:
        at = r.created_at.replace(tzinfo=r.created_at.tzinfo or UTC).astimezone(tz)
        lines.append(f"v{r.version} — {at:%d/%m %H:%M} — {r.note}" + (f" ({names[r.created_by]})"
                                                                        if r.created_by in names else ""))
    lines.append("Gõ /phienban <số> để nhận lại một phiên bản.")
    ctx.say("\n".join(lines))


# --- review ---------------------------------------------------------------------------------------

@router.command("trinh", about="Trình lãnh đạo duyệt")
def submit_command(ctx: Ctx) -> None:
    report = active_report(ctx, *WRITERS, create=False)
    sub = lifecycle.submit(ctx.s, report, ctx.me.id, ctx.settings.drafts_dir, ctx.today())
    draft, result = sub.draft, sub.rendered
    changes = changes_since_previous(ctx.s, draft)  # so a leader on a phone sees what is new
    reached, unreached = [], []
    for a in sub.approvers:
        chat = _chat_of(ctx, a.id)
        if chat is None:
            unreached.append(a.display_name)
            continue
        reached.append(a.display_name)
        ctx.say(f"{ctx.me.display_name} trình báo cáo {_label(report)} (dự thảo phiên bản {draft.version}).\n"
                + "\n".join([*result.summary, *changes])
                + "\nGõ /duyet để duyệt, hoặc /tralai <lý do> để trả lại.",
                buttons=[Button("Duyệt", f"review:ok:{report.id}:{draft.version}"),
                         Button("Trả lại", f"review:back:{report.id}")],
                files=[result.path], photos=[result.chart] if result.chart else [], to_chat=chat)
    text = f"Đã trình báo cáo {_label(report)} (phiên bản {draft.version})"
    text += f" tới {', '.join(reached)}." if reached else "."
    if unreached:
        text += f" Chưa gửi được tin cho {', '.join(unreached)} trên kênh này; vui lòng báo trực tiếp."
    ctx.say(text + " Anh/chị sẽ nhận thông báo khi lãnh đạo duyệt hoặc trả lại.")


def _pending(ctx: Ctx) -> list[Report]:
    unit = ctx.require_role("approver")
    return list(ctx.s.scalars(select(Report).where(Report.unit_id == unit.id,
                                                   Report.status == ReportStatus.SUBMITTED)
                              .order_by(Report.submitted_at)))


def _pick(ctx: Ctx, action: str, verb: str) -> Report | None:
    """The one report waiting for approval, or buttons to choose when several wait."""
    pending = _pending(ctx)
    if not pending:
        ctx.say("Không có báo cáo nào đang chờ duyệt.")
        return None
    if len(pending) > 1:
        ctx.say(f"Có {len(pending)} báo cáo đang chờ duyệt. Anh/chị chọn báo cáo cần {verb}:",
                buttons=[Button(r.period.label, f"review:{action}:{r.id}") for r in pending])
        return None
    return pending[0]


def _pending_by_id(ctx: Ctx, report_id: str) -> Report:
    report = next((r for r in _pending(ctx) if str(r.id) == report_id), None)
    if report is None:
        raise TransitionRefused("Báo cáo này không còn chờ duyệt.")
    return report


@router.command("duyet", about="(Lãnh đạo) duyệt báo cáo")
def approve_command(ctx: Ctx) -> None:
    report = _pick(ctx, "ok", "duyệt")
    if report is not None:
        _approve(ctx, report)


@router.command("tralai", about="(Lãnh đạo) trả lại báo cáo kèm lý do")
def return_command(ctx: Ctx) -> None:
    report = _pick(ctx, "back", "trả lại")
    if report is None:
        return
    reason = _arg(ctx)
    if not reason:
        ctx.enter(ReturnState(report_id=report.id), "reason")
        ctx.say(f"Anh/chị cho biết lý do trả lại báo cáo {_label(report)}:")
        return
    _return(ctx, report, reason)


@router.button("review:")
def review_button(ctx: Ctx) -> None:
    """review:ok:<report>[:<version>] approves the version the button came with; review:back:<report>."""
    _, action, rid, version = (ctx.incoming.payload.split(":") + ["", "", ""])[:4]
    report = _pending_by_id(ctx, rid)
    if action == "ok":
        _approve(ctx, report, int(version) if version.isdigit() else None)
    else:
        ctx.enter(ReturnState(report_id=report.id), "reason")
        ctx.say(f"Anh/chị cho biết lý do trả lại báo cáo {_label(report)}:")


@router.state(RETURN_FLOW)
def return_reason(ctx: Ctx) -> bool:
    st = ctx.flow_state(ReturnState) or ReturnState()
    report = _pending_by_id(ctx, str(st.report_id))
    ctx.clear_flow()
    _return(ctx, report, ctx.text.strip())
    return True


def _approve(ctx: Ctx, report: Report, version: int | None = None) -> None:
    lifecycle.approve(ctx.s, report, ctx.me.id, version)
    ctx.remember(unit_id=report.unit_id, report_id=report.id)
    ctx.say(f"Đã duyệt báo cáo {_label(report)}. Số liệu của báo cáo đã được khóa; "
            "nếu cần sửa, gõ /molai <lý do>.")
    _notify_submitter(ctx, report, f"Lãnh đạo {ctx.me.display_name} đã duyệt báo cáo {_label(report)}.")


def _return(ctx: Ctx, report: Report, reason: str) -> None:
    lifecycle.return_(ctx.s, report, ctx.me.id, reason)
    ctx.say(f"Đã trả lại báo cáo {_label(report)} kèm ý kiến: {reason}")
    _notify_submitter(ctx, report, f"Lãnh đạo {ctx.me.display_name} trả lại báo cáo {_label(report)}: "
                                   f"{reason}\nAnh/chị sửa rồi gõ /trinh để trình lại.")


@router.command("molai", about="(Lãnh đạo) mở lại báo cáo đã duyệt để sửa")
def reopen_command(ctx: Ctx) -> None:
    report = active_report(ctx, "approver", "admin", create=False)
    reason = _arg(ctx)
    lifecycle.reopen(ctx.s, report, ctx.me.id, reason)
    ctx.say(f"Đã mở lại báo cáo {_label(report)} (lý do: {reason}). Cán bộ có thể sửa và trình lại.")
    _notify_submitter(ctx, report, f"Lãnh đạo {ctx.me.display_name} đã mở lại báo cáo {_label(report)} "
                                   f"để sửa: {reason}")
