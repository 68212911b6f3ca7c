"""An update whose processing keeps failing (the database is down, a bug) is given up after 5 attempts into
`failed_updates` (channel, update id, payload, error, attempts) with an error log line, and the channel moves
on; it is never dropped silently. Real channel code against the fake Telegram and Zalo APIs."""
from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.channels.ratelimit import RateLimiter
from bot.channels.serve import make_asgi_app
from common.settings import Settings
from db.models import FailedUpdate, HeldUpdate
from tests.fakes.harness import TG_TOKEN, ZALO_TOKEN, TelegramStack, ZaloStack, eventually, text_of
from tests.fakes.telegram_api import UpdateFactory
from tests.fakes.zalo_api import ZaloUser

POISON = "tin gây lỗi"


@pytest.fixture
def broken_engine(demo_app, monkeypatch):
    """The engine fails on one message as it would with the database down: before anything is committed."""
    db, engine = demo_app
    real = engine.handle

    def handle(inc):
        if inc.text == POISON:
            raise RuntimeError("database is locked")
        return real(inc)

    monkeypatch.setattr(engine, "handle", handle)
    return db, engine


def failed_rows(db) -> list[FailedUpdate]:
    with db.session() as s:
        return list(s.scalars(select(FailedUpdate).order_by(FailedUpdate.id)))


def given_up_logged(caplog) -> bool:
    return any(r.levelno == logging.ERROR and "failed-updates" in r.getMessage() for r in caplog.records)


async def test_zalo_polled_update_failing_5_times_is_recorded_and_polling_goes_on(
        data_dir, fake_zalo, broken_engine, caplog):
    db, engine = broken_engine
    settings = Settings(_env_file=None, data_dir=data_dir, zalo_bot_token=ZALO_TOKEN, zalo_base_url=fake_zalo.url)
    u = ZaloUser("zf-1", "Nguyễn Văn A")
    poison, after = u.text(POISON), u.text("/help")
    fake_zalo.push_update(poison)
    fake_zalo.push_update(after)
    async with ZaloStack(settings, db, engine) as stack:
        task = asyncio.create_task(stack.channel.poll(timeout=1, error_delay=0.01))
        try:
            await eventually(lambda: "/baocao" in text_of(fake_zalo.sent()))
        finally:
            task.cancel()
    (row,) = failed_rows(db)
    assert (row.channel, row.update_id, row.payload, row.attempts) == ("zalo", poison["message"]["message_id"],
                                                                         poison, 5)
    assert "database is locked" in row.error
    assert given_up_logged(caplog)


async def test_telegram_polled_update_failing_5_times_is_recorded_and_the_offset_moves_on(
        data_dir, fake_tg, broken_engine, caplog):
    db, engine = broken_engine
    settings = Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN, telegram_base_url=fake_tg.url)
    a, b = UpdateFactory(9201, "A"), UpdateFactory(9202, "B")
    poison, after, other = a.text(POISON), a.text("/help"), b.text("/help")
    for u in (poison, after, other):
        fake_tg.push_update(u)
    async with TelegramStack(settings, db, engine) as stack:
        task = asyncio.create_task(stack.channel.poll(timeout=1, error_delay=0.01))
        try:
            await eventually(lambda: fake_tg.confirmed_offset == other["update_id"] + 1)
        finally:
            task.cancel()
    assert {c.chat_id for c in fake_tg.sent()} == {"9201", "9202"}  # the chat's next message, and the other chat
    (row,) = failed_rows(db)
    assert (row.channel, row.update_id, row.attempts) == ("telegram", str(poison["update_id"]), 5)
    assert row.payload["message"]["text"] == POISON and "database is locked" in row.error
    assert given_up_logged(caplog)


async def test_telegram_webhook_answers_500_until_the_5th_failure_then_records_it(
        data_dir, fake_tg, broken_engine):
    db, engine = broken_engine
    settings = Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN, telegram_base_url=fake_tg.url,
                        telegram_webhook_url="https://bot.example.vn/tg/hook", telegram_webhook_secret="s3cret-hook")
    poison = UpdateFactory(9203, "C").text(POISON)
    async with TelegramStack(settings, db, engine) as stack:
        asgi = make_asgi_app(settings, tg=stack.channel)
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://app") as client:
            codes = [(await client.post("/tg/hook", json=poison, headers=headers)).status_code for _ in range(5)]
    assert codes == [500, 500, 500, 500, 200]  # Telegram retries a 500; the 200 ends it, with the update kept
    (row,) = failed_rows(db)
    assert (row.update_id, row.attempts) == (str(poison["update_id"]), 5)


async def test_held_update_failing_5_times_is_recorded(data_dir, fake_tg, broken_engine):
    db, engine = broken_engine
    settings = Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN, telegram_base_url=fake_tg.url)
    clock = [0.0]
    limiter = RateLimiter(burst=1, per_seconds=1.0, clock=lambda: clock[0])
    u = UpdateFactory(9204, "D")
    async with TelegramStack(settings, db, engine, limiter=limiter) as stack:
        await stack.channel.process_json(u.text("/help"))
        poison = u.text(POISON)
        await stack.channel.process_json(poison)  # beyond the pace: held
        await stack.channel.process_json(u.text("/start"))  # held behind it
        for _ in range(5):
            clock[0] += 1.0
            await stack.gateway.drain()
        clock[0] += 1.0
        await stack.gateway.drain()
    (row,) = failed_rows(db)
    assert (row.update_id, row.attempts, row.payload["text"]) == (str(poison["update_id"]), 5, POISON)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(HeldUpdate)) == 0
    assert len(fake_tg.sent()) == 2  # /help, then /start after the poison was given up


def test_admin_lists_failed_updates(demo_app, data_dir):
    from bot.cli import app as cli
    from db.repo import inbox

    db, _ = demo_app
    with db.session() as s:
        inbox.record_failed(s, "zalo", "zm-77", {"event_name": "message.text.received"}, "RuntimeError('x')", 5)
    r = CliRunner().invoke(cli, ["admin", "failed-updates"], env={"DATA_DIR": str(data_dir)})
    assert r.exit_code == 0 and "zalo" in r.stdout and "zm-77" in r.stdout and "RuntimeError('x')" in r.stdout
    r = CliRunner().invoke(cli, ["admin", "failed-updates", "--json"], env={"DATA_DIR": str(data_dir)})
    rows = json.loads(r.stdout)
    assert rows[0]["payload"] == {"event_name": "message.text.received"} and rows[0]["attempts"] == 5
