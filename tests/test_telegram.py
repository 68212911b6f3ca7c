"""The Telegram channel: the real python-telegram-bot Application and our channel code against a fake Bot
API server on 127.0.0.1, fed real Update JSON; assertions are on the HTTP calls the bot makes."""
from __future__ import annotations

import asyncio
import functools
import io
import logging
import time
import zipfile

import httpx
import pytest
from sqlalchemy import func, select

from bot.channels import reading, uploads
from bot.channels.serve import make_asgi_app
from bot.engine import router
from bot.messages import Button, IncomingFile
from common.settings import Settings
from db.models import Figure, FigureRevision, Identity, KnowledgeDocument, OutgoingMessage
from tests.fakes.documents import heavy_drawing_pdf, huge_body_docx, many_parts_docx, text_pdf
from tests.fakes.harness import TG_TOKEN, TelegramStack, eventually, invite_code, outbox_rows, text_of
from tests.fakes.session import Said, run_session
from tests.fakes.telegram_api import FakeTelegram, UpdateFactory
from tests.test_retrieval_ingest import HEAD, make_docx

UNIT = "demo-hoa-an"


@pytest.fixture
def tg_settings(data_dir, fake_tg) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN, telegram_base_url=fake_tg.url,
                    telegram_webhook_url="https://bot.example.vn/tg/hook", telegram_webhook_secret="s3cret-hook")


@pytest.fixture
async def tg(tg_settings, demo_app):
    db, engine = demo_app
    async with TelegramStack(tg_settings, db, engine) as stack:
        yield stack


async def send(stack: TelegramStack, fake: FakeTelegram, update: dict):
    """Feeds one update through the Application; returns the bot's sends it caused."""
    before = len(fake.sent())
    await stack.channel.process_json(update)
    return fake.sent()[before:]


async def joined(stack, fake, db, role: str, user_id: int, name: str) -> UpdateFactory:
    u = UpdateFactory(user_id, name)
    reply = text_of(await send(stack, fake, u.text(f"/start {invite_code(db, UNIT, role)}")))
    assert "Chào mừng" in reply
    return u


def counts(db) -> tuple[int, int, int]:
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Figure, FigureRevision, Identity))


# --- start-up, strangers, joining ------------------------------------------------------------------

async def test_startup_registers_vietnamese_commands_and_webhook_with_secret(tg, fake_tg):
    cmds = [c for c in fake_tg.calls if c.method == "setMyCommands"]
    assert [c["command"] for c in cmds[-1].params["commands"]] == list(router.about)
    assert any("Hướng dẫn" in c["description"] for c in cmds[-1].params["commands"])
    hook = [c for c in fake_tg.calls if c.method == "setWebhook"][-1]
    assert hook.params["url"] == "https://bot.example.vn/tg/hook" and hook.params["secret_token"] == "s3cret-hook"


async def test_stranger_is_refused_politely_and_sees_nothing(tg, fake_tg):
    calls = await send(tg, fake_tg, UpdateFactory(7001, "Người Lạ").text("cấp CCCD 60"))
    assert len(calls) == 1 and calls[0].chat_id == "7001"
    assert "chưa được cấp quyền" in calls[0].params["text"] and "Hòa An" not in calls[0].params["text"]


async def test_deep_link_start_with_invite_joins_the_unit(tg, fake_tg, demo_app):
    db, _ = demo_app
    await joined(tg, fake_tg, db, "reporter", 7002, "Phạm Thị Bình")
    with db.session() as s:
        ident = s.scalar(select(Identity).where(Identity.channel == "telegram", Identity.external_id == "7002"))
        assert ident is not None and ident.officer.display_name == "Phạm Thị Bình"
    reply = text_of(await send(tg, fake_tg, UpdateFactory(7002, "Phạm Thị Bình").text("/start")))
    assert "xã Hòa An" in reply and "cán bộ báo cáo" in reply


# --- buttons, files, long texts ---------------------------------------------------------------------

