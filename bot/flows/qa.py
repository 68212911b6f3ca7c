"""Directive Q&A in chat: /hoi, free-text questions, and an admin adding an official text by upload.

The free-text intent only claims text that reads as a question or a bare document reference ("chỉ thị 04"),
so figure messages ("cấp CCCD 60") go to the figure flows. An admin's DOCX/PDF arrives already read by the
channel (in a limited worker, outside any transaction: bot/channels/reading.py); its text is stored, its metadata
shown to the admin, and it enters the index only after an admin of the uploader's unit confirms (and may correct)
it. Every step re-checks the officer's current rights.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine import Ctx, router
from bot.messages import Button
from bot.state import FlowState
from common.errors import InvalidInput, NotAuthorized, OfficerError
from common.vntext import fold
from db.models import KnowledgeDocument
from db.repo import people
from knowledge.directives import DOC_TYPE_NAMES
from retrieval.documents import parse_date
from retrieval.ingest import SUPPORTED
from retrieval.query import looks_like_question

if TYPE_CHECKING:
    from retrieval.library import Librarian

UPLOAD_FLOW = "qa_upload"


def _library(ctx: Ctx) -> Librarian:
    """The library, imported on first use (numpy, the index): the chat's start and its first reply do not wait."""
    from retrieval.library import get_library

    return get_library(ctx.settings)


class UploadState(FlowState):
    """An admin's upload waiting for its details to be confirmed."""

    FLOW = UPLOAD_FLOW
    STEPS = ("confirm",)
    FREE_TEXT = ("confirm",)  # "số hiệu: 04/CT-TTg" corrects the upload's details
    doc_id: int = 0
_FIELDS = {"so hieu": "so_hieu", "so": "so_hieu", "ngay": "issued_on", "co quan": "issuer", "loai": "doc_type",
           "trich yeu": "title"}


def _answer(ctx: Ctx, question: str) -> None:
    unit = ctx.unit
    ans = _library(ctx).ask(question, unit_id=unit.id if unit else None, s=ctx.s)
    ctx.say(ans.answer)


@router.command("hoi", about="Hỏi văn bản chỉ đạo (ví dụ: /hoi Chỉ thị 04 yêu cầu gì?)")
def ask_command(ctx: Ctx) -> None:
    ctx.require_role(*people.ROLES)
    question = ctx.text.strip().partition(" ")[2].strip()
    if not question:
        ctx.say("Anh/chị gõ câu hỏi sau lệnh, ví dụ: /hoi Chỉ thị 04 yêu cầu cấp xã làm gì?")
        return
    _answer(ctx, question)


@router.command("tailen", about="(Quản trị) thêm văn bản vào thư viện: gửi tệp DOCX, PDF hoặc TXT")
def upload_help(ctx: Ctx) -> None:
    """How a text the library lacks gets in: an admin sends the file (handled by `upload` below)."""
    if "admin" not in ctx.roles():
        ctx.say("Chỉ quản trị viên của đơn vị thêm được văn bản vào thư viện. Anh/chị đề nghị quản trị viên gửi "
                "tệp văn bản cho tôi.")
        return
    ctx.say("Anh/chị gửi tệp văn bản (DOCX, PDF hoặc TXT) vào cuộc trò chuyện này. Tôi sẽ đọc số hiệu, ngày, cơ quan "
            "ban hành để anh/chị xác nhận trước khi thêm vào thư viện.")


@router.intent(priority=50)
def question_intent(ctx: Ctx) -> bool:
    ctx.require_role(*people.ROLES)  # an officer whose access was revoked asks nothing more
    lib = _library(ctx)
    if not looks_like_question(ctx.text, lib.ready(ctx.s).docs):
        return False
    _answer(ctx, ctx.text)
    return True


# --- admin upload ----------------------------------------------------------------------------------

def _meta_text(row: KnowledgeDocument) -> str:
    issued = f"{row.issued_on:%d/%m/%Y}" if row.issued_on else "(chưa rõ)"
    return (f"• Số hiệu: {row.so_hieu or '(chưa rõ)'}\n• Loại: {DOC_TYPE_NAMES.get(row.doc_type, row.doc_type)}\n"
            f"• Ngày: {issued}\n• Cơ quan: {row.issuer or '(chưa rõ)'}\n• Trích yếu: {row.title or '(chưa rõ)'}")


