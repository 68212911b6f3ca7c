"""Channel-neutral messages: what an officer sent and what the bot answers.

Channel adapters translate their updates into `Incoming` and render `Reply`; the engine never sees a
Telegram or Zalo type.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from common.errors import InvalidInput
from common.vntext import fold

# kinds of incoming message
TEXT, BUTTON, FILE, STICKER, VOICE, IMAGE = "text", "button", "file", "sticker", "voice", "image"
UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Button:
    label: str
    payload: str  # "flow:action[:arg]"; pressing it sends an Incoming of kind BUTTON with this payload
    words: tuple[str, ...] = ()  # other words that, typed, press it ("không", "như kỳ trước")


def match_button(text: str, buttons: list[Button]) -> Button | None:
    """The button a typed text names (channels or consoles without tappable buttons): its label or one of its
    words, or the start of exactly one label, so "Cấp lại CCCD" picks "Cấp lại CCCD (15)"."""
    t = fold(text).strip().rstrip(".!")
    if not t:
        return None
    exact = [b for b in buttons if fold(b.label) == t or t in (fold(w) for w in b.words)]
    if exact:
        return exact[0]
    starts = [b for b in buttons if fold(b.label).startswith(t + " ")]
    return starts[0] if len(starts) == 1 else None


@dataclass
class IncomingFile:
    name: str
    size: int
    path: Path | None = None  # downloaded to the uploads dir by the channel, size-limited
    mime: str = ""
    text_path: Path | None = None  # its text, read by the channel in a sandboxed worker (UTF-8 .txt)
    unreadable: str = ""  # why its text could not be read (Vietnamese, for the officer)

    def text(self) -> str:
        """The document's text as the channel read it; InvalidInput saying why when it could not be read."""
        if self.unreadable:
            raise InvalidInput(self.unreadable)
        if self.text_path is None:  # channels read files before the engine's transaction; this one was not
            raise InvalidInput("Chưa đọc được tệp này. Anh/chị vui lòng gửi lại.")
        return Path(self.text_path).read_text(encoding="utf-8")


@dataclass
class Incoming:
    channel: str  # console | telegram | zalo
    chat_id: str
    user_id: str  # the channel's id of the sender
    text: str = ""
    kind: str = TEXT
    display_name: str = ""
    update_id: str | None = None  # for de-duplication; None = never de-duplicated (console)
    payload: str = ""  # for BUTTON
    file: IncomingFile | None = None

    @property
    def source(self) -> str:
        return f"{self.channel}:{self.update_id or '-'}"


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # documents (DOCX)
    photos: list[Path] = field(default_factory=list)  # charts (PNG)
    to_chat: str | None = None  # another chat of the same channel (e.g. notify the approver); None = this chat
    monospace: bool = False  # a text to copy whole (the quick form): a code block where the channel has one

    def as_json(self) -> dict:
        return {"text": self.text, "files": [str(p) for p in self.files + self.photos],
                "buttons": [b.label for b in self.buttons]}
