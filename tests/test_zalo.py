"""The Zalo channel against a fake Zalo Bot API on 127.0.0.1: polling (408 = empty), ok/false envelopes,
429/5xx backoff, webhook secret, typing action, 2,000-character texts, buttons answered by letter, drafts
as signed expiring links served by the app."""
from __future__ import annotations

import asyncio
import io
import logging
import time
from urllib.parse import unquote, urlparse

import httpx
import pytest
from sqlalchemy import func, select

from bot.channels import links
from bot.channels.gateway import BadUpdate
from bot.channels.serve import make_asgi_app
from bot.channels.zalo import ZaloApi, ZaloError
from bot.engine import router
from common.settings import Settings
from db.models import Figure, FigureRevision, Invite
from tests.fakes.harness import ZALO_TOKEN, ZaloStack, eventually, invite_code, outbox_rows, text_of
from tests.fakes.server import ServerThread
from tests.fakes.session import Said, run_session
from tests.fakes.zalo_api import FakeZalo, ZaloUser

UNIT = "demo-hoa-an"
PUBLIC = "https://bot.example.vn"


@pytest.fixture
def zalo_settings(data_dir, fake_zalo) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, zalo_bot_token=ZALO_TOKEN, zalo_base_url=fake_zalo.url,
                    public_base_url=PUBLIC, zalo_webhook_url=f"{PUBLIC}/zalo/hook",
                    zalo_webhook_secret="zalo-secret-123")


@pytest.fixture
async def zl(zalo_settings, demo_app):
    db, engine = demo_app
    async with ZaloStack(zalo_settings, db, engine) as stack:
        yield stack


async def send(stack: ZaloStack, fake: FakeZalo, update: dict):
    before = len(fake.sent())
    await stack.channel.process(update)
    return fake.sent()[before:]


def with_public_command(monkeypatch, name: str, handler) -> None:
    monkeypatch.setitem(router.commands, name, handler)
    monkeypatch.setattr(router, "public_commands", router.public_commands | {name})


# --- polling ------------------------------------------------------------------------------------------

async def test_polling_survives_408_and_ok_false_and_answers(zl, fake_zalo):
    fake_zalo.fail("getUpdates", 500, ok_false=True)  # HTTP 200 but {"ok": false}
    task = asyncio.create_task(zl.channel.poll(timeout=1, error_delay=0.05))
    try:
        await eventually(lambda: fake_zalo.empty_polls >= 1)  # 408: nothing new, poll again
        fake_zalo.push_update(ZaloUser("z1", "Người Lạ").text("xin chào"))
        await eventually(lambda: len(fake_zalo.sent()) == 1)
    finally:
        task.cancel()
    assert "chưa được cấp quyền" in fake_zalo.sent()[0].params["text"]
    methods = [c.method for c in fake_zalo.calls if c.method != "getUpdates"]
    assert methods.index("sendChatAction") < methods.index("sendMessage")  # "typing..." first
    action = next(c for c in fake_zalo.calls if c.method == "sendChatAction")
    assert action.params == {"chat_id": "z1", "action": "typing"}


async def test_startup_sets_webhook_with_secret(zl, fake_zalo):
    hook = next(c for c in fake_zalo.calls if c.method == "setWebhook")
    assert hook.params == {"url": f"{PUBLIC}/zalo/hook", "secret_token": "zalo-secret-123"}


async def test_webhook_requires_the_secret(zl, fake_zalo, zalo_settings):
    asgi = make_asgi_app(zalo_settings, zl=zl.channel)
    body = {"ok": True, "result": ZaloUser("z2", "A").text("/help")}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://app") as client:
        assert (await client.post("/zalo/hook", json=body)).status_code == 403
        bad = {"X-Bot-Api-Secret-Token": "zalo-secret-124"}
        assert (await client.post("/zalo/hook", json=body, headers=bad)).status_code == 403
        assert fake_zalo.sent() == []
        good = {"X-Bot-Api-Secret-Token": "zalo-secret-123"}
        assert (await client.post("/zalo/hook", json=body, headers=good)).status_code == 200
        assert (await client.post("/zalo/hook", json=body, headers=good)).status_code == 200  # redelivered
    assert len(fake_zalo.sent()) == 1 and "/baocao" in fake_zalo.sent()[0].params["text"]


