"""What Telegram and Zalo share between "an update arrived" and "the answer is sent": redeliveries ignored,
each sender's pace (held updates), typed answers to listed buttons, files read outside any transaction, the
engine with its replies in the outbox, delivery, and the record of updates given up.

Nothing an officer sends is dropped: an update beyond the sender's pace is held in `held_updates` (so it is
acknowledged to the channel without being lost) and `run` processes it later, after the chat's earlier
updates. A redelivered update (already processed or held) is acknowledged silently.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from collections.abc import Callable
from pathlib import Path

from bot.channels import outbox as ob
from bot.channels import reading
from bot.channels.ratelimit import RateLimiter
from bot.engine import Engine
from bot.messages import BUTTON, FILE, TEXT, Incoming, IncomingFile, Reply
from db.repo import channel_state, inbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # failures of one update before it is given up into failed_updates
MAX_HELD = 500  # held updates per chat; beyond that a sender is flooding, not reporting
FLOODED = ("Anh/chị đã gửi rất nhiều tin nhắn liên tiếp; tôi vẫn đang xử lý các tin trước. Những tin gửi từ "
           "lúc này chưa được ghi nhận; vui lòng đợi vài phút rồi gửi lại.")

GO, HELD, DONE = "go", "held", "done"


class BadUpdate(ValueError):
    """A channel body that is not an update (malformed JSON shape): answered 400, never processed."""


class Gateway:
    def __init__(self, engine: Engine, outbox: ob.Outbox, limiter: RateLimiter | None = None,
                 read_file: Callable[[IncomingFile], None] = reading.read_document):
        engine.persist_replies = ob.persist_replies
        self.engine, self.db, self.outbox = engine, engine.db, outbox
        self.channel = outbox.sender.channel
        self.limiter = limiter or RateLimiter()
        self.read_file = read_file
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._flooded: set[str] = set()  # chats told that their latest messages were not taken
        self._failures: dict[str, int] = {}  # update id -> failed attempts (in memory: a restart starts over)
        self._wake = asyncio.Event()

    def _lock(self, chat_id: str) -> asyncio.Lock:
        return self._chat_locks.setdefault(chat_id, asyncio.Lock())

    async def handle(self, inc: Incoming) -> None:
        """Processes one update exactly once, after its chat's earlier updates, and delivers its answers (or
        leaves them queued). An update the sender's pace does not allow yet is held for `run`."""
        async with self._lock(inc.chat_id):  # one chat's updates are processed in arrival order
            verdict = DONE
            try:
                verdict = await asyncio.to_thread(self._admit, inc)
                if verdict == GO:
                    await asyncio.to_thread(self._handle_sync, inc)
            finally:
                if verdict != HELD:
                    _discard_files(inc)
        self._failures.pop(str(inc.update_id), None)  # it went through (processed, held or a redelivery)
        if verdict == HELD:
            self.poke()
        await self.outbox.deliver_due()

    def _admit(self, inc: Incoming) -> str:
        if inc.update_id is None:
            return GO
        with self.db.session() as s:
            if inbox.seen(s, inc.channel, str(inc.update_id)):
                return DONE  # a redelivery: acknowledged, never counted against the sender's pace
            waiting = inbox.held_count(s, inc.channel, inc.chat_id)
            if not waiting and self.limiter.take(self._sender(inc.user_id)) == 0.0:
                self._flooded.discard(inc.chat_id)
                return GO
            if waiting >= MAX_HELD:
                log.warning("%s chat %s has %s held updates; update %s refused", inc.channel, inc.chat_id,
                            waiting, inc.update_id)
                channel_state.claim_update(s, inc.channel, str(inc.update_id))
                if inc.chat_id not in self._flooded:
                    self._flooded.add(inc.chat_id)
                    ob.enqueue(s, inc.channel, inc.chat_id, [Reply(FLOODED)])
                return DONE
            inbox.hold(s, inc.channel, str(inc.update_id), inc.chat_id, inc.user_id, _to_json(inc))
            return HELD

    def _sender(self, user_id: str) -> str:
        return f"{self.channel}:{user_id}"

    def _handle_sync(self, inc: Incoming) -> None:
        with self.db.session() as s:
            ob.requeue_failed(s, inc.channel, inc.chat_id)
            if inc.kind == TEXT and not ob.STYLES[inc.channel].inline_buttons and not inc.text.startswith("/"):
                pressed = ob.pressed_button(s, inc.channel, inc.chat_id, inc.text)
                if pressed is not None:
                    inc.kind, inc.payload, inc.text = BUTTON, pressed.payload, pressed.label
        if inc.kind == FILE and inc.file is not None and inc.file.path is not None:
            self.read_file(inc.file)  # slow and untrusted: in a worker, outside any transaction
        self.engine.handle(inc)

    # --- held updates ------------------------------------------------------------------------------
    def poke(self) -> None:
        self._wake.set()

    async def run(self, idle_seconds: float = 5.0) -> None:
        """Forever: process the held updates that are due, then sleep until poked or the next is due."""
        while True:
            try:
                wait = await self.drain()
            except Exception:
                log.exception("%s held updates pass failed", self.channel)
                wait = idle_seconds
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.05, min(wait, idle_seconds)))
            except TimeoutError:
                pass
            self._wake.clear()

    async def drain(self) -> float:
        """Processes held updates as their senders' pace allows, each chat in order. Returns the seconds until
        the next one is due (infinity when none is held)."""
        due = math.inf
        for chat_id in await asyncio.to_thread(self._held_chats):
            async with self._lock(chat_id):
                while True:
                    row = await asyncio.to_thread(self._oldest_held, chat_id)
                    if row is None:
                        break
                    row_id, user_id, inc = row
                    wait = self.limiter.take(self._sender(user_id))
                    if wait > 0.0:
                        due = min(due, wait)
                        break
                    if not await asyncio.to_thread(self._process_held, row_id, inc):
                        due = min(due, 1.0)
                        break
            await self.outbox.deliver_due()
        return due

    def _held_chats(self) -> list[str]:
        with self.db.session() as s:
            return inbox.held_chats(s, self.channel)

    def _oldest_held(self, chat_id: str) -> tuple[int, str, Incoming] | None:
        with self.db.session() as s:
            row = inbox.oldest_held(s, self.channel, chat_id)
            return None if row is None else (row.id, row.user_id, _from_json(row.incoming))

    def _process_held(self, row_id: int, inc: Incoming) -> bool:
        """False when processing failed and the update stays held for another attempt."""
        try:
            self._handle_sync(inc)  # the engine claims the update id: a crash before `release` cannot repeat it
        except Exception as e:  # noqa: BLE001 - counted, and given up into failed_updates at MAX_ATTEMPTS
            with self.db.session() as s:
                attempts = inbox.note_failure(s, row_id, repr(e))
                if attempts < MAX_ATTEMPTS:
                    log.warning("%s held update %s failed (attempt %s): %r", self.channel, inc.update_id,
                                attempts, e)
                    return False
                self._log_given_up(str(inc.update_id), attempts, repr(e))
                inbox.record_failed(s, self.channel, str(inc.update_id), _to_json(inc), repr(e), attempts)
                inbox.release(s, row_id)
            _discard_files(inc)
            return True
        with self.db.session() as s:
            inbox.release(s, row_id)
        _discard_files(inc)
        return True

    # --- updates given up ----------------------------------------------------------------------------
    async def failed(self, update_id: str, payload: dict, error: BaseException, final: bool = False) -> bool:
        """Counts a failed attempt at an update. At the MAX_ATTEMPTS-th (or a `final` one) the update is recorded
        in failed_updates and True is returned: the channel may then acknowledge it. False: try it again."""
        n = self._failures.get(update_id, 0) + 1
        self._failures[update_id] = n
        if n < MAX_ATTEMPTS and not final:
            log.warning("%s update %s failed (attempt %s/%s): %r", self.channel, update_id, n, MAX_ATTEMPTS, error,
                        exc_info=error if n == 1 else None)
            return False
        try:
            await self.give_up(update_id, payload, repr(error), n)
        except Exception:
            log.exception("%s update %s could not be recorded as failed; it will be tried again", self.channel,
                          update_id)
            return False
        del self._failures[update_id]
        return True

    async def give_up(self, update_id: str, payload: dict, error: str, attempts: int) -> None:
        """Records an update the channel could not process after `attempts` tries, so it can be acknowledged
        without being lost. Raises when even that fails (the database is down): the caller keeps it then."""
        def write() -> None:
            with self.db.session() as s:
                inbox.record_failed(s, self.channel, update_id, payload, error, attempts)

        await asyncio.to_thread(write)
        self._log_given_up(update_id, attempts, error)

    def _log_given_up(self, update_id: str, attempts: int, error: str) -> None:
        log.error("%s update %s failed %s times and was given up; see `baocao admin failed-updates`: %s",
                  self.channel, update_id, attempts, error)

    async def answer(self, inc: Incoming, text: str) -> None:
        """Answers without the engine (a refused file, an edited message), recording the update id, so a
        redelivered update is not answered twice."""
        def write() -> None:
            with self.db.session() as s:
                if inc.update_id is not None and (
                        inbox.seen(s, inc.channel, str(inc.update_id))
                        or not channel_state.claim_update(s, inc.channel, str(inc.update_id))):
                    return
                ob.enqueue(s, inc.channel, inc.chat_id, [Reply(text)])

        async with self._lock(inc.chat_id):
            await asyncio.to_thread(write)
        await self.outbox.deliver_due()


def _discard_files(inc: Incoming) -> None:
    """The downloaded file and its text, once the update is done with: the library keeps its own copy."""
    if inc.file is not None:
        for p in (inc.file.path, inc.file.text_path):
            if p is not None:
                Path(p).unlink(missing_ok=True)


def _to_json(inc: Incoming) -> dict:
    return dataclasses.asdict(inc, dict_factory=lambda kv: {k: str(v) if isinstance(v, Path) else v for k, v in kv})


def _from_json(data: dict) -> Incoming:
    f = data.get("file")
    file = None
    if f is not None:
        file = IncomingFile(**{**f, "path": Path(f["path"]) if f.get("path") else None,
                               "text_path": Path(f["text_path"]) if f.get("text_path") else None})
    return Incoming(**{**data, "file": file})
