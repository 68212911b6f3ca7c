"""The Zalo channel, over the Zalo Bot API (Telegram-like; see the project's zalo-bot-api reference).

Calls are POST {ZALO_BASE_URL}/bot<TOKEN>/<method> with JSON and answer {"ok", "result", "error_code",
"description"}. Updates come by long polling (getUpdates; HTTP 408 = nothing new) or by webhook (secret in
X-Bot-Api-Secret-Token). The API cannot send files and has no buttons: documents and charts go out as
signed, expiring links served by this app, and buttons are listed in the text and answered by letter.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from pathlib import Path
from typing import Any

import httpx

from bot.channels import links
from bot.channels.gateway import BadUpdate, Gateway
from bot.channels.outbox import SendError
from bot.messages import IMAGE, STICKER, TEXT, UNSUPPORTED, VOICE, Incoming
from common.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "zalo"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
_KINDS = {"message.text.received": TEXT, "message.image.received": IMAGE,
          "message.sticker.received": STICKER, "message.voice.received": VOICE}
NO_PUBLIC_URL = ("Tệp {name} đã sẵn sàng nhưng hệ thống chưa cấu hình địa chỉ tải về (PUBLIC_BASE_URL), nên "
                 "chưa gửi được qua Zalo. Anh/chị vui lòng nhận tệp qua Telegram hoặc báo quản trị viên.")


class ZaloError(Exception):
    def __init__(self, description: str, status: int = 0, error_code: int | None = None,
                 retryable: bool = False, retry_after: float | None = None):
        super().__init__(description)
        self.status, self.error_code, self.retryable, self.retry_after = status, error_code, retryable, retry_after


class ZaloApi:
    """A thin client; the httpx client is injected so tests and servers share one connection pool."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, token: str):
        self.client, self._url = client, f"{base_url.rstrip('/')}/bot{token}"

    async def call(self, method: str, http_timeout: float = 30.0, **params: Any) -> Any:
        """The `result` of a call; None for an empty long poll. Raises ZaloError (never showing the URL,
        which holds the token)."""
        try:
            r = await self.client.post(f"{self._url}/{method}", json=params, timeout=http_timeout)
        except httpx.HTTPError as e:
            raise ZaloError(f"{method}: {type(e).__name__}", retryable=True) from None
        if r.status_code == 408 and method == "getUpdates":
            return None
        try:
            body = r.json()
        except ValueError:
            body = {}
        if r.status_code == 200 and body.get("ok"):
            return body.get("result")
        code = body.get("error_code") or r.status_code
        retry_after = (body.get("parameters") or {}).get("retry_after")
        retryable = r.status_code == 429 or r.status_code >= 500 or code == 429 or (
            isinstance(code, int) and code >= 500)
        raise ZaloError(f"{method}: {code} {body.get('description') or r.reason_phrase}", r.status_code, code,
                        retryable, float(retry_after) if retry_after else None)


def to_incoming(update: dict) -> Incoming | None:
    """An Incoming for a user's message event; None for what nobody should answer (bots, other events).
    Raises BadUpdate for a message event of the wrong shape."""
    _check_shape(update)
    msg = update.get("message")
    if msg is None or msg["from"].get("is_bot"):
        return None
    sender = msg["from"]
    kind = _KINDS.get(update["event_name"], UNSUPPORTED)
    chat_id = str((msg.get("chat") or {}).get("id") or sender["id"])
    return Incoming(channel=CHANNEL, chat_id=chat_id, user_id=str(sender["id"]),
                    text=str(msg.get("text") or "") if kind == TEXT else "", kind=kind,
                    display_name=str(sender.get("display_name") or ""), update_id=update_key(update))


def update_key(update: dict) -> str:
    """The update's id for de-duplication: the message id, else sender and time."""
    msg = update.get("message")
    msg = msg if isinstance(msg, dict) else {}
    sender = msg.get("from")
    sender = sender if isinstance(sender, dict) else {}
    return str(msg.get("message_id") or f"{sender.get('id', '')}:{msg.get('date', '')}")


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _check_shape(update: dict) -> None:
    if not isinstance(update, dict) or not isinstance(update.get("event_name"), str):
        raise BadUpdate("not a Zalo update")
    msg = update.get("message")
    if msg is None and not update["event_name"].startswith("message."):
        return
    if not isinstance(msg, dict):
        raise BadUpdate("a Zalo message event without a message")
    sender, chat = msg.get("from"), msg.get("chat")
    if not (isinstance(sender, dict) and _scalar(sender.get("id")) and sender["id"] != ""):
        raise BadUpdate("a Zalo message without a sender")
    if chat is not None and not (isinstance(chat, dict) and _scalar(chat.get("id", ""))):
        raise BadUpdate("a Zalo message with a malformed chat")
    if any(k in msg and not _scalar(msg[k]) for k in ("text", "message_id", "date")) or (
            "display_name" in sender and not isinstance(sender["display_name"], str)):
        raise BadUpdate("a Zalo message with malformed fields")


