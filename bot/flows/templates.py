"""The unit's report structure in chat (drafting/structure.py): which parts, in which order, which are asked.

/maubaocao [kỳ]                 show the structure for a report kind (default: the open report's), as an outline
/maubaocao [kỳ] + outline       (admin) save an edited outline; after /maubaocao the outline alone is enough
/maubaocao [kỳ] dùng [mẫu]      (admin) use a built-in structure (listed with buttons when no name is given)
/maubaocao [kỳ] học             (admin) learn it from a past report: paste its text or send its DOCX/PDF
/maubaocao [kỳ] mặc định        (admin) back to the built-in default
"kỳ": tuần, tháng, quý, 6 tháng, năm, đột xuất, or "mọi kỳ" for one structure used by every kind.
"""
from __future__ import annotations

from pathlib import Path

from bot.engine import Ctx, parse_command, router
from bot.messages import Button
from bot.state import FlowState
from common.errors import InvalidInput, OfficerError
from common.vntext import fold
from db.models import Report
from drafting import unit_structures
from drafting.learn_structure import learn
from drafting.structure import Structure, numbered, plain_title, presets, to_outline
from figures.periods import KIND_NAMES

FLOW = "maubaocao"


class TemplateState(FlowState):
    """An admin editing the unit's report structure of one report kind: typing an outline (edit), sending a past
    report to learn it from (learn), or confirming a learned one (confirm)."""

    FLOW = FLOW
    STEPS = ("edit", "learn", "confirm")
    FREE_TEXT = ("edit", "learn")
    kind: str = "tuan"
    outline: str = ""  # the learned outline waiting for confirmation
_KIND_WORDS = [("6 thang", "sau_thang"), ("sau thang", "sau_thang"), ("moi ky", ""), ("tat ca", ""),
               ("dot xuat", "dot_xuat"), ("so ket", "dot_xuat"), ("tuan", "tuan"), ("thang", "thang"),
               ("quy", "quy"), ("nam", "nam")]
_ACTIONS = {"dung": "use", "dung mau": "use", "hoc": "learn", "mac dinh": "reset", "ve mac dinh": "reset"}
HOW_TO = ("Sửa mẫu: sao chép mẫu trên, sửa rồi gửi lại (quản trị viên). Mỗi mục một dòng có số thứ tự; "
          "«| hỏi»: hỏi cán bộ nội dung mục này; «| số liệu: tên mục số liệu»; «| số liệu còn lại»; "
          "«| dịch vụ công»; «+ Tên dịch vụ | dịch vụ: thường trú» để ghi dịch vụ theo cách của đơn vị; "
          "{trong kỳ}, {kỳ tới} tự đổi theo kỳ báo cáo.")


def _kind_name(kind: str) -> str:
    return f"báo cáo {KIND_NAMES[kind]}" if kind else "mọi kỳ báo cáo"


def _split_kind(arg: str, default: str) -> tuple[str, str]:
    """'tháng dùng so_ket' -> ('thang', 'dùng so_ket'); no kind word -> (default, arg)."""
    folded = fold(arg)
    for words, kind in _KIND_WORDS:
        if folded == words or folded.startswith(words + " ") or folded.startswith(words + "\n"):
            return kind, arg[len(words):].strip()
    return default, arg.strip()


def _default_kind(ctx: Ctx, unit_id: int) -> str:
    """The kind of the report open in this chat, else weekly."""
    report = ctx.s.get(Report, ctx.report_id) if ctx.report_id is not None else None
    return report.period.kind if report is not None and report.unit_id == unit_id else "tuan"


def _asked_line(st: Structure) -> str:
    asked = [plain_title(p.title) for p in st.asked()]
    return ("Khi làm dự thảo, trợ lý sẽ hỏi: " + "; ".join(asked) + ".") if asked else \
        "Khi làm dự thảo, trợ lý không hỏi phần nội dung nào."