async def test_inline_keyboard_press_answers_callback_and_retires_keyboard(tg, fake_tg, demo_app):
    admin = await joined(tg, fake_tg, demo_app[0], "admin", 7003, "Lê Quản Trị")
    menu = (await send(tg, fake_tg, admin.text("/moi")))[-1]
    labels = [label for label, _ in menu.buttons]
    assert len(labels) == 3 and all(len(p.encode()) <= 64 for _, p in menu.buttons)
    reply = await send(tg, fake_tg, admin.press(menu, labels[0]))
    assert "Mã mời" in text_of(reply)
    methods = [c.method for c in fake_tg.calls]
    assert "answerCallbackQuery" in methods and "editMessageReplyMarkup" in methods


async def test_documents_photos_and_long_texts_are_rendered(tg, fake_tg, demo_app, monkeypatch, data_dir):
    docx = data_dir / "drafts" / "du-thao.docx"
    png = data_dir / "drafts" / "bieu-do.png"
    docx.write_bytes(b"PK fake docx")
    png.write_bytes(b"\x89PNG fake")

    def handler(ctx):
        ctx.say("Đoạn văn dài. " * 700, buttons=[Button("Trình duyệt", "x:trinh")], files=[docx], photos=[png])

    monkeypatch.setitem(router.commands, "thu", handler)
    router.public_commands.add("thu")
    try:
        calls = await send(tg, fake_tg, UpdateFactory(7004, "A").text("/thu"))
    finally:
        router.public_commands.discard("thu")
    texts = [c for c in calls if c.method == "sendMessage"]
    assert len(texts) == 3 and all(len(c.params["text"]) <= 4096 for c in texts)
    doc = next(c for c in calls if c.method == "sendDocument")
    assert doc.files["document"] == ("du-thao.docx", b"PK fake docx")
    photo = next(c for c in calls if c.method == "sendPhoto")
    assert photo.files["photo"][1] == b"\x89PNG fake"
    assert calls[-1].buttons == [("Trình duyệt", "x:trinh")]  # the keyboard rides on the last part


# --- exactly once, replay, restart -------------------------------------------------------------------

async def test_replayed_update_changes_nothing_and_sends_nothing(tg, fake_tg, demo_app):
    db, _ = demo_app
    u = UpdateFactory(7005, "B")
    update = u.text(f"/start {invite_code(db, UNIT, 'reporter')}")
    assert await send(tg, fake_tg, update)
    before = counts(db)
    with db.session() as s:
        n_out = s.scalar(select(func.count()).select_from(OutgoingMessage))
    assert await send(tg, fake_tg, update) == []
    assert counts(db) == before
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutgoingMessage)) == n_out


async def test_polling_confirms_an_update_only_after_it_is_processed(tg, fake_tg, monkeypatch):
    u = UpdateFactory(7006, "C")
    first, second = u.text("/help"), u.text("/start")
    fake_tg.push_update(first)
    fake_tg.push_update(second)
    real_handle, failed = tg.gateway.handle, []

    async def flaky(inc):
        if not failed:
            failed.append(inc.update_id)
            raise RuntimeError("database unavailable")
        await real_handle(inc)

    monkeypatch.setattr(tg.gateway, "handle", flaky)
    task = asyncio.create_task(tg.channel.poll(timeout=1, error_delay=0.05))
    try:
        await eventually(lambda: fake_tg.confirmed_offset == second["update_id"] + 1)
        await eventually(lambda: len(fake_tg.sent("sendMessage")) >= 2)
    finally:
        task.cancel()
    assert failed == [str(first["update_id"])]
    texts = [c.params["text"] for c in fake_tg.sent("sendMessage")]
    assert len(texts) == 2 and "/baocao" in texts[0]  # /help answered once, after the redelivery


async def test_replies_committed_before_a_crash_are_sent_after_restart(tg_settings, demo_app, fake_tg):
    db, engine = demo_app
    u = UpdateFactory(7007, "D")
    fake_tg.fail("sendMessage", 502, times=100)  # the API is unreachable while we "crash"
    async with TelegramStack(tg_settings, db, engine) as first:
        await first.channel.process_json(u.text("/help"))
    assert [r.status for r in outbox_rows(db)] == ["pending"]
    fake_tg._failures.clear()
    async with TelegramStack(tg_settings, db, engine) as restarted:  # new process, same database
        await restarted.outbox.deliver_due()
    assert [r.status for r in outbox_rows(db)] == ["sent"]
    assert "/baocao" in fake_tg.sent("sendMessage")[-1].params["text"]


