"""A fuzz corpus through the real Telegram webhook, Application, gateway and engine: 2,000+ updates from a
reporter, an approver, an admin and a stranger — crafted button payloads for every flow, every command with junk
arguments, odd Unicode, malformed numbers and periods, edited messages, stickers, files — plus bodies that are
not updates. Expected: 0 tracebacks, 0 apologies ("hệ thống gặp lỗi"), no 5xx, nothing given up.

The corpus is generated from a fixed seed and from the router's own tables, so new commands and buttons are
fuzzed without editing this file.
"""
from __future__ import annotations

import json
import logging
import random

import httpx
import pytest
from sqlalchemy import func, select

from bot.channels.ratelimit import RateLimiter
from bot.channels.serve import make_asgi_app
from bot.engine import router
from common.settings import Settings
from db.models import FailedUpdate
from tests.fakes.harness import TG_TOKEN, TelegramStack, invite_code
from tests.fakes.server import ServerThread
from tests.fakes.telegram_api import FakeTelegram, UpdateFactory

pytestmark = pytest.mark.slow

SEED = 13
UPDATES = 2_000
UNIT = "demo-hoa-an"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
APOLOGY = "hệ thống gặp lỗi"

WORDS = ["cấp", "CCCD", "mới", "đổi", "lại", "cấp mới", "định danh", "kích hoạt", "tài khoản", "tuyên truyền",
         "lượt", "hồ sơ", "tuần này", "tuần trước", "tháng 10", "tháng này", "quý 3", "năm 2026", "sửa", "thành",
         "thêm vào kiến nghị:", "chỉ thị 04", "quyết định 06", "là gì?", "yêu cầu gì", "không", "đúng", "sai",
         "giữ nguyên", "vì", "A", "B", "c", "đã", "trên cổng DVC", "dịch vụ công", "đạt", "tỷ lệ", "số hiệu:",
         "ngày:", "cơ quan:", "loại:", "trích yếu:", "báo cáo", "duyệt", "trình", "/", ":", "-", "+", "=", "%"]
NUMBERS = ["60", "1.389", "58,8%", "04/04", "1,2 nghìn", "0", "-5", "007", "12/10/2026", "100%", "3/4", "2.291",
           "1e20", "3 tỷ", "1_000", "10^100", "1..2", "3\u200b5", ".33", "33/0", "99999999999", "١٢٣", "５", "½",
           "NaN", "inf", "9" * 40]
ODD = ["\u200b", "\u202e", "\u200d", "\x00", "\x07", "\ufeff", "🙂", "👍🏽", "e\u0301", "ﷺ", "  ", "\n", "\t",
       "<b>x</b>", "' OR 1=1 --", "${jndi:ldap://x}", "%s%n", "../../etc/passwd", "{{7*7}}", "\\", "\"", "`"]
PERIODS = ["tháng 10/9999", "tháng 02/0001", "tuần 53", "quý 5", "tháng 13", "năm 0", "tháng 10/2026",
           "tuần trước", "tháng -1", "ngày 31/02/2026"]
SUFFIXES = ["", "1", "0", "abc", "-1", "999999999999999999", "ok:1", "1:2:3", "😀", "x" * 40, ":", "::", "ok:",
            "cancel:1", "%00", "None", "1.5"]


def _text(rnd: random.Random) -> str:
    pools = [WORDS] * 4 + [NUMBERS] * 3 + [ODD]
    parts = [rnd.choice(rnd.choice(pools)) for _ in range(rnd.randint(1, 9))]
    return rnd.choice([" ", ", ", "\n", "", " ; "]).join(parts)


def _command(rnd: random.Random) -> str:
    name = rnd.choice(sorted(router.commands) + ["xyz", "baocao@other_bot", "BAOCAO", "báocáo", ""])
    arg = rnd.choice([_text(rnd), rnd.choice(PERIODS), rnd.choice(SUFFIXES), "", "A" * 300])
    return f"/{name} {arg}".rstrip()


def _payload(rnd: random.Random) -> str:
    prefix = rnd.choice(sorted(router.buttons) + ["", "unknown:", "intake", "qa_upload"])
    payload = prefix + rnd.choice(SUFFIXES)
    while len(payload.encode()) > 64:  # Telegram's callback_data limit
        payload = payload[:-1]
    return payload