@router.command("maubaocao", about="(Quản trị) mẫu báo cáo của đơn vị: các phần, thứ tự, phần được hỏi")
def template_command(ctx: Ctx) -> None:
    unit = ctx.require_role("reporter", "approver", "admin")
    cmd = parse_command(ctx.text)
    head, _, body = (cmd[1] if cmd else "").partition("\n")
    kind, rest = _split_kind(head, _default_kind(ctx, unit.id))
    first, _, name = rest.partition(" ")
    action = _ACTIONS.get(fold(rest)) or _ACTIONS.get(fold(first))
    if body.strip() or action:
        ctx.require_role("admin")
    if body.strip():
        return _save(ctx, unit.id, kind, body, "chat")
    if action == "use":
        return _use(ctx, unit.id, kind, name.strip() if fold(rest) not in _ACTIONS else "")
    if action == "learn":
        ctx.enter(TemplateState(kind=kind), "learn")
        ctx.say(f"Anh/chị dán nội dung một báo cáo {_kind_name(kind).removeprefix('báo cáo ')} cũ của đơn vị, "
                "hoặc gửi tệp DOCX/PDF của báo cáo đó. Trợ lý đọc các đề mục để lập mẫu, anh/chị xem lại rồi mới lưu.")
        return
    if action == "reset":
        done = unit_structures.reset(ctx.s, unit.id, kind)
        ctx.say(f"Đã chuyển {_kind_name(kind)} về mẫu chung." if done else
                f"{_kind_name(kind).capitalize()} đang dùng mẫu chung.")
        return
    if rest:
        raise InvalidInput("Chưa rõ yêu cầu. Gõ /maubaocao để xem mẫu, /maubaocao dùng, /maubaocao học "
                           "hoặc /maubaocao mặc định.")
    _show(ctx, unit, kind)


def _show(ctx: Ctx, unit, kind: str) -> None:
    cur = unit_structures.current(ctx.s, unit.id, kind)
    whose = "mẫu riêng của đơn vị" if cur.source else "mẫu chung"
    if cur.source and cur.kind != kind:
        whose += ", dùng cho mọi kỳ"
    lines = [f"Mẫu {_kind_name(kind)} của {unit.name} ({whose}):", "", cur.outline, "", _asked_line(cur.structure)]
    buttons = []
    if "admin" in ctx.roles():
        ctx.enter(TemplateState(kind=kind), "edit")
        lines.append(HOW_TO)
        buttons = [Button("Dùng mẫu có sẵn", f"{FLOW}:presets:{kind}"),
                   Button("Học từ báo cáo cũ", f"{FLOW}:learn:{kind}"),
                   Button("Về mẫu chung", f"{FLOW}:reset:{kind}")]
    ctx.say("\n".join(lines), buttons=buttons)


def _saved(ctx: Ctx, kind: str, st: Structure) -> None:
    ctx.clear_flow()
    ctx.say(f"Đã lưu mẫu {_kind_name(kind)}:\n\n{to_outline(st)}\n\n{_asked_line(st)}\n"
            "Dự thảo tạo từ nay sẽ theo mẫu này.")


def _save(ctx: Ctx, unit_id: int, kind: str, outline: str, source: str) -> None:
    _saved(ctx, kind, unit_structures.save(ctx.s, unit_id, kind, outline, source=source, officer_id=ctx.me.id))


def _use(ctx: Ctx, unit_id: int, kind: str, name: str) -> None:
    available = presets()
    if name not in available:
        wanted = fold(name)
        name = next((stem for stem, title in available.items() if wanted and wanted in fold(title)), "")
    if not name:
        ctx.say("Chọn một mẫu có sẵn:", buttons=[Button(title, f"{FLOW}:use:{kind}:{stem}")
                                               for stem, title in available.items()])
        return
    _saved(ctx, kind, unit_structures.use_preset(ctx.s, unit_id, kind, name, ctx.me.id))