def _ask_confirm(ctx: Ctx, row: KnowledgeDocument) -> None:
    ctx.say("Tôi đọc được thông tin văn bản như sau:\n" + _meta_text(row) +
            "\nNếu cần sửa, gõ ví dụ: \"số hiệu: 04/CT-TTg\", \"ngày: 11/02/2024\", \"cơ quan: Thủ tướng Chính phủ\".",
            buttons=[Button("Xác nhận, thêm vào thư viện", f"{UPLOAD_FLOW}:ok:{row.id}"),
                     Button("Hủy", f"{UPLOAD_FLOW}:cancel:{row.id}")])


@router.file
def upload(ctx: Ctx) -> bool:
    f = ctx.incoming.file
    if f is None or f.path is None or Path(f.name).suffix.lower() not in SUPPORTED:
        return False
    if "admin" not in ctx.roles():
        return False
    if f.unreadable:
        raise InvalidInput(f.unreadable)
    if f.text_path is None:  # the channel reads files before the transaction; one that did not cannot upload
        raise InvalidInput("Chưa đọc được tệp này. Anh/chị vui lòng gửi lại.")
    lib = _library(ctx)
    _, meta = lib.read_upload(f.text_path)  # the text, read by the channel's worker: fast, inside the transaction
    row = lib.add_file(f.text_path, meta, added_by=ctx.me.id, confirmed=False, sync=False, s=ctx.s,
                       file_name=f.name)
    ctx.enter(UploadState(doc_id=row.id), "confirm")
    _ask_confirm(ctx, row)
    return True


def _pending_upload(ctx: Ctx, doc_id: str | int | None) -> KnowledgeDocument | None:
    """The pending upload, if this officer may still decide on it: an admin now, of a unit its uploader belongs
    (or belonged) to. None when it no longer waits; NotAuthorized otherwise."""
    unit = ctx.require_role("admin")
    row = ctx.s.get(KnowledgeDocument, int(str(doc_id))) if str(doc_id).isdigit() else None
    if row is None or row.confirmed:
        return None
    mine = ctx.officer is not None and row.added_by == ctx.officer.id
    if not mine and unit.id not in people.unit_ids_ever(ctx.s, row.added_by):
        raise NotAuthorized("Anh/chị không có quyền xử lý văn bản do đơn vị khác gửi lên.")
    return row


@router.state(UPLOAD_FLOW)
def correct_field(ctx: Ctx) -> bool:
    m = re.match(r"^\s*([^:]{2,12}):\s*(.+)$", ctx.text)
    key = _FIELDS.get(fold(m.group(1))) if m else None
    if m is None or key is None:
        return False
    try:
        st = ctx.flow_state(UploadState)
        row = _pending_upload(ctx, st.doc_id if st else None)
    except OfficerError as e:  # rights ended mid-upload: end the flow too (a raise would undo that)
        ctx.clear_flow()
        ctx.say(e.message_vi)
        return True
    if row is None:
        ctx.clear_flow()
        return False
    value = m.group(2).strip()
    if key == "issued_on":
        row.issued_on = parse_date(value)
    elif key == "doc_type":
        by_name = {fold(v): k for k, v in DOC_TYPE_NAMES.items()}
        if fold(value) not in by_name and value not in DOC_TYPE_NAMES:
            raise InvalidInput("Loại văn bản chưa đúng; ví dụ: Chỉ thị, Quyết định, Công văn, Nghị định.")
        row.doc_type = by_name.get(fold(value), value)
    else:
        setattr(row, key, value)
    _ask_confirm(ctx, row)
    return True


@router.button(f"{UPLOAD_FLOW}:")
def confirm_upload(ctx: Ctx) -> None:
    _, action, doc_id = (ctx.incoming.payload.split(":", 2) + ["", ""])[:3]
    row = _pending_upload(ctx, doc_id)
    ctx.clear_flow()
    if row is None or action not in ("ok", "cancel"):
        ctx.say("Văn bản này đã được xử lý trước đó.")
        return
    if action == "cancel":
        ctx.s.delete(row)
        ctx.say("Đã hủy; văn bản chưa được thêm vào thư viện.")
        return
    row.confirmed = True
    ctx.s.flush()
    result = _library(ctx).sync(s=ctx.s)
    label = row.so_hieu or row.title
    ctx.say(f"Đã thêm {label} vào thư viện ({result.added} đoạn). Từ nay câu trả lời ưu tiên toàn văn này.")
