"""A backlog after downtime is the officer's data: every message processed, in order, none answered "too fast".

Through the real Telegram channel (polling, the real Application) against the fake Bot API, with the real pace
limits (20 at once, then one per 2 s) on a clock the test moves.
"""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.channels.ratelimit import RateLimiter
from common.settings import Settings
from db.models import FailedUpdate, FigureRevision, HeldUpdate, ProcessedUpdate
from tests.fakes.harness import TG_TOKEN, TelegramStack, eventually, invite_code
from tests.fakes.telegram_api import UpdateFactory

UNIT = "demo-hoa-an"
BACKLOG = 60
FIGURES = [100 + i for i in range(1, BACKLOG) if i % 4 == 0]  # one message in four sets a figure, the rest ask /help


@pytest.fixture
def polling_settings(data_dir, fake_tg) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN, telegram_base_url=fake_tg.url)


class ManualClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def processed_ids(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(ProcessedUpdate.update_id).where(ProcessedUpdate.channel == "telegram")
                              .order_by(ProcessedUpdate.id)))


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


async def test_backlog_after_downtime_is_processed_in_order_and_nothing_is_lost(polling_settings, demo_app, fake_tg):
    db, engine = demo_app
    clock = ManualClock()
    async with TelegramStack(polling_settings, db, engine, limiter=RateLimiter(clock=clock)) as stack:
        officer = UpdateFactory(9101, "Nguyễn Thị Lan")
        await stack.channel.process_json(officer.text(f"/start {invite_code(db, UNIT, 'reporter')}"))
        # the bot was down while the officer kept working: 60 messages wait at Telegram
        backlog = [officer.text("/baocao")] + [officer.text(f"sửa cấp mới CCCD thành {100 + i}" if i % 4 == 0 else "/help")
                                               for i in range(1, BACKLOG)]
        for u in backlog:
            fake_tg.push_update(u)
        tasks = [asyncio.create_task(stack.channel.poll(timeout=1, error_delay=0.05))]
        wanted = [str(u["update_id"]) for u in backlog]
        try:
            # Telegram is told the batch is done once every message is processed or kept (held) ...
            await eventually(lambda: fake_tg.confirmed_offset == backlog[-1]["update_id"] + 1, timeout=30)
            assert count(db, HeldUpdate) == BACKLOG - 19  # the pace allowed 19 at once (the /start took one)
            # ... and the kept ones are processed as time passes, after the ones before them
            tasks.append(asyncio.create_task(stack.gateway.run(idle_seconds=0.05)))
            while processed_ids(db)[-BACKLOG:] != wanted:
                clock.t += 2.0
                stack.gateway.poke()
                await asyncio.sleep(0.01)
                assert len(tasks) == 2 and not any(t.done() for t in tasks)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await stack.outbox.deliver_due()
    texts = [c.params["text"] for c in fake_tg.sent("sendMessage")]
    assert not any("quá nhanh" in t for t in texts)
    # every message answered (an answer whose "sent" mark the stopped tasks cut off is sent again by the final
    # delivery: delivery is at least once, by design)
    assert len({t for t in texts if "• Cấp mới CCCD:" in t}) == len(FIGURES)
    assert sum("/baocao" in t and "/hoi" in t for t in texts) == BACKLOG - 1 - len(FIGURES)
    with db.session() as s:
        revs = s.scalars(select(FigureRevision).where(FigureRevision.indicator == "cccd.cap_moi",
                                                      FigureRevision.source.like("telegram:%"))
                         .order_by(FigureRevision.id)).all()
        got = [r.new_value for r in revs]
    assert got == FIGURES  # 0 lost, in the order sent
    assert count(db, HeldUpdate) == 0 and count(db, FailedUpdate) == 0


async def test_replays_never_count_against_the_pace_nor_get_a_notice(tg_webhookless_stack):
    stack, fake_tg = tg_webhookless_stack
    u = UpdateFactory(9102, "Trần Bảo")
    update = u.text("/help")
    await stack.channel.process_json(update)
    for _ in range(5):  # Telegram redelivers the same update (no confirmation reached it)
        await stack.channel.process_json(update)
    texts = [c.params["text"] for c in fake_tg.sent("sendMessage")]
    assert len(texts) == 1 and "quá nhanh" not in texts[0]
    await stack.channel.process_json(u.text("/start"))  # the replays took no token: a new message goes through
    assert len(fake_tg.sent("sendMessage")) == 2


@pytest.fixture
async def tg_webhookless_stack(polling_settings, demo_app, fake_tg):
    db, engine = demo_app
    limiter = RateLimiter(burst=2, per_seconds=60.0, clock=ManualClock())
    async with TelegramStack(polling_settings, db, engine, limiter=limiter) as stack:
        yield stack, fake_tg


async def test_a_live_flood_is_paced_not_dropped_and_others_are_not_affected(polling_settings, demo_app, fake_tg):
    db, engine = demo_app
    clock = ManualClock()
    limiter = RateLimiter(burst=3, per_seconds=10.0, clock=clock)
    async with TelegramStack(polling_settings, db, engine, limiter=limiter) as stack:
        flood, other = UpdateFactory(9103, "I"), UpdateFactory(9104, "K")
        sent = [flood.text(f"/xyz{i}") for i in range(8)]
        for u in sent:
            await stack.channel.process_json(u)
        await stack.channel.process_json(other.text("/help"))
        assert len([c for c in fake_tg.sent() if c.chat_id == "9103"]) == 3  # the rest waits its turn ...
        assert any(c.chat_id == "9104" for c in fake_tg.sent())  # ... and others are not affected
        assert count(db, HeldUpdate) == 5
        await stack.channel.process_json(sent[5])  # a redelivery of a held update is not held twice
        assert count(db, HeldUpdate) == 5
        clock.t += 20.0
        await stack.gateway.drain()
        assert len([c for c in fake_tg.sent() if c.chat_id == "9103"]) == 5
        clock.t += 30.0
        await stack.gateway.drain()
    to_flood = [c.params["text"] for c in fake_tg.sent() if c.chat_id == "9103"]
    assert len(to_flood) == 8 and not any("quá nhanh" in t for t in to_flood)
    flood_ids = [str(u["update_id"]) for u in sent]
    assert [i for i in processed_ids(db) if i in flood_ids] == flood_ids  # in the order sent
    assert count(db, HeldUpdate) == 0


async def test_a_chat_with_too_many_held_updates_is_told_once_and_later_ones_are_refused(
        polling_settings, demo_app, fake_tg, monkeypatch):
    from bot.channels import gateway

    monkeypatch.setattr(gateway, "MAX_HELD", 2)
    db, engine = demo_app
    limiter = RateLimiter(burst=1, per_seconds=60.0, clock=ManualClock())
    async with TelegramStack(polling_settings, db, engine, limiter=limiter) as stack:
        u = UpdateFactory(9105, "L")
        for i in range(6):
            await stack.channel.process_json(u.text(f"/xyz{i}"))
        texts = [c.params["text"] for c in fake_tg.sent()]
        assert len(texts) == 2 and "chưa được ghi nhận" in texts[1]  # 1 processed, 2 held, 1 notice for 3
        assert count(db, HeldUpdate) == 2
