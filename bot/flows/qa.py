"""Directive Q&A in chat: /hoi, free-text questions, and an admin adding an official text by upload.

The free-text intent only claims text that reads as a question or a bare document reference ("chỉ thị 04"),
so figure messages ("cấp CCCD 60") go to the figure flows. An uploaded DOCX/PDF/TXT is read, its metadata
shown to the admin, and it enters the index only after the admin confirms (and may correct) it.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from bot.engine import Ctx, router
from bot.messages import Button
from common.errors import InvalidInput
from common.vntext import fold
from db.models import KnowledgeDocument
from knowledge.directives import DOC_TYPE_NAMES
from retrieval.ingest import SUPPORTED
from retrieval.library import get_library, parse_date
from retrieval.query import looks_like_question

UPLOAD_FLOW = "qa_upload"
_FIELDS = {"so hieu": "so_hieu", "so": "so_hieu", "ngay": "issued_on", "co quan": "issuer", "loai": "doc_type",
           "trich yeu": "title"}


def _answer(ctx: Ctx, question: str) -> None:
    unit = ctx.unit
    ans = get_library(ctx.settings).ask(question, unit_id=unit.id if unit else None, s=ctx.s)
    ctx.say(ans.answer)


@router.command("hoi")
def ask_command(ctx: Ctx) -> None:
    question = ctx.text.strip().partition(" ")[2].strip()
    if not question:
        ctx.say("Anh/chị gõ câu hỏi sau lệnh, ví dụ: /hoi Chỉ thị 04 yêu cầu cấp xã làm gì?")
        return
    _answer(ctx, question)


@router.command("tailen")
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
    lib = get_library(ctx.settings)
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
    lib = get_library(ctx.settings)
    path = Path(f.path)
    if path.suffix.lower() != Path(f.name).suffix.lower():  # the channel stored it under its own name
        named = path.with_name(path.name + Path(f.name).suffix.lower())
        shutil.copyfile(path, named)
        path = named
    _, meta = lib.read_upload(path)
    row = lib.add_file(path, meta, added_by=ctx.officer.id, confirmed=False, sync=False, s=ctx.s, file_name=f.name)
    ctx.set_flow(UPLOAD_FLOW, "confirm", doc_id=row.id)
    _ask_confirm(ctx, row)
    return True


@router.state(UPLOAD_FLOW)
def correct_field(ctx: Ctx) -> bool:
    m = re.match(r"^\s*([^:]{2,12}):\s*(.+)$", ctx.text)
    key = _FIELDS.get(fold(m.group(1))) if m else None
    if key is None:
        return False
    row = ctx.s.get(KnowledgeDocument, ctx.state.data.get("doc_id"))
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
    _, action, doc_id = ctx.incoming.payload.split(":", 2)
    ctx.require_role("admin")
    row = ctx.s.get(KnowledgeDocument, int(doc_id))
    ctx.clear_flow()
    if row is None or row.confirmed:
        ctx.say("Văn bản này đã được xử lý trước đó.")
        return
    if action != "ok":
        ctx.s.delete(row)
        ctx.say("Đã hủy; văn bản chưa được thêm vào thư viện.")
        return
    row.confirmed = True
    ctx.s.flush()
    result = get_library(ctx.settings).sync(s=ctx.s)
    label = row.so_hieu or row.title
    ctx.say(f"Đã thêm {label} vào thư viện ({result.added} đoạn). Từ nay câu trả lời ưu tiên toàn văn này.")
