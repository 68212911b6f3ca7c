"""Directive Q&A in the chat: /hoi, free-text questions, and an admin adding an official text by upload."""
from __future__ import annotations

import pytest

from bot.channels import reading
from bot.messages import BUTTON, FILE, Incoming, IncomingFile
from tests.test_retrieval_ingest import HEAD, make_docx


@pytest.fixture
def qa_chat(officer_chat):
    return officer_chat


def test_free_text_question_is_answered_with_citation(qa_chat):
    reply = qa_chat().say("cong van 452 la gi?")
    assert reply.startswith("Công văn số 452/TTg-KSTT ngày 23/05/2023 của Thủ tướng Chính phủ về tháo gỡ")
    assert "(mục \"" in reply  # and the part of the document it relies on


def test_hoi_command_and_not_found(qa_chat):
    chat = qa_chat()
    assert "ví dụ: /hoi" in chat.say("/hoi")
    assert chat.say("/hoi giá lúa hôm nay").startswith("Thư viện chưa có văn bản/nội dung nào trả lời câu hỏi "
                                                      "“giá lúa hôm nay”")
    assert "Quyết định số 06/QĐ-TTg" in chat.say("/hoi 05 nhóm tiện ích gồm những gì")


def test_figure_messages_are_left_to_the_figure_flows(qa_chat):
    reply = qa_chat().say("cấp CCCD 60")
    assert "Theo " not in reply and "thư viện" not in reply


def _upload(engine, path, user="quan_tri"):
    f = IncomingFile(path.name, path.stat().st_size, path)
    reading.read_document(f)  # as the channels do, before the engine's transaction
    return engine.handle(Incoming(channel="console", chat_id=user, user_id=user, kind=FILE, file=f))


def _press(engine, payload, user="quan_tri"):
    return engine.handle(Incoming(channel="console", chat_id=user, user_id=user, kind=BUTTON, payload=payload))


def test_admin_uploads_full_text_confirms_and_it_is_cited(qa_chat, demo_app, tmp_path):
    _, engine = demo_app
    lines = HEAD + ["2. Công an xã lập tổ công nghệ số cộng đồng ở từng thôn để hỗ trợ kích hoạt định danh."]
    path = make_docx(tmp_path / "chi-thi-04.docx", lines)
    (reply,) = _upload(engine, path)
    assert "Số hiệu: 04/CT-TTg" in reply.text and "Ngày: 11/02/2024" in reply.text
    ok = reply.buttons[0].payload
    admin = qa_chat("quan_tri")
    assert "Cơ quan: Thủ tướng Chính phủ" in admin.say("cơ quan: Thủ tướng Chính phủ")
    (done,) = _press(engine, ok)
    assert done.text.startswith("Đã thêm 04/CT-TTg vào thư viện")
    answer = qa_chat().say("Chỉ thị 04 giao Công an xã lập tổ gì ở từng thôn?")
    assert "toàn văn" in answer and "tổ công nghệ số cộng đồng" in answer


def test_reporter_upload_is_not_taken_into_the_library(qa_chat, demo_app, tmp_path):
    _, engine = demo_app
    path = make_docx(tmp_path / "x.docx", HEAD)
    (reply,) = _upload(engine, path, user="can_bo")
    assert "Số hiệu" not in reply.text


def test_tailen_tells_admins_how_to_add_a_text_and_others_whom_to_ask(officer_chat):
    assert "gửi tệp văn bản (DOCX, PDF hoặc TXT)" in officer_chat("quan_tri").say("/tailen")
    assert officer_chat("can_bo").say("/tailen").startswith("Chỉ quản trị viên của đơn vị thêm được văn bản")
