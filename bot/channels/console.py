"""The console channel: an interactive chat on a TTY, or one message per input line for scripts.

With `json_mode`, each reply is printed as one JSON object per line:
{"text": "...", "files": [...], "buttons": [...]}. Typing a button's label presses it.
"""
from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.engine import Engine
from bot.messages import BUTTON, Button, Incoming, Reply, match_button

CHANNEL = "console"


class ConsoleChat:
    def __init__(self, engine: Engine, user: str, out: TextIO | None = None, json_mode: bool = False):
        # sys.stdout is looked up now, not at import: a caller may have redirected it (tests, CliRunner)
        self.engine, self.user, self.out, self.json_mode = engine, user, out or sys.stdout, json_mode
        self._buttons: list[Button] = []

    def send(self, text: str) -> list[Reply]:
        inc = Incoming(channel=CHANNEL, chat_id=self.user, user_id=self.user, text=text, display_name=self.user)
        pressed = match_button(text, self._buttons)
        if pressed is not None:
            inc.kind, inc.payload, inc.text = BUTTON, pressed.payload, pressed.label
        replies = self.engine.handle(inc)
        for r in replies:
            if r.buttons:
                self._buttons = r.buttons
        if replies and not any(r.buttons for r in replies):
            self._buttons = []
        return replies


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

    def run_lines(self, lines: TextIO) -> None:
        for line in lines:
            line = line.rstrip("\n")
            if line.strip():
                self.render(self.send(line))

    def run_interactive(self) -> None:
        self.out.write("Trợ lý báo cáo Đề án 06 — gõ tin nhắn, Ctrl+D để thoát.\n\n")
        self.render(self.send("/start"))
        while True:
            try:
                line = input("> ")
            except (EOFError, KeyboardInterrupt):
                self.out.write("\nTạm biệt!\n")
                return
            if line.strip():
                self.render(self.send(line))
