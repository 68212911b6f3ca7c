"""Every step of the library upload checks the officer's current rights: crafted buttons for another unit's
pending upload, an admin revoked mid-upload, revoked officers asking questions."""
from __future__ import annotations

from sqlalchemy import select

from bot.channels import reading
from bot.demo import grant_console_officers
from bot.messages import BUTTON, FILE, Incoming, IncomingFile
from db.models import KnowledgeDocument
from db.repo import access, people
from tests.test_retrieval_ingest import HEAD, make_docx

UNIT = "demo-hoa-an"


def say(engine, user: str, text: str = "", **kw) -> str:
    return "\n".join(r.text for r in engine.handle(Incoming(channel="console", chat_id=user, user_id=user,
                                                            text=text, **kw)))


def upload(engine, path, user: str = "quan_tri") -> tuple[str, int | None]:
    """As a channel does it: the file is read in the worker first, then handed to the engine."""
    f = IncomingFile(path.name, path.stat().st_size, path)
    reading.read_document(f)
    replies = engine.handle(Incoming(channel="console", chat_id=user, user_id=user, kind=FILE, file=f))
    ok = [b.payload for r in replies for b in r.buttons if b.payload.startswith("qa_upload:ok:")]
    return "\n".join(r.text for r in replies), int(ok[0].rsplit(":", 1)[1]) if ok else None


def press(engine, user: str, payload: str) -> str:
    return say(engine, user, kind=BUTTON, payload=payload)


def pending(db, doc_id: int) -> KnowledgeDocument | None:
    with db.session() as s:
        return s.scalar(select(KnowledgeDocument).where(KnowledgeDocument.id == doc_id))


def admin_of_another_unit(db) -> str:
    with db.session() as s:
        grant_console_officers(s, access.create_unit(s, "xa-khac", "xã Khác"),
                               [("quan_tri_khac", "Quản trị xã Khác", "admin")])
    return "quan_tri_khac"


def revoke(db, login: str) -> None:
    with db.session() as s:
        officer = people.officer_by_identity(s, "console", login)
        access.revoke_member(s, people.unit_by_code(s, UNIT).id, officer.id, None)


def test_an_admin_of_another_unit_cannot_confirm_or_cancel_the_upload(demo_app, tmp_path):
    db, engine = demo_app
    text, doc_id = upload(engine, make_docx(tmp_path / "ct04.docx", HEAD))
    assert "Số hiệu: 04/CT-TTg" in text and doc_id is not None
    other = admin_of_another_unit(db)
    for action in ("ok", "cancel"):
        reply = press(engine, other, f"qa_upload:{action}:{doc_id}")
        assert "không có quyền" in reply
        row = pending(db, doc_id)
        assert row is not None and not row.confirmed


def test_an_admin_revoked_mid_upload_can_no_longer_edit_or_confirm_it(demo_app, tmp_path):
    db, engine = demo_app
    _, doc_id = upload(engine, make_docx(tmp_path / "ct04.docx", HEAD))
    revoke(db, "quan_tri")
    reply = say(engine, "quan_tri", "số hiệu: 99/CT-UBND")
    assert "Số hiệu: 99/CT-UBND" not in reply and ("quyền" in reply or "chưa thuộc đơn vị" in reply)
    reply = press(engine, "quan_tri", f"qa_upload:ok:{doc_id}")
    assert "quyền" in reply or "chưa thuộc đơn vị" in reply
    row = pending(db, doc_id)
    assert row.so_hieu == "04/CT-TTg" and not row.confirmed


def test_crafted_upload_buttons_get_a_short_answer(demo_app):
    _, engine = demo_app
    for payload in ("qa_upload:ok:abc", "qa_upload:ok:", "qa_upload:", "qa_upload:ok:999999", "qa_upload:xx:1:2"):
        reply = press(engine, "quan_tri", payload)
        assert reply and "Xin lỗi" not in reply and len(reply) < 200, (payload, reply)


def test_revoked_officers_cannot_ask(demo_app):
    db, engine = demo_app
    revoke(db, "can_bo")
    for text in ("/hoi Chỉ thị 04 yêu cầu gì?", "Chỉ thị 04 yêu cầu gì?"):
        reply = say(engine, "can_bo", text)
        assert "chưa thuộc đơn vị" in reply and "Chỉ thị" not in reply