def updates_in(result: Any) -> list[dict]:
    """getUpdates and webhooks deliver one update object, a list of them, or an envelope around either."""
    if isinstance(result, dict) and "result" in result and "event_name" not in result:
        result = result["result"]
    if isinstance(result, dict):
        return [result]
    return list(result) if isinstance(result, list) else []


def webhook_updates(body: Any) -> list[dict]:
    """The updates of a webhook body; BadUpdate when it holds none or one of the wrong shape."""
    updates = updates_in(body)
    if not updates:
        raise BadUpdate("no Zalo update in the body")
    for u in updates:
        _check_shape(u)
    return updates


class ZaloSender:
    channel = CHANNEL

    def __init__(self, api: ZaloApi, settings: Settings):
        self.api, self.settings = api, settings

    async def send(self, chat_id: str, part: dict) -> None:
        try:
            if part["kind"] == "text":
                await self.api.call("sendMessage", chat_id=chat_id, text=part["text"])
                return
            path = Path(part["path"])
            try:
                url = links.make_link(self.settings, path)
            except (links.LinkError, ValueError):
                log.warning("zalo: cannot link %s (PUBLIC_BASE_URL unset or file outside DATA_DIR)", path.name)
                await self.api.call("sendMessage", chat_id=chat_id, text=NO_PUBLIC_URL.format(name=path.name))
                return
            if part["kind"] == "photo":
                await self.api.call("sendPhoto", chat_id=chat_id, photo=url, caption="")
            else:
                hours = self.settings.download_link_ttl_hours
                await self.api.call("sendMessage", chat_id=chat_id,
                                    text=f"📎 {path.name}\nTải về: {url}\n(Liên kết có hiệu lực {hours} giờ.)")
        except ZaloError as e:
            raise SendError(str(e), permanent=not e.retryable, retry_after=e.retry_after) from e


class ZaloChannel:
    def __init__(self, settings: Settings, api: ZaloApi, gateway: Gateway):
        self.settings, self.api, self.gateway = settings, api, gateway
        self.webhook_secret = (settings.zalo_webhook_secret.get_secret_value()
                               if settings.zalo_webhook_secret else secrets.token_urlsafe(32))

    async def start(self) -> None:
        me = await self.api.call("getMe")
        if self.settings.zalo_webhook_url:
            await self.api.call("setWebhook", url=self.settings.zalo_webhook_url, secret_token=self.webhook_secret)
        else:
            try:
                await self.api.call("deleteWebhook")  # polling and a webhook are exclusive
            except ZaloError as e:
                log.info("zalo deleteWebhook: %s", e)
        log.info("zalo bot %s ready (%s)", (me or {}).get("account_name") or (me or {}).get("display_name", ""),
                 "webhook" if self.settings.zalo_webhook_url else "polling")

    async def poll(self, timeout: int = 30, error_delay: float = 1.0) -> None:
        delay = error_delay
        while True:
            try:
                result = await self.api.call("getUpdates", http_timeout=timeout + 10, timeout=timeout)
            except ZaloError as e:
                wait = e.retry_after or delay
                log.warning("zalo getUpdates failed, retry in %.0fs: %s", wait, e)
                await asyncio.sleep(wait)
                delay = min(delay * 2, 60.0)
                continue
            delay = error_delay
            for update in updates_in(result):
                await self._process_patiently(update, error_delay)

    async def _process_patiently(self, update: Any, delay: float) -> None:
        """A polled Zalo update cannot be fetched again: a failure (database down) is retried here, and after the
        5th the update is kept in failed_updates; until that record is written, polling waits."""
        attempt = 0
        while True:
            try:
                await self.process(update)
                return
            except Exception as e:  # noqa: BLE001 - counted; given up into failed_updates at the 5th
                payload = update if isinstance(update, dict) else {"update": update}
                if await self.gateway.failed(update_key(payload), payload, e, final=isinstance(e, BadUpdate)):
                    return
            await asyncio.sleep(min(delay * 2 ** attempt, 60.0))
            attempt += 1

    async def process(self, update: dict) -> None:
        inc = to_incoming(update)
        if inc is None:
            return
        try:  # "typing..." while the engine works; cosmetic, so never fatal
            await self.api.call("sendChatAction", http_timeout=5.0, chat_id=inc.chat_id, action="typing")
        except ZaloError as e:
            log.info("zalo sendChatAction: %s", e)
        await self.gateway.handle(inc)

    def secret_ok(self, header_value: str | None) -> bool:
        return hmac.compare_digest((header_value or "").encode(), self.webhook_secret.encode())
