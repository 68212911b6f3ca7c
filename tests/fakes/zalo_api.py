"""A fake Zalo Bot API: POST /bot<TOKEN>/<method> with JSON, {"ok", "result"} envelopes, getUpdates long
polling that answers 408 when nothing is queued, and injectable failures (429, 5xx, ok=false)."""
from __future__ import annotations

import asyncio
import itertools
import threading
import time
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class ZCall:
    method: str
    params: dict
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))


class FakeZalo:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[ZCall] = []
        self.updates: list[dict] = []
        self.empty_polls = 0
        self._failures: dict[str, list[tuple[int, dict]]] = {}
        self._lock = threading.Lock()
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self._api, methods=["POST"])])

    def fail(self, method: str, status: int, ok_false: bool = False, times: int = 1) -> None:
        """`ok_false`: HTTP 200 with {"ok": false} - the envelope, not the status, says it failed."""
        body = {"ok": False, "error_code": status, "description": f"error {status}"}
        with self._lock:
            self._failures.setdefault(method, []).extend([(200 if ok_false else status, body)] * times)

    def push_update(self, update: dict) -> None:
        with self._lock:
            self.updates.append(update)

    def sent(self, *methods: str) -> list[ZCall]:
        wanted = methods or ("sendMessage", "sendPhoto")
        with self._lock:
            return [c for c in self.calls if c.method in wanted]

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params = await request.json() if await request.body() else {}
        with self._lock:
            self.calls.append(ZCall(method, params))
            queued = self._failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure is not None:
            return JSONResponse(failure[1], failure[0])
        if method == "getUpdates":
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.3)
            while time.monotonic() < deadline:
                with self._lock:
                    if self.updates:
                        return JSONResponse({"ok": True, "result": self.updates.pop(0)})
                await asyncio.sleep(0.02)
            with self._lock:
                self.empty_polls += 1
            return JSONResponse({"ok": False, "error_code": 408, "description": "Request timeout"}, 408)
        if method == "getMe":
            return JSONResponse({"ok": True, "result": {"id": "bot1", "account_name": "bot.baocao",
                                                        "account_type": "BASIC", "can_join_groups": False}})
        if method in ("sendMessage", "sendPhoto"):
            return JSONResponse({"ok": True, "result": {"message_id": f"m{time.monotonic_ns()}",
                                                        "date": int(time.time() * 1000)}})
        return JSONResponse({"ok": True, "result": True})


class ZaloUser:
    """Real Zalo Bot API update JSON for one user."""

    _ids = itertools.count(1)

    def __init__(self, user_id: str, name: str):
        self.user_id, self.name = user_id, name

    def event(self, event_name: str, **content) -> dict:
        return {"event_name": event_name, "message": {
            "from": {"id": self.user_id, "display_name": self.name, "is_bot": False},
            "chat": {"id": self.user_id, "chat_type": "PRIVATE"},
            "message_id": f"zm{next(self._ids):06d}", "date": int(time.time() * 1000), **content}}

    def text(self, text: str) -> dict:
        return self.event("message.text.received", text=text)

    def sticker(self) -> dict:
        return self.event("message.sticker.received", sticker="abc", url="https://zalo.example/st.png")

    def voice(self) -> dict:
        return self.event("message.voice.received", url="https://zalo.example/v.aac")
