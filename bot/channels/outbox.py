"""Delivery that loses nothing: every reply is a row in `outgoing_messages` before anything is sent.

The engine writes the rows in the same transaction as the update's effects (`persist_replies`), so a crash
after the commit leaves them pending and they are sent after the restart. One row is one API call (a text
chunk, a document or a photo), so a retry never repeats a part that already arrived. Rows of a chat go out
in order: a chat whose oldest row is waiting blocks its later rows. A transient failure (network, 429, 5xx)
is retried with exponential backoff, or after Telegram's retry_after; a permanent one (400, 403 - the
officer blocked the bot) is kept as `failed` with its error and requeued when that chat writes again.
Delivery is at-least-once: a crash between a successful send and marking the row sent repeats that part.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from bot.messages import Button, Incoming, Reply, match_button
from common import clock
from common.vntext import fold
from db.models import OutgoingMessage
from db.session import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Style:
    text_limit: int  # characters per message the channel accepts
    inline_buttons: bool  # False: buttons are listed in the text and answered by letter or label
    code_blocks: bool = False  # True: a monospace text is sent as a code block (one tap copies it)


STYLES = {"telegram": Style(4096, True, code_blocks=True), "zalo": Style(2000, False)}


class SendError(Exception):
    def __init__(self, message: str, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent, self.retry_after = permanent, retry_after


class Sender(Protocol):
    channel: str

    async def send(self, chat_id: str, part: dict) -> None:
        """Performs one API call for `part`; raises SendError on failure."""


# --- writing ------------------------------------------------------------------------------------------

def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters, cut at a paragraph, line or word boundary when possible."""
    chunks, rest = [], text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def buttons_as_text(buttons: list[Button]) -> str:
    """Choices are lettered, not numbered: a bare number may be a figure the flow is waiting for."""
    lines = [f"{letter}. {b.label}" for letter, b in zip(_LETTERS, buttons)]
    return "Trả lời bằng chữ cái (A, B…) hoặc gõ đúng lựa chọn:\n" + "\n".join(lines)


def parts_of(reply: Reply, style: Style) -> list[dict]:
    text = reply.text
    if reply.buttons and not style.inline_buttons:
        text = f"{text}\n\n{buttons_as_text(reply.buttons)}"
    parts: list[dict] = [{"kind": "text", "text": c} for c in split_text(text, style.text_limit)]
    if reply.monospace and style.code_blocks:
        for p in parts:
            p["monospace"] = True
    parts += [{"kind": "document", "path": str(p)} for p in reply.files]
    parts += [{"kind": "photo", "path": str(p)} for p in reply.photos]
    if reply.buttons:
        if not parts:
            parts.append({"kind": "text", "text": "Vui lòng chọn:"})
        parts[-1]["buttons"] = [[b.label, b.payload] for b in reply.buttons]
    return parts


def enqueue(s: Session, channel: str, chat_id: str, replies: list[Reply]) -> int:
    """Adds the replies' parts to the outbox inside the caller's transaction; returns how many."""
    style = STYLES[channel]
    n = 0
    for r in replies:
        for part in parts_of(r, style):
            s.add(OutgoingMessage(channel=channel, chat_id=r.to_chat or chat_id, payload=part))
            n += 1
    s.flush()
    return n


def persist_replies(s: Session, incoming: Incoming, replies: list[Reply]) -> None:
    """The engine's hook: replies become outbox rows in the update's own transaction."""
    enqueue(s, incoming.channel, incoming.chat_id, replies)


def requeue_failed(s: Session, channel: str, chat_id: str) -> int:
    """The chat wrote again, so it is reachable: give its failed parts another chance, in order."""
    # an UPDATE runs through a cursor, whose result has the rowcount Session.execute's type leaves out
    res = cast("CursorResult[Any]", s.execute(update(OutgoingMessage)
                    .where(OutgoingMessage.channel == channel, OutgoingMessage.chat_id == chat_id,
                           OutgoingMessage.status == "failed")
                    .values(status="pending", next_attempt_at=_now())))
    return res.rowcount or 0


def pressed_button(s: Session, channel: str, chat_id: str, text: str) -> Button | None:
    """For channels without inline buttons: the button of the chat's latest message that `text` names
    (by its letter or its label). Any later message without buttons ends the choice, as in a chat UI."""
    last = s.scalar(select(OutgoingMessage).where(OutgoingMessage.channel == channel,
                                                  OutgoingMessage.chat_id == chat_id)
                    .order_by(OutgoingMessage.id.desc()).limit(1))
    if last is None or not last.payload.get("buttons"):
        return None
    buttons = [Button(label, payload) for label, payload in last.payload["buttons"]]
    t = fold(text).strip().rstrip(".")
    if len(t) == 1 and t.upper() in _LETTERS[:len(buttons)]:
        return buttons[_LETTERS.index(t.upper())]
    return match_button(text, buttons)


