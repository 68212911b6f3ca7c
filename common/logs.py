"""Logging set-up with a filter that blanks secrets (bot tokens appear in Telegram/Zalo URLs)."""
from __future__ import annotations

import logging
import re

_TOKENISH = re.compile(r"(bot)?\d{6,}:[A-Za-z0-9_-]{10,}")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def _clean(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, "***")
        return _TOKENISH.sub("***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        cleaned = self._clean(msg)
        if cleaned != msg:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "chromadb", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
