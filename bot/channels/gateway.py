"""What Telegram and Zalo share between "an update arrived" and "the answer is sent":
flood protection, typed answers to listed buttons, the engine with its replies in the outbox, delivery.
"""
from __future__ import annotations

import asyncio
import logging

from bot.channels import outbox as ob
from bot.channels.ratelimit import NOTICE, RateLimiter
from bot.engine import Engine
from bot.messages import BUTTON, TEXT, Incoming, Reply
from db.repo import channel_state

log = logging.getLogger(__name__)


class Gateway:
    def __init__(self, engine: Engine, outbox: ob.Outbox, limiter: RateLimiter | None = None):
        engine.persist_replies = ob.persist_replies
        self.engine, self.db, self.outbox = engine, engine.db, outbox
        self.limiter = limiter or RateLimiter()
        self._chat_locks: dict[str, asyncio.Lock] = {}

    async def handle(self, inc: Incoming) -> None:
        """Processes one update exactly once and delivers its answers (or leaves them queued)."""
        verdict = self.limiter.check(f"{inc.channel}:{inc.user_id}")
        if verdict == "drop":
            return
        if verdict == "notice":
            log.info("rate limited %s user %s", inc.channel, inc.user_id)
            await self.answer(inc, NOTICE, claim=False)
            return
        lock = self._chat_locks.setdefault(f"{inc.channel}:{inc.chat_id}", asyncio.Lock())
        async with lock:  # one chat's updates are processed in arrival order
            await asyncio.to_thread(self._handle_sync, inc)
        await self.outbox.deliver_due()

    def _handle_sync(self, inc: Incoming) -> None:
        with self.db.session() as s:
            ob.requeue_failed(s, inc.channel, inc.chat_id)
            if inc.kind == TEXT and not ob.STYLES[inc.channel].inline_buttons and not inc.text.startswith("/"):
                pressed = ob.pressed_button(s, inc.channel, inc.chat_id, inc.text)
                if pressed is not None:
                    inc.kind, inc.payload, inc.text = BUTTON, pressed.payload, pressed.label
        self.engine.handle(inc)

    async def answer(self, inc: Incoming, text: str, claim: bool = True) -> None:
        """Answers without the engine (a refused file, a flood notice). With `claim`, the update id is
        recorded too, so a redelivered refused update is not answered twice."""
        def write() -> None:
            with self.db.session() as s:
                if claim and inc.update_id is not None and not channel_state.claim_update(
                        s, inc.channel, str(inc.update_id)):
                    return
                ob.enqueue(s, inc.channel, inc.chat_id, [Reply(text)])

        await asyncio.to_thread(write)
        await self.outbox.deliver_due()
