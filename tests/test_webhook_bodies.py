"""Webhook bodies that are not updates get 400 (never a 500 with a traceback), and a body over 1 MB is refused
before it is read. The real ASGI app with the real Telegram and Zalo channels behind it."""
from __future__ import annotations

import json
import logging

import httpx
import pytest

from bot.channels.serve import make_asgi_app
from common.settings import Settings
from tests.fakes.harness import TG_TOKEN, ZALO_TOKEN, TelegramStack, ZaloStack
from tests.fakes.server import ServerThread
from tests.fakes.telegram_api import FakeTelegram, UpdateFactory
from tests.fakes.zalo_api import FakeZalo, ZaloUser

TG_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
ZALO_HEADERS = {"X-Bot-Api-Secret-Token": "zalo-secret-123"}
CAP = 1024 * 1024  # an update is a few KB
DEEP = b"[" * 100_000 + b"]" * 100_000

NOT_UPDATES = [b"null", b"[]", b"{}", b"5", b'"update"', b"[{}]", DEEP, b'{"a": ' * 5000 + b"1" + b"}" * 5000,
               b"not json", b"\xff\xfe", b""]


def _nested(key: str, depth: int) -> dict:
    inner: dict = {"text": "x"}
    for _ in range(depth):
        inner = {key: inner}
    return inner


@pytest.fixture
async def app(data_dir, demo_app):
    fake_tg, fake_zalo = FakeTelegram(TG_TOKEN), FakeZalo(ZALO_TOKEN)
    with ServerThread(fake_tg.app) as tg_srv, ServerThread(fake_zalo.app) as zl_srv:
        settings = Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN,
                            telegram_base_url=tg_srv.url, telegram_webhook_url="https://bot.example.vn/tg/hook",
                            telegram_webhook_secret="s3cret-hook", zalo_bot_token=ZALO_TOKEN,
                            zalo_base_url=zl_srv.url, zalo_webhook_url="https://bot.example.vn/zalo/hook",
                            zalo_webhook_secret="zalo-secret-123")
        async with TelegramStack(settings, *demo_app) as tg, ZaloStack(settings, *demo_app) as zl:
            asgi = make_asgi_app(settings, tg=tg.channel, zl=zl.channel)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://app") as client:
                yield client, fake_tg, fake_zalo


def no_tracebacks(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_telegram_webhook_answers_400_to_json_that_is_not_an_update(app, caplog):
    client, fake_tg, _ = app
    bodies = NOT_UPDATES + [json.dumps(b).encode() for b in (
        {"update_id": 7, "message": 5}, {"update_id": "7"}, {"update_id": True}, {"update_id": 7, "message": []},
        {"update_id": 7, "message": {"chat": 5}}, {"update_id": 7, "callback_query": "x"},
        {"update_id": 7, "message": _nested("reply_to_message", 800)})]
    for body in bodies:
        r = await client.post("/tg/hook", content=body, headers=TG_HEADERS)
        assert r.status_code == 400, (body[:60], r.status_code)
    assert no_tracebacks(caplog) and fake_tg.sent() == []
    ok = await client.post("/tg/hook", json=UpdateFactory(7301, "A").text("/help"), headers=TG_HEADERS)
    assert ok.status_code == 200


async def test_zalo_webhook_answers_400_to_json_that_is_not_an_update(app, caplog):
    client, _, fake_zalo = app
    bodies = NOT_UPDATES + [json.dumps(b).encode() for b in (
        {"event_name": "message.text.received", "message": 5},
        {"event_name": "message.text.received", "message": {"from": "z", "text": "x"}},
        {"event_name": "message.text.received", "message": {"from": {"id": ["z"]}, "text": "x"}},
        {"event_name": 5}, {"ok": True, "result": [5]}, {"ok": True, "result": None},
        {"event_name": "message.text.received", "message": _nested("message", 800)})]
    for body in bodies:
        r = await client.post("/zalo/hook", content=body, headers=ZALO_HEADERS)
        assert r.status_code == 400, (body[:60], r.status_code)
    assert no_tracebacks(caplog) and fake_zalo.sent() == []
    ok = await client.post("/zalo/hook", json={"ok": True, "result": ZaloUser("z-73", "B").text("/help")},
                           headers=ZALO_HEADERS)
    assert ok.status_code == 200


@pytest.mark.parametrize("path,headers", [("/tg/hook", TG_HEADERS), ("/zalo/hook", ZALO_HEADERS)])
async def test_a_body_over_the_cap_is_refused_before_it_is_read(app, path, headers):
    client, _, _ = app
    big = b'{"update_id": 1, "pad": "' + b"x" * (2 * CAP) + b'"}'
    assert (await client.post(path, content=big, headers=headers)).status_code == 413
    read = 0

    async def endless():  # no Content-Length: chunked, as large as the sender likes (here up to 200 MB)
        nonlocal read
        for _ in range(200 * 16):
            read += 64 * 1024
            yield b" " * (64 * 1024)

    assert (await client.post(path, content=endless(), headers=headers)).status_code == 413
    assert read <= CAP + 2 * 64 * 1024
