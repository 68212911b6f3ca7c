"""The reminder loop of `baocao run`: every few minutes, the reminders that are due (province/reminders.py) are
written to the outbox of the officer's channel in one transaction with their record, so a restart neither loses
nor repeats one; the channel's outbox worker then sends them like any reply."""
from __future__ import annotations

import asyncio
import logging

from bot.channels.outbox import Outbox, enqueue
from bot.messages import Reply
from common import clock
from db.repo import reminders as sent_repo
from db.session import Database
from province.reminders import due_notices

log = logging.getLogger(__name__)

EVERY_SECONDS = 300.0


def send_due(db: Database, channels: tuple[str, ...], tz: str) -> int:
    """Queues every due reminder on `channels`; returns how many were queued."""
    queued = 0
    with db.session() as s:
        for n in due_notices(s, clock.now(), tz):
            target = sent_repo.reachable_chat(s, n.officer_id, channels)
            if target is None:  # no account on a running channel: tried again next pass, while still due
                continue
            if sent_repo.claim(s, n.kind, n.unit_id, n.officer_id, n.period.kind, n.period.start, n.period.end,
                               target[0]):
                enqueue(s, target[0], target[1], [Reply(n.text)])
                queued += 1
    return queued


async def run(db: Database, outboxes: dict[str, Outbox], tz: str, every: float = EVERY_SECONDS) -> None:
    """Forever: queue what is due, wake the outboxes, sleep."""
    channels = tuple(outboxes)
    while True:
        try:
            if await asyncio.to_thread(send_due, db, channels, tz):
                for o in outboxes.values():
                    o.poke()
        except Exception:
            log.exception("reminder pass failed")
        await asyncio.sleep(every)
