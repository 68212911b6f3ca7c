"""The Telegram channel (python-telegram-bot, async).

The PTB Application owns the bot and routes every Update to one handler, which turns it into an
`Incoming` for the shared gateway. We fetch updates ourselves instead of PTB's Updater so that an update is
confirmed to Telegram (the next getUpdates offset) only after its effects and answers are committed: a
crash mid-update means Telegram redelivers it, and the engine's update-id claim makes that harmless. In
webhook mode the same holds: we answer 200 only after processing, else Telegram retries.
"""
from __future__ import annotations

import asyncio
import hmac
import html
import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import BotCommand, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.channels import uploads
from bot.channels.gateway import BadUpdate, Gateway
from bot.channels.outbox import SendError
from bot.engine import router
from bot.messages import BUTTON, FILE, IMAGE, STICKER, UNSUPPORTED, VOICE, Incoming, IncomingFile
from common.settings import Settings
from db.repo import people

log = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
EDITED = "Tôi không đọc lại tin nhắn đã sửa. Nếu cần sửa số liệu, anh/chị vui lòng gửi một tin nhắn mới."


def api_base(settings: Settings) -> str:
    """Server root of the Bot API (TELEGRAM_BASE_URL, e.g. a self-hosted server); PTB wants '.../bot'."""
    base = (settings.telegram_base_url or "https://api.telegram.org").rstrip("/")
    return base.removesuffix("/bot")


def build_application(settings: Settings) -> Application:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base = api_base(settings)
    return (ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(f"{base}/bot")
            .base_file_url(settings.telegram_base_file_url or f"{base}/file/bot")
            .updater(None)
            .build())


