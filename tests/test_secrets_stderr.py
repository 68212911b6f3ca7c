"""Secrets never reach stderr in clear, by any path: log records, and what Python itself prints (an uncaught
exception's traceback at start-up)."""
from __future__ import annotations

import io
import os
import subprocess
import sys

from common.logs import RedactingStream, setup_logging
from tests.fakes.server import ServerThread
from tests.fakes.telegram_api import FakeTelegram

REJECTED = "123456789:AAWrongTokenTheServerRejects_x"
RUN_WITHOUT_LIBRARY = ("import sys, bot.cli as cli; cli._prepare_library = lambda settings: None; "
                       "sys.argv = ['baocao', 'run']; cli.main()")


def test_a_rejected_bot_token_is_not_printed_at_start_up(data_dir, tmp_path):
    fake = FakeTelegram("111111111:TheTokenTheServerKnows_abc")
    with ServerThread(fake.app) as srv:
        env = {**os.environ, "DATA_DIR": str(data_dir), "TELEGRAM_BOT_TOKEN": REJECTED,
               "TELEGRAM_BASE_URL": srv.url}
        p = subprocess.run([sys.executable, "-c", RUN_WITHOUT_LIBRARY], env=env, capture_output=True, text=True,
                           cwd=tmp_path, timeout=300)
    assert p.returncode != 0 and "rejected" in p.stderr  # it stops loudly ...
    out = p.stdout + p.stderr
    assert REJECTED not in out and REJECTED.split(":")[1] not in out  # ... without the token


def test_whatever_is_written_to_stderr_is_redacted(monkeypatch):
    sink = io.StringIO()
    monkeypatch.setattr(sys, "stderr", sink)
    try:
        setup_logging("WARNING", ["webhook-secret-value"])
        assert isinstance(sys.stderr, RedactingStream)
        sys.stderr.write(f"Traceback ... InvalidToken: The token `{REJECTED}` was rejected\n")
        setup_logging("WARNING", ["webhook-secret-value"])  # set up twice: wrapped once
        print("again webhook-secret-value", file=sys.stderr)
    finally:
        setup_logging("WARNING", [])
    text = sink.getvalue()
    assert "rejected" in text and "again ***" in text
    assert REJECTED not in text and "AAWrongToken" not in text and "webhook-secret-value" not in text