# --- retries ----------------------------------------------------------------------------------------

async def test_429_waits_for_retry_after(tg, fake_tg):
    fake_tg.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    runner = asyncio.create_task(tg.outbox.run(idle_seconds=0.05))
    try:
        await tg.channel.process_json(UpdateFactory(7008, "E").text("/help"))
        await eventually(lambda: outbox_rows(tg.db)[-1].status == "sent")
    finally:
        runner.cancel()
    first, second = fake_tg.sent("sendMessage")
    assert second.at - first.at >= 1.0
    row = outbox_rows(tg.db)[-1]
    assert row.status == "sent" and row.attempts == 2


async def test_5xx_is_retried_with_growing_backoff(tg, fake_tg):
    fake_tg.fail("sendMessage", 502, "Bad Gateway", times=3)
    runner = asyncio.create_task(tg.outbox.run(idle_seconds=0.05))
    try:
        await tg.channel.process_json(UpdateFactory(7009, "F").text("/help"))
        await eventually(lambda: outbox_rows(tg.db)[-1].status == "sent")
    finally:
        runner.cancel()
    at = [c.at for c in fake_tg.sent("sendMessage")]
    gaps = [b - a for a, b in zip(at, at[1:])]
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1 and gaps[2] >= 0.2  # base 0.05 s, doubling
    assert outbox_rows(tg.db)[-1].status == "sent"


async def test_blocked_chat_is_recorded_and_retried_when_it_writes_again(tg, fake_tg):
    u = UpdateFactory(7010, "G")
    fake_tg.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await tg.channel.process_json(u.text("/help"))
    row = outbox_rows(tg.db)[-1]
    assert row.status == "failed" and "blocked" in row.last_error
    await tg.channel.process_json(u.text("/start"))
    texts = [c.params["text"] for c in fake_tg.sent("sendMessage")]
    assert len(texts) == 3 and "/baocao" in texts[1]  # the old answer first, then the new one
    assert {r.status for r in outbox_rows(tg.db)} == {"sent"}


# --- webhook -----------------------------------------------------------------------------------------

async def test_webhook_requires_the_secret(tg, fake_tg, tg_settings):
    asgi = make_asgi_app(tg_settings, tg=tg.channel)
    update = UpdateFactory(7011, "H").text("/help")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://app") as client:
        assert (await client.post("/tg/hook", json=update)).status_code == 403
        bad = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        assert (await client.post("/tg/hook", json=update, headers=bad)).status_code == 403
        assert fake_tg.sent() == []
        good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
        assert (await client.post("/tg/hook", json=update, headers=good)).status_code == 200
    assert "/baocao" in fake_tg.sent()[-1].params["text"]


# --- bad input ---------------------------------------------------------------------------------------

def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/bomb.bin", b"\0" * (60 * 1024 * 1024))
    return buf.getvalue()


async def test_bad_input_gets_short_vietnamese_answers_and_changes_nothing(tg, fake_tg, demo_app, data_dir,
                                                                        library):
    db, _ = demo_app
    u = await joined(tg, fake_tg, db, "admin", 7012, "Đỗ Văn Nam")  # only admins' files are downloaded
    fake_tg.files["bomb"] = _zip_bomb()
    fake_tg.files["fakepdf"] = b"not a pdf at all"
    before = counts(db)
    cases = [
        (u.text("cấp CCCD 60 " * 3500), "quá dài"),
        (u.sticker(), "chữ"),
        (u.voice(), "chữ"),
        (u.document("exe", "virus.exe", 1000, "application/octet-stream"), "chỉ nhận tệp"),
        (u.document("big", "baocao.docx", 25 * 1024 * 1024, "application/vnd.openxmlformats"), "quá lớn"),
        (u.document("bomb", "bom.docx", len(fake_tg.files["bomb"]), "application/vnd.openxmlformats"), "quá lớn"),
        (u.document("fakepdf", "gia.pdf", 16, "application/pdf"), "hỏng"),
        (u.edited("cấp CCCD 61"), "tin nhắn mới"),
    ]
    for update, expected in cases:
        reply = text_of(await send(tg, fake_tg, update))
        assert expected in reply, (expected, reply)
        assert len(reply) < 300
    reply = text_of(await send(tg, fake_tg, u.text("The weather is lovely today, how are you?")))
    assert reply and len(reply) < 600 and any(ch in reply for ch in "ạảãàáâăđêôơư")  # answered in Vietnamese
    assert counts(db) == before
    assert not any((data_dir / "uploads").rglob("*.*"))  # refused files are not kept


