"""The console channel: an interactive chat on a TTY, or one message per input line for scripts.

With `json_mode`, each reply is printed as one JSON object per line:
{"text": "...", "files": [...], "buttons": [...]}. Typing a button's label presses it. Without a TTY, an input
line that is a JSON string (starts with `"`) is decoded and sent as one (multi-line) message.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TextIO

from bot.engine import Engine
from bot.messages import Incoming, Reply

CHANNEL = "console"


class ConsoleChat:
    def __init__(self, engine: Engine, user: str, out: TextIO | None = None, json_mode: bool = False):
        # sys.stdout is looked up now, not at import: a caller may have redirected it (tests, CliRunner)
        self.engine, self.user, self.out, self.json_mode = engine, user, out or sys.stdout, json_mode

    def send(self, text: str) -> list[Reply]:
        """One message (typed button labels are read by the engine, as on every channel)."""
        inc = Incoming(channel=CHANNEL, chat_id=self.user, user_id=self.user, text=text, display_name=self.user)
        return self.engine.handle(inc)

    def render(self, replies: list[Reply]) -> None:
        for r in replies:
            if self.json_mode:
                self.out.write(json.dumps(r.as_json(), ensure_ascii=False) + "\n")
                continue
            self.out.write(r.text + "\n")
            for p in r.files + r.photos:
                self.out.write(f"📎 {p}\n")
            if r.buttons:
                self.out.write("   ".join(f"[{b.label}]" for b in r.buttons) + "\n")
            self.out.write("\n")
        self.out.flush()

    def run_lines(self, lines: TextIO, after_first_reply: Callable[[], None] | None = None) -> None:
        """One message per line; a line that is a JSON string ("…\\n…") is decoded and sent as one message, so a
        script can send a multi-line message such as a filled quick form. `after_first_reply` runs once the first
        reply is out (`baocao run` starts the library's background work there, not before the first reply)."""
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith('"'):
                try:
                    line = json.loads(line)
                except json.JSONDecodeError:
                    pass  # not JSON after all: sent as typed
            if line.strip():
                self.render(self.send(line))
                if after_first_reply is not None:
                    after_first_reply()
                    after_first_reply = None

    def run_interactive(self, after_first_reply: Callable[[], None] | None = None) -> None:
        self.out.write("Trợ lý báo cáo Đề án 06 — gõ tin nhắn, Ctrl+D để thoát.\n\n")
        self.render(self.send("/start"))
        if after_first_reply is not None:
            after_first_reply()
        while True:
            try:
                line = input("> ")
            except (EOFError, KeyboardInterrupt):
                self.out.write("\nTạm biệt!\n")
                return
            if line.strip():
                self.render(self.send(line))