# --- rendering ----------------------------------------------------------------------------------------

async def test_long_text_is_split_at_2000_characters(zl, fake_zalo, monkeypatch):
    with_public_command(monkeypatch, "dai", lambda ctx: ctx.say("Một câu khá dài để thử. " * 210))
    calls = await send(zl, fake_zalo, ZaloUser("z3", "B").text("/dai"))
    assert len(calls) == 3 and all(1 <= len(c.params["text"]) <= 2000 for c in calls)
    assert "".join(c.params["text"] for c in calls).count("Một câu") == 210


async def test_buttons_are_listed_and_answered_by_letter_or_label(zl, fake_zalo, demo_app, library):
    db, _ = demo_app
    admin = ZaloUser("z4", "Lê Quản Trị")
    assert "Chào mừng" in text_of(await send(zl, fake_zalo, admin.text(f"/start {invite_code(db, UNIT, 'admin')}")))
    menu = text_of(await send(zl, fake_zalo, admin.text("/moi")))
    assert "A. Cán bộ báo cáo" in menu and "C. Quản trị" in menu
    assert "Mã mời cán bộ báo cáo" in text_of(await send(zl, fake_zalo, admin.text("a")))
    await send(zl, fake_zalo, admin.text("/moi"))
    assert "Mã mời lãnh đạo duyệt" in text_of(await send(zl, fake_zalo, admin.text("lãnh đạo duyệt")))
    # the choice ended with the answer: "B" is now ordinary text, not a button
    assert "Mã mời" not in text_of(await send(zl, fake_zalo, admin.text("B")))
    with db.session() as s:
        assert {i.role for i in s.scalars(select(Invite).where(Invite.created_by.is_not(None)))} == {
            "reporter", "approver"}


async def test_draft_goes_out_as_a_signed_expiring_link(zl, fake_zalo, monkeypatch, zalo_settings, data_dir):
    draft = data_dir / "drafts" / "bao-cao-tuan.docx"
    draft.write_bytes(b"PK draft bytes")
    chart = data_dir / "drafts" / "bieu-do.png"
    chart.write_bytes(b"\x89PNG chart")
    with_public_command(monkeypatch, "tep", lambda ctx: ctx.say("Dự thảo đây.", files=[draft], photos=[chart]))
    calls = await send(zl, fake_zalo, ZaloUser("z5", "C").text("/tep"))
    assert [c.method for c in calls] == ["sendMessage", "sendMessage", "sendPhoto"]
    link = next(w for w in calls[1].params["text"].split() if w.startswith(PUBLIC))
    assert "72 giờ" in calls[1].params["text"]
    assert calls[2].params["photo"].startswith(f"{PUBLIC}/dl/")

    asgi = make_asgi_app(zalo_settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url=PUBLIC) as client:
        r = await client.get(urlparse(link).path)
        assert r.status_code == 200 and r.content == b"PK draft bytes"
        assert "bao-cao-tuan.docx" in r.headers["content-disposition"]
        _, _, expires, sig, name = urlparse(link).path.split("/", 4)
        assert (await client.get(f"/dl/{expires}/{sig[:-2]}xx/{name}")).status_code == 403  # tampered
        assert (await client.get(f"/dl/{int(expires) + 1}/{sig}/{name}")).status_code == 403  # longer life
        assert (await client.get(f"/dl/{expires}/{sig}/baocao.sqlite3")).status_code == 403  # other file
    with pytest.raises(links.LinkError) as e:
        links.resolve_link(zalo_settings, expires, sig, name, now=time.time() + 73 * 3600)
    assert e.value.status == 410