def corpus(rnd: random.Random, users: dict[str, UpdateFactory]) -> list[bytes]:
    bodies = []
    for i in range(UPDATES):
        who = users[rnd.choice(list(users))]
        kind = rnd.random()
        if kind < 0.40:
            update = who.text(_text(rnd) or "x")
        elif kind < 0.60:
            update = who.text(_command(rnd))
        elif kind < 0.85:
            update = _press(who, _payload(rnd))
        elif kind < 0.90:
            update = who.edited(_text(rnd) or "x")
        elif kind < 0.93:
            update = rnd.choice([who.sticker, who.voice])()
        elif kind < 0.96:
            name = rnd.choice(["bao-cao.docx", "a.exe", "..docx", "x.pdf", "x" * 300 + ".pdf", "noext", "ẩn.PDF"])
            update = who.document(f"fz{i}", name, rnd.choice([None, 10, 11 * 1024 * 1024]), "application/pdf")
        else:
            update = who.text("x" * rnd.choice([4_001, 4_096, 10_000]))
        bodies.append(json.dumps(update).encode())
    return bodies


def _press(who: UpdateFactory, payload: str) -> dict:
    update = who.text("")
    message = update.pop("message")
    message.update(text="Vui lòng chọn:", reply_markup={"inline_keyboard": [[{"text": "Nút", "callback_data": payload}]]})
    update["callback_query"] = {"id": str(update["update_id"]), "from": who.user, "chat_instance": "ci",
                                "message": message, "data": payload}
    return update


NOT_UPDATES = [b"null", b"[]", b"{}", b"5", b'"x"', b"[{}]", b"[" * 5000 + b"]" * 5000, b"not json", b"",
               b'{"update_id": 1, "message": 5}', b'{"update_id": "1"}', b'{"update_id": 1, "message": {"chat": 5}}',
               b'{"update_id": 1, "callback_query": []}', b'{"update_id": 1, "edited_message": "x"}']


@pytest.fixture
async def client(data_dir, demo_app, library_vectors):
    import shutil

    shutil.copyfile(library_vectors, data_dir / "vector_cache.sqlite3")  # questions embed only the question
    fake = FakeTelegram(TG_TOKEN)
    with ServerThread(fake.app) as srv:
        settings = Settings(_env_file=None, data_dir=data_dir, telegram_bot_token=TG_TOKEN,
                            telegram_base_url=srv.url, telegram_webhook_url="https://bot.example.vn/tg/hook",
                            telegram_webhook_secret="s3cret-hook")
        async with TelegramStack(settings, *demo_app, limiter=RateLimiter(burst=10**6)) as stack:
            asgi = make_asgi_app(settings, tg=stack.channel)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url="http://app") as c:
                yield c, fake, demo_app[0]


async def test_fuzz_corpus_causes_no_traceback(client, caplog):
    c, fake, db = client
    rnd = random.Random(SEED)
    users = {role: UpdateFactory(7700 + i, f"Cán bộ {role}") for i, role in enumerate(("reporter", "approver",
                                                                                        "admin"))}
    for role, u in users.items():
        assert (await c.post("/tg/hook", json=u.text(f"/start {invite_code(db, UNIT, role)}"),
                             headers=HEADERS)).status_code == 200
    users["stranger"] = UpdateFactory(7799, "Người lạ")
    for i in range(UPDATES):
        fake.files[f"fz{i}"] = rnd.randbytes(rnd.randint(0, 2000))
    statuses: dict[int, int] = {}
    bodies = corpus(rnd, users) + NOT_UPDATES
    for body in bodies:
        r = await c.post("/tg/hook", content=body, headers=HEADERS)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
    tracebacks = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    apologies = [c.params["text"] for c in fake.sent("sendMessage") if APOLOGY in c.params["text"]]
    with db.session() as s:
        given_up = s.scalar(select(func.count()).select_from(FailedUpdate))
    assert len(bodies) >= 2_000
    assert statuses == {200: UPDATES, 400: len(NOT_UPDATES)}, statuses
    assert not tracebacks, [r.getMessage() for r in tracebacks[:5]]
    assert not apologies and given_up == 0


ISSUE_CASES = ["cấp CCCD " + "9" * 320, "cấp mới CCCD " + "1" * 309, "cấp mới 1e20", "cấp mới 3 tỷ", "cấp mới 1_000",
               "cấp mới 10^100", "cấp mới 1..2", "cấp mới 3\u200b5", "cấp mới .33", "cấp mới 33/0",
               "/baocao tháng 10/9999", "/baocao tháng 02/0001"]


async def test_issue_13_number_and_period_cases_cause_no_traceback(client, caplog):
    c, fake, db = client
    u = UpdateFactory(7790, "Cán bộ số liệu")
    assert (await c.post("/tg/hook", json=u.text(f"/start {invite_code(db, UNIT, 'reporter')}"),
                         headers=HEADERS)).status_code == 200
    for text in ["/baocao", *ISSUE_CASES]:
        assert (await c.post("/tg/hook", json=u.text(text), headers=HEADERS)).status_code == 200
    tracebacks = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    apologies = [c.params["text"] for c in fake.sent("sendMessage") if APOLOGY in c.params["text"]]
    assert not tracebacks and not apologies