# --- sending ------------------------------------------------------------------------------------------

def _now() -> datetime:
    return clock.now()


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    return min(cap, base * 2 ** max(0, attempts - 1))


class Outbox:
    """Sends one channel's pending rows. `deliver_due` after each update; `run` retries in the background."""

    def __init__(self, db: Database, sender: Sender, base_delay: float = 2.0, max_delay: float = 900.0,
                 batch: int = 200):
        self.db, self.sender = db, sender
        self.base_delay, self.max_delay, self.batch = base_delay, max_delay, batch
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()

    def poke(self) -> None:
        self._wake.set()

    async def deliver_due(self) -> int:
        """Sends every due row, oldest first, chat by chat in order. Returns how many were sent."""
        async with self._lock:
            rows = await asyncio.to_thread(self._due_rows)
            blocked: set[str] = set()
            sent = 0
            for row_id, chat_id, payload, attempts, due_at in rows:
                if chat_id in blocked:
                    continue
                if due_at > _now():
                    blocked.add(chat_id)  # keep the chat's order: nothing overtakes a waiting part
                    continue
                try:
                    await self.sender.send(chat_id, payload)
                except SendError as e:
                    blocked.add(chat_id)
                    await asyncio.to_thread(self._record_failure, row_id, attempts + 1, e)
                    if e.retry_after is not None:
                        break  # flood control applies to the bot: stop this pass
                    continue
                except Exception as e:
                    blocked.add(chat_id)
                    log.exception("%s send crashed", self.sender.channel)
                    await asyncio.to_thread(self._record_failure, row_id, attempts + 1, SendError(repr(e)))
                    continue
                await asyncio.to_thread(self._mark_sent, row_id, attempts + 1)
                sent += 1
            return sent

    async def run(self, idle_seconds: float = 5.0) -> None:
        """Forever: deliver what is due, then sleep until poked or the next retry is due."""
        while True:
            try:
                await self.deliver_due()
                wait = await asyncio.to_thread(self._seconds_to_next_due, idle_seconds)
            except Exception:
                log.exception("%s outbox pass failed", self.sender.channel)
                wait = idle_seconds
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.05, wait))
            except TimeoutError:
                pass
            self._wake.clear()

    # -- database side (run in a worker thread) --
    def _due_rows(self) -> list[tuple[int, str, dict, int, datetime]]:
        with self.db.session() as s:
            rows = s.scalars(select(OutgoingMessage).where(OutgoingMessage.channel == self.sender.channel,
                                                           OutgoingMessage.status == "pending")
                             .order_by(OutgoingMessage.id).limit(self.batch))
            return [(r.id, r.chat_id, dict(r.payload), r.attempts, _aware(r.next_attempt_at)) for r in rows]

    def _mark_sent(self, row_id: int, attempts: int) -> None:
        with self.db.session() as s:
            s.execute(update(OutgoingMessage).where(OutgoingMessage.id == row_id)
                      .values(status="sent", attempts=attempts, last_error=""))

    def _record_failure(self, row_id: int, attempts: int, e: SendError) -> None:
        if e.permanent:
            values: dict[str, object] = {"status": "failed"}
            log.warning("%s send failed permanently (row %s): %s", self.sender.channel, row_id, e)
        else:
            delay = e.retry_after if e.retry_after is not None else backoff_seconds(
                attempts, self.base_delay, self.max_delay)
            values = {"next_attempt_at": _now() + timedelta(seconds=delay)}
            log.info("%s send failed (row %s, attempt %s), retry in %.1fs: %s", self.sender.channel, row_id,
                     attempts, delay, e)
        with self.db.session() as s:
            s.execute(update(OutgoingMessage).where(OutgoingMessage.id == row_id)
                      .values(attempts=attempts, last_error=str(e)[:2000], **values))

    def _seconds_to_next_due(self, idle: float) -> float:
        with self.db.session() as s:
            nxt = s.scalar(select(OutgoingMessage.next_attempt_at)
                           .where(OutgoingMessage.channel == self.sender.channel,
                                  OutgoingMessage.status == "pending")
                           .order_by(OutgoingMessage.next_attempt_at).limit(1))
        if nxt is None:
            return idle
        return min(idle, max(0.0, (_aware(nxt) - _now()).total_seconds()))