def keyboard(buttons: list[list[str]]) -> InlineKeyboardMarkup:
    per_row = 2 if all(len(label) <= 20 for label, _ in buttons) else 1
    rows = [[InlineKeyboardButton(label, callback_data=payload) for label, payload in buttons[i:i + per_row]]
            for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(rows)


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _chat_of(update: Update) -> str:
    chat, user = update.effective_chat, update.effective_user
    return str(chat.id if chat else user.id if user else f"update:{update.update_id}")


class TelegramSender:
    channel = CHANNEL

    def __init__(self, app: Application):
        self.bot = app.bot

    async def send(self, chat_id: str, part: dict) -> None:
        markup = keyboard(part["buttons"]) if part.get("buttons") else None
        try:
            if part["kind"] == "text" and part.get("monospace"):  # the quick form: one tap copies it
                await self.bot.send_message(chat_id, f"<pre>{html.escape(part['text'])}</pre>", parse_mode="HTML",
                                            reply_markup=markup)
            elif part["kind"] == "text":
                await self.bot.send_message(chat_id, part["text"], reply_markup=markup)
            elif part["kind"] == "document":
                path = Path(part["path"])
                with path.open("rb") as f:
                    await self.bot.send_document(chat_id, f, filename=path.name, reply_markup=markup)
            else:
                with Path(part["path"]).open("rb") as f:
                    await self.bot.send_photo(chat_id, f, reply_markup=markup)
        except RetryAfter as e:
            raise SendError(str(e), retry_after=_seconds(e.retry_after)) from e
        except (BadRequest, Forbidden, ChatMigrated, FileNotFoundError) as e:  # retrying cannot help
            raise SendError(str(e), permanent=True) from e
        except (NetworkError, TelegramError) as e:  # 5xx, timeouts, connection errors
            raise SendError(str(e)) from e


class TelegramChannel:
    def __init__(self, settings: Settings, app: Application, gateway: Gateway):
        self.settings, self.app, self.gateway = settings, app, gateway
        self.webhook_secret = (settings.telegram_webhook_secret.get_secret_value()
                               if settings.telegram_webhook_secret else secrets.token_urlsafe(32))
        self._failures: dict[int, BaseException] = {}
        app.add_handler(TypeHandler(Update, self._on_update))

    # --- lifecycle ---------------------------------------------------------------------------------
    async def start(self) -> None:
        await self.app.initialize()
        await self.app.bot.set_my_commands([BotCommand(name, about) for name, about in router.about.items()])
        if self.settings.telegram_webhook_url:
            await self.app.bot.set_webhook(self.settings.telegram_webhook_url, secret_token=self.webhook_secret,
                                           allowed_updates=Update.ALL_TYPES)
        else:
            await self.app.bot.delete_webhook()  # polling and a webhook are exclusive; pending updates stay
        log.info("telegram bot @%s ready (%s)", self.app.bot.username,
                 "webhook" if self.settings.telegram_webhook_url else "polling")

    async def stop(self) -> None:
        await self.app.shutdown()

    async def poll(self, timeout: int = 30, error_delay: float = 1.0) -> None:
        """Long polling; the offset moves past an update only once it is processed (or given up)."""
        offset: int | None = None
        delay = pause = error_delay
        while True:
            try:
                updates = await self.app.bot.get_updates(offset=offset, timeout=timeout,
                                                         allowed_updates=Update.ALL_TYPES)
            except RetryAfter as e:
                await asyncio.sleep(_seconds(e.retry_after))
                continue
            except TelegramError as e:
                log.warning("telegram getUpdates failed, retry in %.0fs: %s", delay, e)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            delay = error_delay
            if not updates:
                continue
            offset = await self._process_batch(updates)
            if offset <= updates[-1].update_id:  # something failed: it is fetched again after a growing pause
                await asyncio.sleep(pause)
                pause = min(pause * 2, 60.0)
            else:
                pause = error_delay

    async def _process_batch(self, updates: list[Update]) -> int:
        """Chats concurrently (a slow file in one chat does not stall the others), each chat's updates in
        order, a chat stopping at its first failure. Returns the next offset: past the batch, or the first
        update to fetch again (later ones already processed are then ignored as redeliveries)."""
        lanes: dict[str, list[Update]] = {}
        for u in updates:
            lanes.setdefault(_chat_of(u), []).append(u)
        again: list[int] = []

        async def lane(chat_updates: list[Update]) -> None:
            for u in chat_updates:
                try:
                    await self.process(u)
                except Exception as e:  # noqa: BLE001 - counted; given up into failed_updates at the 5th
                    if not await self.gateway.failed(str(u.update_id), u.to_dict(), e):
                        again.append(u.update_id)
                        return

        await asyncio.gather(*(lane(us) for us in lanes.values()))
        return min(again) if again else updates[-1].update_id + 1

    async def process(self, update: Update) -> None:
        """Runs one Update through the Application; raises if it could not be processed."""
        await self.app.process_update(update)
        failure = self._failures.pop(update.update_id, None)
        if failure is not None:
            raise failure

    def parse(self, data: Any) -> Update:
        """The Update in a webhook body; BadUpdate for JSON that is not one (`null`, `[]`, `{}`, wrong types)."""
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            raise BadUpdate("not a Telegram update")
        try:
            return Update.de_json(data, self.app.bot)
        except Exception as e:  # noqa: BLE001 - any shape PTB cannot read (e.g. "message": 5, deep nesting)
            raise BadUpdate(f"malformed Telegram update: {type(e).__name__}") from None

    async def process_json(self, data: Any) -> None:
        await self.process(self.parse(data))

    def secret_ok(self, header_value: str | None) -> bool:
        return hmac.compare_digest((header_value or "").encode(), self.webhook_secret.encode())

    # --- one update --------------------------------------------------------------------------------
    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self._handle(update)
        except Exception as e:  # noqa: BLE001 - PTB would swallow it; `process` re-raises it
            self._failures[update.update_id] = e

    async def _handle(self, update: Update) -> None:
        uid = str(update.update_id)
        if update.callback_query is not None:
            await self.gateway.handle(await self._button(update.callback_query, uid))
            return
        msg = update.message
        if msg is None:
            m = update.edited_message
            if m is not None and m.from_user is not None:
                await self.gateway.answer(Incoming(CHANNEL, str(m.chat.id), str(m.from_user.id), update_id=uid),
                                          EDITED)
            return  # membership changes, channel posts ...: nothing to answer
        if msg.from_user is None:
            return
        inc = Incoming(channel=CHANNEL, chat_id=str(msg.chat.id), user_id=str(msg.from_user.id),
                       display_name=msg.from_user.full_name, update_id=uid)
        if msg.text is not None:
            inc.text = msg.text
        elif msg.document is not None:
            refusal = await self._receive_document(msg, inc)
            if refusal:
                await self.gateway.answer(inc, refusal)
                return
        else:
            inc.kind = (STICKER if msg.sticker else VOICE if (msg.voice or msg.audio or msg.video_note)
                        else IMAGE if msg.photo else UNSUPPORTED)
        await self.gateway.handle(inc)

    async def _button(self, q: CallbackQuery, uid: str) -> Incoming:
        label = ""
        if isinstance(q.message, Message) and q.message.reply_markup:  # not an InaccessibleMessage
            label = next((b.text for row in q.message.reply_markup.inline_keyboard for b in row
                          if b.callback_data == q.data), "")
        try:  # stop the button's spinner and retire the keyboard, so a confirmation is pressed once
            await q.answer()
            if label:
                await q.edit_message_reply_markup(None)
        except TelegramError as e:
            log.info("telegram callback housekeeping failed: %s", e)
        chat_id = str(q.message.chat.id) if q.message is not None else str(q.from_user.id)
        return Incoming(channel=CHANNEL, chat_id=chat_id, user_id=str(q.from_user.id), kind=BUTTON,
                        payload=q.data or "", text=label, display_name=q.from_user.full_name, update_id=uid)

    async def _receive_document(self, msg, inc: Incoming) -> str | None:
        """Downloads an acceptable document from a unit's admin (library texts) or reporter (a report to read);
        returns a refusal text otherwise. Strangers' files are never downloaded: the flows answer them. The file
        is read in a worker and deleted once the update is done."""
        doc = msg.document
        refusal = uploads.check_announced(doc.file_name or "", doc.file_size)
        if refusal:
            return refusal
        inc.kind, inc.text = FILE, msg.caption or ""
        inc.file = IncomingFile(name=doc.file_name or "tep", size=doc.file_size or 0, mime=doc.mime_type or "")
        if not await asyncio.to_thread(self._may_send_files, inc.user_id):
            return None
        folder = self.settings.uploads_dir / CHANNEL
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{inc.update_id}-{uploads.safe_name(doc.file_name)}"
        tg_file = await doc.get_file()
        refusal = (uploads.check_announced(doc.file_name or "", tg_file.file_size)
                   or await uploads.download(str(tg_file.file_path), path) or uploads.check_downloaded(path))
        if refusal:
            path.unlink(missing_ok=True)
            return refusal
        inc.file.path, inc.file.size = path, path.stat().st_size
        return None

    def _may_send_files(self, user_id: str) -> bool:
        with self.gateway.db.session() as s:
            officer = people.officer_by_identity(s, CHANNEL, user_id)
            return officer is not None and any(m.role in ("admin", "reporter")
                                               for m in people.active_memberships(s, officer.id))