async def test_accepted_docx_is_downloaded_and_handed_to_the_flow(tg, fake_tg, demo_app, monkeypatch, data_dir):
    u = await joined(tg, fake_tg, demo_app[0], "admin", 7013, "Lê Quản Trị")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>Chỉ thị 04</w:document>")
    fake_tg.files["ct04"] = buf.getvalue()
    seen = []

    def take(ctx):
        f = ctx.incoming.file
        seen.append((f, f.path.read_bytes()))
        ctx.say("Đã nhận tệp.")
        return True

    monkeypatch.setattr(router, "files", [take])
    reply = text_of(await send(tg, fake_tg, u.document("ct04", "Chỉ thị 04.docx", len(buf.getvalue()),
                                                       "application/vnd.openxmlformats", caption="thêm")))
    assert reply == "Đã nhận tệp."
    f, content = seen[0]
    assert content == buf.getvalue() and f.path.is_relative_to(data_dir / "uploads")
    assert f.name == "Chỉ thị 04.docx" and f.size == len(buf.getvalue())


# --- secrets -------------------------------------------------------------------------------------------

async def test_token_never_reaches_the_logs(tg_settings, demo_app, fake_tg):
    from bot.app import secrets_of
    from common.logs import setup_logging

    stream = io.StringIO()
    setup_logging("DEBUG", secrets_of(tg_settings))
    root = logging.getLogger()
    root.handlers[0].setStream(stream)
    for name in ("httpx", "httpcore", "telegram"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        db, engine = demo_app
        async with TelegramStack(tg_settings, db, engine) as stack:
            await stack.channel.process_json(UpdateFactory(7016, "L").text("/help"))
    finally:
        setup_logging("WARNING", [])
    out = stream.getvalue()
    assert "sendMessage" in out and "/bot***/sendMessage" in out  # the request URLs were logged ...
    assert TG_TOKEN not in out and TG_TOKEN.split(":")[1] not in out  # ... without the token


# --- the scripted officer session ----------------------------------------------------------------------

class TelegramDriver:
    """Two officers on Telegram, through the fake Bot API and the real Application; `restart` builds a new
    database connection, engine and Application on the same data, as a process restart would."""

    def __init__(self, settings: Settings, fake: FakeTelegram, db, engine):
        self.settings, self.fake, self.db, self.engine = settings, fake, db, engine
        self.users = {"reporter": UpdateFactory(8101, "Nguyễn Thị Lan"), "approver": UpdateFactory(8102, "Trần Bảo")}
        self.buttons: dict[str, dict] = {}

    async def start(self) -> None:
        self.stack = TelegramStack(self.settings, self.db, self.engine)
        await self.stack.__aenter__()

    async def restart(self) -> None:
        from bot.app import build

        await self.stack.__aexit__(None, None, None)
        self.db.dispose()
        self.db, self.engine = build(self.settings, upgrade=False)
        await self.start()

    async def _feed(self, who: str, update: dict) -> Said:
        calls = [c for c in await send(self.stack, self.fake, update) if c.chat_id == str(self.users[who].user["id"])]
        self.buttons[who] = {label: c for c in calls for label, _ in c.buttons}
        return Said(texts=[c.params["text"] for c in calls if c.method == "sendMessage"],
                    buttons=list(self.buttons[who]), update=update,
                    files=[c.files["document"][0] for c in calls if c.method == "sendDocument"])

    async def text(self, who: str, text: str) -> Said:
        return await self._feed(who, self.users[who].text(text))

    async def press(self, who: str, label: str) -> Said:
        return await self._feed(who, self.users[who].press(self.buttons[who][label], label))

    async def replay(self, who: str, update: dict) -> Said:
        return await self._feed(who, update)


async def test_scripted_officer_session_on_telegram(tg_settings, fake_tg, demo_app):
    d = TelegramDriver(tg_settings, fake_tg, *demo_app)
    await d.start()
    try:
        await run_session(d, lambda: d.db)
    finally:
        await d.stack.__aexit__(None, None, None)


async def test_admin_adds_a_directive_by_sending_a_docx(tg, fake_tg, demo_app):
    import docx

    admin = await joined(tg, fake_tg, demo_app[0], "admin", 7017, "Lê Quản Trị")
    doc = docx.Document()
    for line in ("THỦ TƯỚNG CHÍNH PHỦ", "Số: 04/CT-TTg", "Hà Nội, ngày 11 tháng 02 năm 2024", "CHỈ THỊ",
                 "Về việc tiếp tục đẩy mạnh triển khai Đề án 06",
                 "Ủy ban nhân dân cấp xã đẩy mạnh cấp căn cước và kích hoạt định danh điện tử."):
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    fake_tg.files["ct04"] = buf.getvalue()
    calls = await send(tg, fake_tg, admin.document("ct04", "CT-04.docx", len(buf.getvalue()),
                                                   "application/vnd.openxmlformats-officedocument"))
    assert "04/CT-TTg" in text_of(calls)
    labels = [label for c in calls for label, _ in c.buttons]
    assert "Hủy" in labels
    assert "chưa được thêm" in text_of(await send(tg, fake_tg, admin.press(calls[-1], "Hủy")))


# --- files: only admins' are downloaded (capped), read in a limited worker, outside any transaction -------

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stored_documents(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(KnowledgeDocument).where(
            KnowledgeDocument.source_path.like("%library%")))


def kept_uploads(data_dir) -> list:
    return [p for p in (data_dir / "uploads").rglob("*") if p.is_file()]


async def test_a_reporters_file_is_read_as_a_report_and_not_kept(tg, fake_tg, demo_app, data_dir, tmp_path):
    u = await joined(tg, fake_tg, demo_app[0], "reporter", 7101, "Đỗ Văn Nam")
    fake_tg.files["bc"] = make_docx(tmp_path / "bc.docx", HEAD).read_bytes()  # a directive: no figures of a report
    reply = text_of(await send(tg, fake_tg, u.document("bc", "bao-cao.docx", len(fake_tg.files["bc"]), DOCX)))
    assert "không đọc được số liệu" in reply and len(reply) < 300
    assert kept_uploads(data_dir) == []  # read in the worker, then deleted


async def test_admins_upload_is_read_and_nothing_is_left_in_the_uploads_folder(tg, fake_tg, demo_app, data_dir,
                                                                              tmp_path):
    u = await joined(tg, fake_tg, demo_app[0], "admin", 7102, "Lê Quản Trị")
    fake_tg.files["ct"] = make_docx(tmp_path / "ct.docx", HEAD).read_bytes()
    update = u.document("ct", "CT-04.docx", len(fake_tg.files["ct"]), DOCX)
    assert "Số hiệu: 04/CT-TTg" in text_of(await send(tg, fake_tg, update))
    assert await send(tg, fake_tg, update) == []  # a redelivery: downloaded again, then ignored
    assert kept_uploads(data_dir) == []  # the library keeps its own copy (the text)
    with demo_app[0].session() as s:
        row = s.scalar(select(KnowledgeDocument).where(KnowledgeDocument.confirmed.is_(False)))
        assert row.meta["file_name"] == "CT-04.docx" and row.source_path.endswith(".txt")


async def test_a_file_without_announced_size_is_cut_off_at_the_limit(tg, fake_tg, demo_app, data_dir):
    u = await joined(tg, fake_tg, demo_app[0], "admin", 7103, "Lê Quản Trị")
    fake_tg.endless.add("big")
    reply = text_of(await send(tg, fake_tg, u.document("big", "baocao.pdf", None, PDF)))
    assert "quá lớn" in reply
    assert fake_tg.bytes_served < 3 * uploads.MAX_BYTES  # of 640 MB on offer
    assert kept_uploads(data_dir) == []


def test_a_real_docx_with_many_parts_is_accepted(tmp_path):
    path = many_parts_docx(tmp_path / "bao-cao.docx")
    assert 1.5e6 < path.stat().st_size < 2e6
    assert uploads.check_downloaded(path) is None


async def test_a_slow_pdf_gives_up_cleanly_and_blocks_nobody(tg, fake_tg, demo_app, data_dir, tmp_path):
    db = demo_app[0]
    admin = await joined(tg, fake_tg, db, "admin", 7104, "Lê Quản Trị")
    other = UpdateFactory(7105, "Người Khác")
    fake_tg.files["heavy"] = heavy_drawing_pdf(tmp_path / "heavy.pdf").read_bytes()
    assert len(fake_tg.files["heavy"]) < 20_000
    tg.gateway.read_file = functools.partial(reading.read_document, seconds=2)
    answered: dict[str, float] = {}

    async def officer_writes_meanwhile():
        await asyncio.sleep(0.5)
        t = time.monotonic()
        await tg.channel.process_json(other.text("/help"))
        answered["other"] = time.monotonic() - t

    t = time.monotonic()
    await asyncio.gather(tg.channel.process_json(admin.document("heavy", "ve.pdf", len(fake_tg.files["heavy"]), PDF)),
                         officer_writes_meanwhile())
    answered["upload"] = time.monotonic() - t
    assert answered["other"] < 2.0  # not queued behind the reading
    assert answered["upload"] < 10.0
    to_admin = text_of([c for c in fake_tg.sent() if c.chat_id == "7104"])
    assert "quá nhiều thời gian" in to_admin and "2 giây" in to_admin
    assert stored_documents(db) == 0 and kept_uploads(data_dir) == []


async def test_a_pdf_with_javascript_is_refused(tg, fake_tg, demo_app, tmp_path):
    admin = await joined(tg, fake_tg, demo_app[0], "admin", 7106, "Lê Quản Trị")
    fake_tg.files["js"] = text_pdf(tmp_path / "js.pdf", javascript="app.alert('xin chao');").read_bytes()
    reply = text_of(await send(tg, fake_tg, admin.document("js", "chi-thi.pdf", len(fake_tg.files["js"]), PDF)))
    assert "JavaScript" in reply and "Số hiệu" not in reply
    assert stored_documents(demo_app[0]) == 0


def test_the_reader_reads_plain_pdfs_and_spots_javascript(tmp_path):
    plain = text_pdf(tmp_path / "plain.pdf")
    assert not reading.has_javascript(plain)
    assert reading.has_javascript(text_pdf(tmp_path / "js.pdf", javascript="app.alert(1);"))
    f = IncomingFile("plain.pdf", plain.stat().st_size, plain)
    reading.read_document(f)
    assert f.unreadable == "" and "04/CT-TTg" in f.text_path.read_text(encoding="utf-8")


def test_reading_beyond_the_memory_limit_stops_cleanly(tmp_path):
    limit = 150 * 1024 * 1024
    small = IncomingFile("nho.docx", 1, make_docx(tmp_path / "nho.docx", HEAD))
    reading.read_document(small, memory=limit)
    assert small.text_path is not None  # the limit leaves room for ordinary documents ...
    huge = IncomingFile("nang.docx", 1, huge_body_docx(tmp_path / "nang.docx"))
    assert uploads.check_downloaded(huge.path) is None  # ... passes the file checks (170 KB) ...
    t = time.monotonic()
    reading.read_document(huge, memory=limit)
    assert huge.text_path is None and huge.unreadable and time.monotonic() - t < 10  # ... but not the limit
