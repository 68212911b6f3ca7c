"""`baocao run` with tokens: Telegram and/or Zalo, by long polling or webhook, plus the app's own ASGI server
(starlette + uvicorn) for the webhooks and the signed download links (/dl/...).

Every channel has an outbox worker that sends what is due and retries what failed, also after a restart, and a
worker that processes the updates its gateway held back (a sender's pace). Webhook bodies are capped at MAX_BODY
before they are read; JSON that is not an update gets 400; an update failing 5 times is kept in failed_updates.
"""
from __future__ import annotations

import asyncio
import json
import logging
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import urlparse

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import reminders
from bot.channels import links, telegram, zalo
from bot.channels.gateway import BadUpdate, Gateway
from bot.channels.outbox import Outbox
from bot.engine import Engine
from common.settings import Settings
from db.session import Database

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # a webhook update is a few KB; a larger body is refused before it is read


def webhook_path(url: str, default: str) -> str:
    return urlparse(url).path or default if url else default


async def read_json(request: Request, limit: int = MAX_BODY) -> Any:
    """The JSON body, read only up to `limit` bytes. Raises BodyError(413) past it, BodyError(400) for bytes
    that are not JSON (deep nesting included)."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > limit):
        raise BodyError(413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyError(413)
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise BodyError(400) from None


class BodyError(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def make_asgi_app(settings: Settings, tg: telegram.TelegramChannel | None = None,
                  zl: zalo.ZaloChannel | None = None) -> Starlette:
    async def download(request: Request) -> Response:
        p = request.path_params
        try:
            path = links.resolve_link(settings, p["expires"], p["sig"], p["path"])
        except links.LinkError as e:
            text = "Liên kết đã hết hạn." if e.status == 410 else "Liên kết không hợp lệ."
            return PlainTextResponse(text, status_code=e.status)
        return FileResponse(path, filename=path.name, headers={"Cache-Control": "no-store"})

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [Route("/healthz", health), Route("/dl/{expires}/{sig}/{path:path}", download)]

    if tg is not None:
        async def telegram_webhook(request: Request) -> Response:
            if not tg.secret_ok(request.headers.get(telegram.SECRET_HEADER)):
                return Response(status_code=403)
            try:
                data = await read_json(request)
                update = tg.parse(data)
            except BodyError as e:
                return Response(status_code=e.status)
            except BadUpdate:
                return Response(status_code=400)
            try:
                await tg.process(update)
            except Exception as e:  # noqa: BLE001 - counted: 500 makes Telegram retry, until given up
                if not await tg.gateway.failed(str(update.update_id), data, e):
                    return Response(status_code=500)
            return Response(status_code=200)

        routes.append(Route(webhook_path(settings.telegram_webhook_url, "/telegram/webhook"), telegram_webhook,
                            methods=["POST"]))

    if zl is not None:
        async def zalo_webhook(request: Request) -> Response:
            if not zl.secret_ok(request.headers.get(zalo.SECRET_HEADER)):
                return Response(status_code=403)
            try:
                updates = zalo.webhook_updates(await read_json(request))
            except BodyError as e:
                return Response(status_code=e.status)
            except BadUpdate:
                return Response(status_code=400)
            for update in updates:
                try:
                    await zl.process(update)
                except Exception as e:  # noqa: BLE001 - counted: 500 makes Zalo retry, until given up
                    if not await zl.gateway.failed(zalo.update_key(update), update, e):
                        return Response(status_code=500)
            return Response(status_code=200)

        routes.append(Route(webhook_path(settings.zalo_webhook_url, "/zalo/webhook"), zalo_webhook,
                            methods=["POST"]))
    return Starlette(routes=routes)


def serve_channels(settings: Settings, db: Database, engine: Engine) -> None:
    try:
        asyncio.run(run_channels(settings, db, engine))
    except KeyboardInterrupt:
        log.info("stopped")


async def run_channels(settings: Settings, db: Database, engine: Engine) -> None:
    tasks: list[asyncio.Task] = []
    outboxes: dict[str, Outbox] = {}  # channel -> its outbox, for the reminder loop
    async with AsyncExitStack() as stack:
        tg = zl = None
        if settings.telegram_bot_token:
            app = telegram.build_application(settings)
            outbox = outboxes["telegram"] = Outbox(db, telegram.TelegramSender(app))
            tg = telegram.TelegramChannel(settings, app, Gateway(engine, outbox))
            await tg.start()
            stack.push_async_callback(tg.stop)
            tasks.append(asyncio.create_task(outbox.run(), name="telegram-outbox"))
            tasks.append(asyncio.create_task(tg.gateway.run(), name="telegram-held"))
            if not settings.telegram_webhook_url:
                tasks.append(asyncio.create_task(tg.poll(), name="telegram-polling"))
        if settings.zalo_bot_token:
            client = await stack.enter_async_context(httpx.AsyncClient())
            api = zalo.ZaloApi(client, settings.zalo_base_url, settings.zalo_bot_token.get_secret_value())
            outbox = outboxes["zalo"] = Outbox(db, zalo.ZaloSender(api, settings))
            zl = zalo.ZaloChannel(settings, api, Gateway(engine, outbox))
            await zl.start()
            tasks.append(asyncio.create_task(outbox.run(), name="zalo-outbox"))
            tasks.append(asyncio.create_task(zl.gateway.run(), name="zalo-held"))
            if not settings.zalo_webhook_url:
                tasks.append(asyncio.create_task(zl.poll(), name="zalo-polling"))
        if outboxes:
            tasks.append(asyncio.create_task(reminders.run(db, outboxes, settings.timezone), name="reminders"))
        if settings.telegram_webhook_url or settings.zalo_webhook_url or settings.public_base_url:
            config = uvicorn.Config(make_asgi_app(settings, tg if settings.telegram_webhook_url else None,
                                                  zl if settings.zalo_webhook_url else None),
                                    host=settings.webhook_host, port=settings.webhook_port, access_log=False,
                                    log_level="warning")
            tasks.append(asyncio.create_task(uvicorn.Server(config).serve(), name="http"))
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for t in done:
                t.result()  # a crashed worker stops the bot loudly instead of running half-deaf
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
