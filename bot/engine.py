"""The conversation engine: one entry point, `Engine.handle(incoming) -> list[Reply]`.

Each incoming update is one database transaction: the update id is claimed, the officer and the
chat's state are loaded, one handler runs, and state, figures and the claim commit together. A handler
is a plain function of a `Ctx`; flows register handlers on the module-level `router` (a table of
commands, button prefixes, states and free-text intents), so Telegram, Zalo and the console share it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.messages import BUTTON, FILE, IMAGE, STICKER, TEXT, VOICE, Button, Incoming, Reply, match_button
from bot.state import FlowState
from common import clock
from common.errors import NotAuthorized, OfficerError
from common.settings import Settings
from common.vnnum import fmt_int
from common.vntext import fold, nfc
from db.models import ConversationState, Membership, Officer, Unit
from db.repo import channel_state, people
from db.session import Database

if TYPE_CHECKING:
    from knowledge.catalogue import Catalogue

log = logging.getLogger(__name__)

MAX_TEXT = 40000  # about 10 pages: a pasted report fits (chat apps cut a message far earlier); more is refused

Handler = Callable[["Ctx"], "bool | None"]
S = TypeVar("S", bound=FlowState)


@dataclass
class Ctx:
    s: Session
    incoming: Incoming
    state: ConversationState
    officer: Officer | None
    settings: Settings
    replies: list[Reply] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.incoming.text

    def today(self) -> date:
        """Today in the service's timezone (Vietnam), from the project clock."""
        return clock.today(self.settings.timezone)

    def say(self, text: str, buttons: list[Button] | None = None, files=None, photos=None,
            to_chat: str | None = None, monospace: bool = False) -> None:
        self.replies.append(Reply(text, list(buttons or []), list(files or []), list(photos or []), to_chat,
                                  monospace))

    # --- who is speaking, for which unit ---------------------------------------------------------
    @property
    def me(self) -> Officer:
        """The officer speaking; every handler but the public commands runs with one."""
        if self.officer is None:
            raise NotAuthorized("Anh/chị chưa thuộc đơn vị nào. Vui lòng nhập mã mời: /start MÃ_MỜI")
        return self.officer

    _access: tuple[int, list[Membership]] | None = field(default=None, init=False, repr=False)  # read once

    def memberships(self) -> list[Membership]:
        if self.officer is None:
            return []
        if self._access is None or self._access[0] != self.officer.id:
            self._access = (self.officer.id, people.active_memberships(self.s, self.officer.id))
        return self._access[1]

    def forget_access(self) -> None:
        """After a grant or revocation in this update: read the memberships again."""
        self._access = None

    @property
    def unit(self) -> Unit | None:
        ms = self.memberships()
        if not ms:
            return None
        wanted = self.state.data.get("unit_id")
        for m in ms:
            if m.unit_id == wanted:
                return m.unit
        return ms[0].unit

    def roles(self) -> set[str]:
        u = self.unit
        return {m.role for m in self.memberships() if m.unit_id == u.id} if u else set()

    def catalogue(self, unit_id: int | None = None) -> Catalogue:
        """The indicator catalogue of `unit_id` (default: the chat's unit): the shared one plus the unit's own."""
        from figures.unit_catalogue import unit_catalogue

        if unit_id is None:
            unit = self.unit
            unit_id = unit.id if unit is not None else None
        return unit_catalogue(self.s, unit_id)

    def require_role(self, *roles: str) -> Unit:
        """The officer's unit, if they hold one of `roles` there; otherwise a polite refusal."""
        u = self.unit
        if u is None:
            raise OfficerError("Anh/chị chưa thuộc đơn vị nào. Vui lòng nhập mã mời: /start MÃ_MỜI")
        if not (self.roles() & set(roles)):
            raise OfficerError("Anh/chị không có quyền thực hiện thao tác này trong đơn vị.")
        return u

    # --- conversation state (bot/state.py) ------------------------------------------------------
    def _data(self) -> dict:
        return dict(self.state.data or {})

    def _write(self, data: dict) -> None:
        if data != (self.state.data or {}):  # reassign (the JSON column is then dirty) only on a real change
            self.state.data = data

    def flow_state(self, kind: type[S]) -> S | None:
        """The chat's state for flow `kind`, or None when the chat is in another flow (or none)."""
        if self.state.flow != kind.FLOW:
            return None
        return kind.load(self._data().get("flow"))

    def enter(self, st: FlowState, step: str) -> None:
        """Put the chat in `st`'s flow at `step` with `st`'s data (also to save changes to the current one)."""
        if step not in st.STEPS:
            raise ValueError(f"{st.FLOW} has no step {step!r}")
        self.state.flow, self.state.step = st.FLOW, step
        self._write({**self._data(), "flow": st.model_dump(mode="json")})

    def clear_flow(self) -> None:
        """Leave the current flow; the unit and report the chat works on are kept."""
        data = {k: v for k, v in self._data().items() if k not in ("flow", "resume")}
        self.state.flow, self.state.step = "", ""
        self._write(data)

    def interrupt(self, st: FlowState, step: str) -> None:
        """Enter `st` for a short detour (a correction, a reason) and keep the flow it interrupts to `resume`."""
        data = self._data()
        if self.state.flow != st.FLOW:
            self._write({**data, "resume": [self.state.flow, self.state.step, data.get("flow")]})
        self.enter(st, step)

    def resume(self) -> None:
        """Back to the flow `interrupt` kept (with its data), or to no flow."""
        data = self._data()
        flow, step, flow_data = data.pop("resume", None) or ["", "", None]
        data.pop("flow", None)
        if flow_data is not None:
            data["flow"] = flow_data
        self.state.flow, self.state.step = flow, step
        self._write(data)

    def remember(self, *, unit_id: int | None, report_id: int | None = None) -> None:
        """The unit (and report) this chat works on from now on."""
        self._write({**self._data(), "unit_id": unit_id, "report_id": report_id})

    @property
    def report_id(self) -> int | None:
        rid = self._data().get("report_id")
        return int(rid) if rid is not None else None

    def buttons_shown(self) -> list[Button]:
        return [Button(label, payload, tuple(words)) for label, payload, words in self._data().get("buttons", [])]

    def show_buttons(self, buttons: list[Button]) -> None:
        """Remember the buttons the chat now shows, so their words typed press them (any channel)."""
        self._write({**self._data(), "buttons": [[b.label, b.payload, list(b.words)] for b in buttons]})


