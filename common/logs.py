"""Logging set-up that blanks secrets (bot tokens appear in Telegram/Zalo URLs and in some library errors).

Both paths to stderr are covered: log records (the formatter) and whatever Python itself writes there, such as
the traceback of an uncaught exception at start-up (`InvalidToken: The token … was rejected`): `setup_logging`
puts a redacting wrapper around sys.stderr.
"""
from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

_TOKENISH = re.compile(r"(bot)?\d{6,}:[A-Za-z0-9_-]{10,}")


def redact(text: str, secrets: list[str]) -> str:
    for s in secrets:
        text = text.replace(s, "***")
    return _TOKENISH.sub("***", text)


def _usable(secrets: list[str]) -> list[str]:
    return [s for s in secrets if s and len(s) >= 6]


class RedactingFormatter(logging.Formatter):
    """Blanks secrets in the whole formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: list[str]):
        super().__init__(fmt)
        self.secrets = _usable(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class RedactingStream:
    """A text stream that blanks secrets in everything written through it; the rest is the wrapped stream's."""

    def __init__(self, inner: TextIO, secrets: list[str]):
        self.inner, self.secrets = inner, _usable(secrets)

    def write(self, text: str) -> int:
        self.inner.write(redact(text, self.secrets))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def setup_logging(level: str, secrets: list[str]) -> None:
    if isinstance(sys.stderr, RedactingStream):
        sys.stderr.secrets = _usable(secrets)
    else:
        sys.stderr = RedactingStream(sys.stderr, secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "chromadb", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