async def test_without_public_url_the_officer_is_told_not_left_waiting(demo_app, fake_zalo, data_dir, monkeypatch):
    settings = Settings(_env_file=None, data_dir=data_dir, zalo_bot_token=ZALO_TOKEN, zalo_base_url=fake_zalo.url)
    draft = data_dir / "drafts" / "x.docx"
    draft.write_bytes(b"PK")
    with_public_command(monkeypatch, "tep", lambda ctx: ctx.say("Dự thảo đây.", files=[draft]))
    async with ZaloStack(settings, *demo_app) as stack:
        calls = await send(stack, fake_zalo, ZaloUser("z6", "D").text("/tep"))
    assert "PUBLIC_BASE_URL" in calls[-1].params["text"] and "x.docx" in calls[-1].params["text"]


# --- unknown and bad input ------------------------------------------------------------------------------

async def test_unknown_events_and_bad_input_get_polite_answers_and_change_nothing(zl, fake_zalo, demo_app):
    db, _ = demo_app
    u = ZaloUser("z7", "Đỗ Văn Nam")
    await send(zl, fake_zalo, u.text(f"/start {invite_code(db, UNIT, 'reporter')}"))
    with db.session() as s:
        before = [s.scalar(select(func.count()).select_from(m)) for m in (Figure, FigureRevision)]
    for update, expected in [(u.sticker(), "chữ"), (u.voice(), "chữ"),
                             (u.event("message.unsupported.received"), "chưa xử lý"),
                             (u.event("message.location.received", location={"lat": 1}), "chưa xử lý"),
                             (u.text("số liệu " * 5100), "quá dài")]:
        reply = text_of(await send(zl, fake_zalo, update))
        assert expected in reply and len(reply) < 300, (expected, reply)
    with pytest.raises(BadUpdate):  # a message without a sender: malformed (400 on a webhook, kept when polled)
        await send(zl, fake_zalo, {"event_name": "message.text.received", "message": {"text": "x"}})
    assert await send(zl, fake_zalo, {"event_name": "bot.added"}) == []
    with db.session() as s:
        assert [s.scalar(select(func.count()).select_from(m)) for m in (Figure, FigureRevision)] == before


# --- retries --------------------------------------------------------------------------------------------

async def test_429_and_5xx_are_retried_with_backoff(zl, fake_zalo):
    fake_zalo.fail("sendMessage", 429)
    fake_zalo.fail("sendMessage", 503)
    fake_zalo.fail("sendMessage", 500, ok_false=True)
    runner = asyncio.create_task(zl.outbox.run(idle_seconds=0.05))
    try:
        await zl.channel.process(ZaloUser("z8", "E").text("/help"))
        await eventually(lambda: outbox_rows(zl.db)[-1].status == "sent")
    finally:
        runner.cancel()
    at = [c.at for c in fake_zalo.sent("sendMessage")]
    gaps = [b - a for a, b in zip(at, at[1:])]
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1 and gaps[2] >= 0.2
    row = outbox_rows(zl.db)[-1]
    assert row.status == "sent" and row.attempts == 4


async def test_a_4xx_answer_is_recorded_as_failed_not_dropped(zl, fake_zalo):
    fake_zalo.fail("sendMessage", 400)
    await zl.channel.process(ZaloUser("z9", "F").text("/help"))
    row = outbox_rows(zl.db)[-1]
    assert row.status == "failed" and "400" in row.last_error and row.payload["text"]


async def test_errors_and_logs_never_show_the_token(zalo_settings, demo_app):
    from bot.app import secrets_of
    from common.logs import setup_logging

    stream = io.StringIO()
    setup_logging("DEBUG", secrets_of(zalo_settings))
    logging.getLogger().handlers[0].setStream(stream)
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    try:
        async with httpx.AsyncClient() as client:
            api = ZaloApi(client, "http://127.0.0.1:9", ZALO_TOKEN)  # nothing listens on port 9
            with pytest.raises(ZaloError) as e:
                await api.call("getMe")
            logging.getLogger("bot").warning("zalo failed: %s", e.value)
            async with ZaloStack(zalo_settings, *demo_app) as stack:
                await stack.channel.process(ZaloUser("z10", "G").text("/help"))
    finally:
        setup_logging("WARNING", [])
    out = stream.getvalue()
    assert ZALO_TOKEN not in str(e.value) and e.value.retryable
    assert "/bot***/sendMessage" in out and ZALO_TOKEN not in out and "zalo-fake-token" not in out


