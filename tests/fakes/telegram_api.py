"""A fake Telegram Bot API: records every call, serves queued updates to getUpdates, serves files, and can
be told to fail the next calls of a method (429 with retry_after, 5xx, 403 ...).

Requests are what python-telegram-bot really sends: form fields (JSON-encoded values) or multipart uploads.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as email_policy
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

BOT_USER = {"id": 424242, "is_bot": True, "first_name": "Trợ lý báo cáo", "username": "baocao_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict
    files: dict = field(default_factory=dict)  # field name -> (filename, bytes)
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]


class FakeTelegram:
    def __init__(self, token: str):
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict] = []
        self.files: dict[str, bytes] = {}  # file_path -> content
        self.endless: set[str] = set()  # file_paths served as an endless stream of bytes, with no size told
        self.bytes_served = 0  # of endless files, as far as the client read them
        self.confirmed_offset = 0
        self._failures: dict[str, list[tuple[int, dict]]] = {}
        self._ids = itertools.count(1000)
        self._lock = threading.Lock()
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self._api, methods=["POST", "GET"]),
                                     Route("/file/bot{token}/{path:path}", self._file)])

    # --- test controls -----------------------------------------------------------------------------
    def fail(self, method: str, status: int, description: str = "", retry_after: int | None = None,
             times: int = 1) -> None:
        body = {"ok": False, "error_code": status, "description": description or f"error {status}"}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        with self._lock:
            self._failures.setdefault(method, []).extend([(status, body)] * times)

    def push_update(self, update: dict) -> None:
        with self._lock:
            self.updates.append(update)

    def sent(self, *methods: str) -> list[Call]:
        wanted = methods or ("sendMessage", "sendDocument", "sendPhoto")
        with self._lock:
            return [c for c in self.calls if c.method in wanted]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # --- the API -----------------------------------------------------------------------------------
    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params, files = await _read_params(request)
        with self._lock:
            self.calls.append(Call(method, params, files))
            queued = self._failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure is not None:
            return JSONResponse(failure[1], failure[0])
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params)})
        return JSONResponse({"ok": True, "result": self._result(method, params, files)})

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.3)
        while True:
            with self._lock:
                if offset:
                    self.confirmed_offset = max(self.confirmed_offset, offset)
                    self.updates = [u for u in self.updates if u["update_id"] >= offset]
                pending = list(self.updates)
            if pending or time.monotonic() >= deadline:
                return pending
            await asyncio.sleep(0.02)

    def _result(self, method: str, params: dict, files: dict):
        if method == "getMe":
            return BOT_USER
        if method == "getFile":
            path = params["file_id"]
            result = {"file_id": path, "file_unique_id": path, "file_path": path}
            if path not in self.endless:
                result["file_size"] = len(self.files.get(path, b""))
            return result
        if method in ("sendMessage", "sendDocument", "sendPhoto", "editMessageReplyMarkup"):
            msg = {"message_id": next(self._ids), "date": int(time.time()),
                   "chat": {"id": int(params["chat_id"]), "type": "private"}, "from": BOT_USER}
            if method == "sendMessage":
                msg["text"] = params["text"]
            elif method == "sendDocument":
                name = files["document"][0] if "document" in files else "file"
                msg["document"] = {"file_id": f"doc{msg['message_id']}", "file_unique_id": "d", "file_name": name}
            elif method == "sendPhoto":
                msg["photo"] = [{"file_id": f"ph{msg['message_id']}", "file_unique_id": "p", "width": 1,
                                 "height": 1}]
            if params.get("reply_markup"):
                msg["reply_markup"] = params["reply_markup"]
            return msg
        return True

    async def _file(self, request: Request) -> Response:
        if request.path_params["path"] in self.endless:
            return StreamingResponse(self._endless())
        content = self.files.get(request.path_params["path"])
        return Response(content, 200) if content is not None else Response(status_code=404)


    async def _endless(self):
        chunk = b"%PDF-1.4 " + b"0" * (64 * 1024 - 9)
        for _ in range(10_000):  # 640 MB at most
            self.bytes_served += len(chunk)
            yield chunk
            await asyncio.sleep(0)


async def _read_params(request: Request) -> tuple[dict, dict]:
    body = await request.body()
    ctype = request.headers.get("content-type", "")
    raw: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if ctype.startswith("multipart/"):
        msg = BytesParser(policy=email_policy).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + body)
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename():
                files[name] = (part.get_filename(), data)
            else:
                raw[name] = data.decode()
    elif ctype.startswith("application/json"):
        return json.loads(body or b"{}"), files
    else:
        raw = dict(parse_qsl(body.decode()))
    params = {}
    for k, v in raw.items():
        try:
            params[k] = json.loads(v) if k in ("reply_markup", "commands", "allowed_updates") else v
        except ValueError:
            params[k] = v
    for name, (fname, _) in files.items():  # PTB names uploads by attach:// references
        for k, v in list(params.items()):
            if v == f"attach://{name}":
                files[k] = files[name]
                params[k] = fname
    return params, files


class UpdateFactory:
    """Real Telegram Update JSON, as the Bot API delivers it, for one user in their private chat."""

    _ids = itertools.count(50_000)

    def __init__(self, user_id: int, first_name: str, last_name: str = ""):
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
        if last_name:
            self.user["last_name"] = last_name
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}

    def _message(self, **content) -> dict:
        uid = next(self._ids)
        return {"update_id": uid, "message": {"message_id": uid, "date": int(time.time()), "chat": self.chat,
                                              "from": self.user, **content}}

    def text(self, text: str) -> dict:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}]
        return self._message(text=text, entities=entities)

    def sticker(self) -> dict:
        return self._message(sticker={"file_id": "st1", "file_unique_id": "st1", "type": "regular", "width": 512,
                                      "height": 512, "is_animated": False, "is_video": False})

    def voice(self) -> dict:
        return self._message(voice={"file_id": "vo1", "file_unique_id": "vo1", "duration": 3})

    def document(self, file_id: str, file_name: str, size: int | None, mime: str, caption: str = "") -> dict:
        extra = {"caption": caption} if caption else {}
        doc = {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name, "mime_type": mime}
        if size is not None:  # Telegram may leave the size out
            doc["file_size"] = size
        return self._message(document=doc, **extra)

    def press(self, call: Call, label: str) -> dict:
        """Pressing the button `label` of a message the bot sent (as recorded by the fake)."""
        data = dict(call.buttons)[label]
        uid = next(self._ids)
        message = {"message_id": uid, "date": int(time.time()), "chat": self.chat, "from": BOT_USER,
                   "text": call.params.get("text", ""), "reply_markup": call.params["reply_markup"]}
        return {"update_id": uid, "callback_query": {"id": str(uid), "from": self.user, "chat_instance": "ci",
                                                     "message": message, "data": data}}

    def edited(self, text: str) -> dict:
        u = self.text(text)
        u["edited_message"] = u.pop("message")
        u["edited_message"]["edit_date"] = int(time.time())
        return u
