"""The real channel stack (gateway, outbox, Telegram Application / Zalo client) wired to a fake API server."""
from __future__ import annotations

import asyncio
import time

import httpx

from bot.channels import telegram, zalo
from bot.channels.gateway import Gateway
from bot.channels.outbox import Outbox
from bot.channels.ratelimit import RateLimiter
from common.settings import Settings
from db.models import OutgoingMessage
from db.repo import people

TG_TOKEN = "123456789:AAFakeTelegramToken_abcdefghij"
ZALO_TOKEN = "987654321:zalo-fake-token-abcdefghij"


def invite_code(db, unit_code: str, role: str) -> str:
    with db.session() as s:
        return people.create_invite(s, people.unit_by_code(s, unit_code), role, None).code


def outbox_rows(db) -> list[OutgoingMessage]:
    from sqlalchemy import select

    with db.session() as s:
        return list(s.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


def text_of(calls) -> str:
    """The texts of the bot API calls a test captured, one per line."""
    return "\n".join(c.params.get("text", "") for c in calls)


async def eventually(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


class TelegramStack:
    def __init__(self, settings: Settings, db, engine, base_delay: float = 0.05,
                 limiter: RateLimiter | None = None):
        self.settings, self.db = settings, db
        self.app = telegram.build_application(settings)
        self.outbox = Outbox(db, telegram.TelegramSender(self.app), base_delay=base_delay, max_delay=2.0)
        self.gateway = Gateway(engine, self.outbox, limiter)
        self.channel = telegram.TelegramChannel(settings, self.app, self.gateway)

    async def __aenter__(self) -> TelegramStack:
        await self.channel.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.channel.stop()


class ZaloStack:
    def __init__(self, settings: Settings, db, engine, base_delay: float = 0.05,
                 limiter: RateLimiter | None = None):
        self.settings, self.db = settings, db
        self.client = httpx.AsyncClient()
        self.api = zalo.ZaloApi(self.client, settings.zalo_base_url, settings.zalo_bot_token.get_secret_value())
        self.outbox = Outbox(db, zalo.ZaloSender(self.api, settings), base_delay=base_delay, max_delay=2.0)
        self.gateway = Gateway(engine, self.outbox, limiter)
        self.channel = zalo.ZaloChannel(settings, self.api, self.gateway)

    async def __aenter__(self) -> ZaloStack:
        await self.channel.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()