# --- the scripted officer session ----------------------------------------------------------------------

class ZaloDriver:
    """Two officers on Zalo through the fake Zalo API; buttons are answered by typing their label."""

    def __init__(self, settings: Settings, fake: FakeZalo, db, engine):
        self.settings, self.fake, self.db, self.engine = settings, fake, db, engine
        self.users = {"reporter": ZaloUser("zr-1", "Nguyễn Thị Lan"), "approver": ZaloUser("za-1", "Trần Bảo")}

    async def start(self) -> None:
        self.stack = ZaloStack(self.settings, self.db, self.engine)
        await self.stack.__aenter__()

    async def restart(self) -> None:
        from bot.app import build

        await self.stack.__aexit__(None, None, None)
        self.db.dispose()
        self.db, self.engine = build(self.settings, upgrade=False)
        await self.start()

    async def _feed(self, who: str, update: dict) -> Said:
        chat = self.users[who].user_id
        calls = [c for c in await send(self.stack, self.fake, update) if c.chat_id == chat]
        texts = [c.params["text"] for c in calls if c.method == "sendMessage"]
        rows = [r for r in outbox_rows(self.db) if r.chat_id == chat and r.channel == "zalo"]
        buttons = [label for label, _ in rows[-1].payload.get("buttons", [])] if rows and calls else []
        files = [unquote(w.rsplit("/", 1)[1]) for t in texts for w in t.split() if w.startswith(f"{PUBLIC}/dl/")]
        return Said(texts=texts, buttons=buttons, files=files, update=update)

    async def text(self, who: str, text: str) -> Said:
        return await self._feed(who, self.users[who].text(text))

    async def press(self, who: str, label: str) -> Said:
        return await self.text(who, label)

    async def replay(self, who: str, update: dict) -> Said:
        return await self._feed(who, update)


async def test_scripted_officer_session_on_zalo(zalo_settings, fake_zalo, demo_app):
    d = ZaloDriver(zalo_settings, fake_zalo, *demo_app)
    await d.start()
    try:
        await run_session(d, lambda: d.db)
    finally:
        await d.stack.__aexit__(None, None, None)


async def test_run_channels_polls_both_bots_and_serves_links(demo_app, data_dir, fake_zalo):
    """`baocao run` with both tokens: polling workers, outbox workers and the HTTP server, wired for real."""
    import socket

    from bot.channels.serve import run_channels
    from tests.fakes.harness import TG_TOKEN
    from tests.fakes.telegram_api import FakeTelegram, UpdateFactory

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake_tg = FakeTelegram(TG_TOKEN)
    with ServerThread(fake_tg.app) as tg_server:
        settings = Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN,
                            telegram_base_url=tg_server.url, zalo_bot_token=ZALO_TOKEN, zalo_base_url=fake_zalo.url,
                            public_base_url=f"http://127.0.0.1:{port}", webhook_port=port)
        runner = asyncio.create_task(run_channels(settings, *demo_app))
        try:
            fake_tg.push_update(UpdateFactory(8801, "A").text("/help"))
            fake_zalo.push_update(ZaloUser("z-run", "B").text("/help"))
            await eventually(lambda: fake_tg.sent() and fake_zalo.sent())
            assert "/baocao" in fake_tg.sent()[0].params["text"] and "/baocao" in fake_zalo.sent()[0].params["text"]
            draft = data_dir / "drafts" / "v1.docx"
            draft.write_bytes(b"PK served")
            async with httpx.AsyncClient() as client:
                await eventually(lambda: runner.done() or _listening(port))
                r = await client.get(links.make_link(settings, draft))
            assert r.status_code == 200 and r.content == b"PK served"
            assert not runner.done()
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
    assert any(c.method == "deleteWebhook" for c in fake_tg.calls)  # polling mode


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