def _looks_like_outline(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return len(lines) >= 2 and all(numbered(ln) or ln.startswith("+") for ln in lines)


@router.state(FLOW)
def template_text(ctx: Ctx) -> bool:
    """After /maubaocao (an admin): an outline is the new structure; in learning, text is a past report."""
    st = ctx.flow_state(TemplateState)
    step, kind = ctx.state.step, st.kind if st else "tuan"
    unit = ctx.unit
    if unit is None or "admin" not in ctx.roles():
        ctx.clear_flow()
        return False
    if step == "edit":
        if not _looks_like_outline(ctx.text):
            ctx.clear_flow()
            return False  # figures, a question …: not for this flow
        _save(ctx, unit.id, kind, ctx.text, "chat")
        return True
    if step == "learn":
        _propose(ctx, kind, ctx.text)
        return True
    ctx.clear_flow()
    return False


@router.file
def template_file(ctx: Ctx) -> bool:
    """A past report's DOCX/PDF sent after «/maubaocao học»."""
    from retrieval.ingest import SUPPORTED

    f = ctx.incoming.file
    st = ctx.flow_state(TemplateState)
    if st is None or ctx.state.step != "learn" or f is None:
        return False
    kind = st.kind
    ctx.require_role("admin")
    if Path(f.name).suffix.lower() not in SUPPORTED:
        raise InvalidInput("Trợ lý đọc được tệp DOCX, PDF hoặc TXT.")
    _propose(ctx, kind, f.text())
    return True


def _propose(ctx: Ctx, kind: str, text: str) -> None:
    try:
        st = learn(text)
    except ValueError:
        raise OfficerError("Không tìm thấy đề mục có số thứ tự (I., 1., 1.1.) trong báo cáo này. Anh/chị gửi báo "
                           "cáo khác, hoặc gõ /maubaocao để tự sửa mẫu.") from None
    outline = to_outline(st)
    ctx.enter(TemplateState(kind=kind, outline=outline), "confirm")
    ctx.say(f"Mẫu {_kind_name(kind)} đọc được từ báo cáo:\n\n{outline}\n\n{_asked_line(st)}\n"
            "Dùng mẫu này? Có thể sao chép, sửa rồi gửi lại bằng «/maubaocao» kèm mẫu đã sửa.",
            buttons=[Button("Dùng mẫu này", f"{FLOW}:ok:{kind}"), Button("Hủy", f"{FLOW}:cancel:{kind}")])


@router.button(f"{FLOW}:")
def template_button(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    _, action, kind, *rest = ctx.incoming.payload.split(":") + [""]
    if kind not in (*KIND_NAMES, unit_structures.ALL_KINDS):
        raise InvalidInput("Nút này đã hết hiệu lực. Gõ /maubaocao để xem mẫu.")
    if action == "presets":
        return _use(ctx, unit.id, kind, "")
    if action == "use":
        return _use(ctx, unit.id, kind, rest[0])
    if action == "learn":
        ctx.enter(TemplateState(kind=kind), "learn")
        ctx.say("Anh/chị dán nội dung một báo cáo cũ của đơn vị, hoặc gửi tệp DOCX/PDF của báo cáo đó.")
        return
    if action == "reset":
        unit_structures.reset(ctx.s, unit.id, kind)
        ctx.clear_flow()
        ctx.say(f"Đã chuyển {_kind_name(kind)} về mẫu chung.")
        return
    st = ctx.flow_state(TemplateState)
    if action == "ok" and st and st.outline and ctx.state.step == "confirm" and st.kind == kind:
        return _save(ctx, unit.id, kind, st.outline, "learned")
    ctx.clear_flow()
    ctx.say("Đã hủy; mẫu báo cáo không thay đổi." if action == "cancel" else
            "Nút này đã hết hiệu lực. Gõ /maubaocao để xem mẫu.")