@dataclass
class Router:
    commands: dict[str, Handler] = field(default_factory=dict)
    buttons: dict[str, Handler] = field(default_factory=dict)  # payload prefix -> handler
    states: dict[str, Handler] = field(default_factory=dict)  # flow name -> text handler
    intents: list[tuple[int, Handler]] = field(default_factory=list)  # (priority, handler), low first
    labelled: list[Handler] = field(default_factory=list)  # "văn bản yêu cầu: …": before the current flow
    files: list[Handler] = field(default_factory=list)
    public_commands: set[str] = field(default_factory=set)  # allowed before joining a unit
    about: dict[str, str] = field(default_factory=dict)  # command -> one line of Vietnamese help, in menu order

    def command(self, *names: str, about: str, public: bool = False):
        """Register a command under `names` (the first is shown in /help and the Telegram menu)."""
        def deco(fn: Handler) -> Handler:
            for n in names:
                self.commands[n] = fn
                if public:
                    self.public_commands.add(n)
            self.about[names[0]] = about
            return fn
        return deco

    def button(self, prefix: str):
        def deco(fn: Handler) -> Handler:
            self.buttons[prefix] = fn
            return fn
        return deco

    def state(self, flow: str):
        def deco(fn: Handler) -> Handler:
            self.states[flow] = fn
            return fn
        return deco

    def intent(self, priority: int):
        """Free-text handler; returns True when it handled the text, falsy to let the next one try."""
        def deco(fn: Handler) -> Handler:
            self.intents.append((priority, fn))
            self.intents.sort(key=lambda t: t[0])
            return fn
        return deco

    def label(self, fn: Handler) -> Handler:
        """A handler of text that says what it is ("văn bản yêu cầu: …", "sửa mục 3: …", a filled quick form, a
        pasted report): tried before the chat's current flow reads it as figures (except in a step where the
        officer types prose). Returns True when it handled the text."""
        self.labelled.append(fn)
        return fn

    def file(self, fn: Handler) -> Handler:
        self.files.append(fn)
        return fn


