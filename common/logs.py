"""Logging set-up with a filter that blanks secrets (bot tokens appear in Telegram/Zalo URLs)."""
from __future__ import annotations

import logging
import re

_TOKENISH = re.compile(r"(bot)?\d{6,}:[A-Za-z0-9_-]{10,}")


class RedactingFormatter(logging.Formatter):
    """Blanks secrets in the whole formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: list[str]):
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for s in self.secrets:
            text = text.replace(s, "***")
        return _TOKENISH.sub("***", text)


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "chromadb", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