router = Router()


def parse_command(text: str) -> tuple[str, str] | None:
    """'/baocao tuần trước' -> ('baocao', 'tuần trước'); '/start@MyBot CODE' -> ('start', 'CODE')."""
    t = text.strip()
    if not t.startswith("/") or len(t) < 2:
        return None
    head, rest = (t[1:].split(None, 1) + [""])[:2]  # "/maubaocao\n<outline>" too
    name = fold(head.split("@", 1)[0])
    return (name, rest.strip()) if name.isalnum() else None


ATTEMPTS = 3  # an update whose transaction lost a race with another writer runs again, from scratch
_RACE_SQLSTATES = {"40001", "40P01", "23505"}  # serialization failure, deadlock, duplicate key (PostgreSQL)


def lost_a_race(e: DBAPIError) -> bool:
    """A concurrent writer got there first; the same update will succeed when run again."""
    if getattr(e.orig, "sqlstate", None) in _RACE_SQLSTATES:
        return True
    return "database is locked" in str(e.orig)  # SQLite, after its busy timeout


class Engine:
    def __init__(self, db: Database, settings: Settings):
        self.db = db
        self.settings = settings
        # Set by Telegram/Zalo: persists the replies in the update's own transaction (the outbox), so a
        # crash after the commit cannot lose an answer. None for the console, which prints directly.
        self.persist_replies: Callable[[Session, Incoming, list[Reply]], None] | None = None
        _load_flows()

    def handle(self, incoming: Incoming) -> list[Reply]:
        incoming.text = nfc(incoming.text or "")
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._handle_once(incoming)
            except DBAPIError as e:
                if attempt < ATTEMPTS and lost_a_race(e):
                    log.info("update on %s chat %s lost a race (%s); running it again", incoming.channel,
                             incoming.chat_id, type(e.orig).__name__)
                    continue
                log.exception("update failed on %s chat %s", incoming.channel, incoming.chat_id)
            except Exception:
                log.exception("update failed on %s chat %s", incoming.channel, incoming.chat_id)
            break
        return self._apologise(incoming)

    def _handle_once(self, incoming: Incoming) -> list[Reply]:
        with self.db.session() as s:
            ctx = self._claim(s, incoming)
            if ctx is None:
                return []  # redelivered: acknowledged, ignored
            try:
                self._dispatch(ctx)
            except OfficerError as e:
                # The handler's writes are undone with the whole transaction (cheaper than a savepoint around
                # every update, and errors are rare); the claim and the chat's state are then taken again.
                replies = [*ctx.replies, Reply(e.message_vi)]
                s.rollback()
                ctx = self._claim(s, incoming)
                if ctx is None:
                    return []  # a concurrent delivery of the same update claimed it meanwhile
                ctx.replies = replies
            _remember_buttons(ctx)
            if self.persist_replies is not None:
                self.persist_replies(s, incoming, ctx.replies)
            return ctx.replies

    def _claim(self, s: Session, incoming: Incoming) -> Ctx | None:
        """Claim the update and load who speaks and the chat's state; None when the update was processed."""
        if incoming.update_id is not None and not channel_state.claim_update(
                s, incoming.channel, str(incoming.update_id)):
            return None
        officer, memberships = people.officer_with_memberships(s, incoming.channel, incoming.user_id)
        ctx = Ctx(s, incoming, channel_state.load_state(s, incoming.channel, incoming.chat_id), officer,
                  self.settings)
        if officer is not None:
            ctx.state.officer_id = officer.id
            ctx._access = (officer.id, memberships)
        return ctx

    def _apologise(self, incoming: Incoming) -> list[Reply]:
        """Nothing of the update was kept; the officer is told, and the update is claimed so a redelivery does
        not fail the same way again."""
        sorry = [Reply("Xin lỗi, hệ thống gặp lỗi khi xử lý tin nhắn này. Số liệu đã lưu không bị ảnh hưởng; "
                       "anh/chị vui lòng gửi lại sau ít phút.")]
        with self.db.session() as s:
            if incoming.update_id is not None:
                channel_state.claim_update(s, incoming.channel, str(incoming.update_id))
            if self.persist_replies is not None:
                self.persist_replies(s, incoming, sorry)
        return sorry

    def _dispatch(self, ctx: Ctx) -> None:
        inc = ctx.incoming
        if inc.kind in (STICKER, VOICE, IMAGE):
            ctx.say("Tôi chỉ đọc được tin nhắn chữ và tệp DOCX/PDF. Anh/chị vui lòng gõ nội dung bằng chữ.")
            return
        if inc.kind not in (TEXT, BUTTON, FILE):
            ctx.say("Tôi chưa xử lý được loại tin nhắn này. Gõ /help để xem hướng dẫn.")
            return
        if len(inc.text) > MAX_TEXT:
            ctx.say(f"Tin nhắn quá dài (hơn {fmt_int(MAX_TEXT)} ký tự). "
                    "Anh/chị vui lòng chia thành nhiều tin ngắn hơn; chưa có số liệu nào được ghi.")
            return
        if inc.kind == TEXT and not inc.text.startswith("/"):
            pressed = match_button(inc.text, ctx.buttons_shown())  # typed words of a button shown: a press
            if pressed is not None:
                inc.kind, inc.payload, inc.text = BUTTON, pressed.payload, pressed.label
        cmd = parse_command(inc.text) if inc.kind == TEXT else None
        if cmd is not None:
            name, _ = cmd
            handler = router.commands.get(name)
            if handler is None:
                ctx.say("Tôi chưa biết lệnh này. Gõ /help để xem các lệnh.")
                return
            if ctx.officer is None and name not in router.public_commands:
                return _refuse_stranger(ctx)
            handler(ctx)
            return
        if ctx.officer is None:
            return _refuse_stranger(ctx)
        if inc.kind == BUTTON:
            for prefix, handler in router.buttons.items():
                if inc.payload.startswith(prefix):
                    handler(ctx)
                    return
            ctx.say("Nút này đã hết hiệu lực. Gõ /help để xem các lệnh.")
            return
        if inc.kind == FILE:
            for handler in router.files:
                if handler(ctx):
                    return
            ctx.say("Tôi chỉ nhận tệp DOCX/PDF khi đang thêm văn bản vào thư viện.")
            return
        if not inc.text.strip():
            return
        if (not FlowState.takes_text(ctx.state.flow, ctx.state.step) and (":" in inc.text or "\n" in inc.text)
                and any(handler(ctx) for handler in router.labelled)):
            return
        flow_handler = router.states.get(ctx.state.flow)
        if flow_handler is not None and flow_handler(ctx):
            return
        for _, handler in router.intents:
            if handler(ctx):
                return
        ctx.say("Tôi chưa hiểu ý anh/chị. Anh/chị có thể gửi số liệu (ví dụ: \"cấp CCCD 60, mới 33, đổi 11, "
                "lại 16\"), đặt câu hỏi về văn bản, hoặc gõ /help để xem hướng dẫn.")


def _remember_buttons(ctx: Ctx) -> None:
    """The chat now shows the last buttons sent to it (or none, after replies without any)."""
    own = [r for r in ctx.replies if r.to_chat is None]
    shown = next((r.buttons for r in reversed(own) if r.buttons), None)
    if shown is not None or own:
        ctx.show_buttons(shown or [])


def _refuse_stranger(ctx: Ctx) -> None:
    ctx.say("Xin chào! Tài khoản này chưa được cấp quyền sử dụng trợ lý. "
            "Vui lòng liên hệ quản trị viên để nhận mã mời, rồi gõ: /start MÃ_MỜI")


def _load_flows() -> None:
    """Import the flow modules so their handlers register on `router` (idempotent)."""
    import bot.flows  # noqa: F401
