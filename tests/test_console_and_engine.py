"""The console channel and the engine's guarantees, end to end through the real engine."""
import json
import subprocess
import sys

from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from bot.messages import STICKER, Incoming
from db.models import FigureRevision, ProcessedUpdate


def test_console_json_mode_answers_start_and_help(demo_app, data_dir):
    out = CliRunner().invoke(app, ["chat", "--json", "--user", "can_bo"], input="/start\n/help\n")
    assert out.exit_code == 0, out.output
    lines = [json.loads(l) for l in out.stdout.splitlines()]
    assert len(lines) == 2
    assert all(set(l) == {"text", "files", "buttons"} for l in lines)
    assert "Nguyễn Văn An" in lines[0]["text"] and "xã Hòa An" in lines[0]["text"]
    assert "/baocao" in lines[1]["text"] and "/duthao" in lines[1]["text"]


def test_unknown_person_is_refused_and_sees_nothing(officer_chat):
    reply = officer_chat("nguoi_la").say("cấp CCCD 60")
    assert "chưa được cấp quyền" in reply
    assert "Hòa An" not in reply


def test_start_without_code_for_stranger_asks_for_invite(officer_chat):
    assert "mã mời" in officer_chat("nguoi_la").say("/start")


def test_redelivered_update_is_ignored(demo_app):
    db, engine = demo_app
    inc = lambda: Incoming(channel="telegram", chat_id="1", user_id="1", text="/help", update_id="555")  # noqa: E731
    assert engine.handle(inc())
    assert engine.handle(inc()) == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1


def test_sticker_and_huge_message_get_polite_answers_and_change_nothing(demo_app, officer_chat):
    db, engine = demo_app
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(FigureRevision))
    r = engine.handle(Incoming(channel="console", chat_id="can_bo", user_id="can_bo", kind=STICKER))
    assert "chữ" in r[0].text
    assert "quá dài" in officer_chat().say("cấp CCCD 60 " * 4000)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(FigureRevision)) == before


def test_handler_crash_rolls_back_and_answers(demo_app, monkeypatch):
    from bot import engine as engine_mod

    db, engine = demo_app

    def boom(ctx):
        ctx.state.flow = "should-not-stick"
        raise RuntimeError("bug")

    monkeypatch.setitem(engine_mod.router.commands, "help", boom)
    r = engine.handle(Incoming(channel="console", chat_id="can_bo", user_id="can_bo", text="/help", update_id="9"))
    assert "lỗi" in r[0].text
    monkeypatch.undo()
    from db.repo import channel_state
    with db.session() as s:
        assert channel_state.load_state(s, "console", "can_bo").flow != "should-not-stick"
        assert not channel_state.claim_update(s, "console", "9")  # not retried forever



def test_officer_error_undoes_the_handlers_writes_but_answers_and_claims_the_update(demo_app, officer_chat,
                                                                                   monkeypatch):
    from bot import engine as engine_mod
    from common.errors import OfficerError
    from db.repo import channel_state

    db, engine = demo_app
    officer_chat().say("/baocao")
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(FigureRevision))

    def refuses_after_writing(ctx):
        ctx.say("Đang ghi…")
        ctx.state.flow = "should-not-stick"
        ctx.s.add(FigureRevision(report_id=1, indicator="cccd.cap_moi", action="set", new_value=1))
        ctx.s.flush()
        raise OfficerError("Không được phép.")

    monkeypatch.setitem(engine_mod.router.commands, "help", refuses_after_writing)
    inc = lambda: Incoming(channel="console", chat_id="can_bo", user_id="can_bo", text="/help",  # noqa: E731
                           update_id="77")
    assert [r.text for r in engine.handle(inc())] == ["Đang ghi…", "Không được phép."]
    assert engine.handle(inc()) == []  # claimed: a redelivery is not run again
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(FigureRevision)) == before
        assert channel_state.load_state(s, "console", "can_bo").flow != "should-not-stick"


def test_cli_help_lists_commands_and_each_is_documented(data_dir):
    """The installed entry point itself (one real process; the other CLI tests use Typer's CliRunner)."""
    out = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    from tests.conftest import REPO
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for cmd in ["run", "chat", "parse", "check", "ask", "draft", "index", "cite-check", "demo", "db"]:
        assert cmd in out.stdout, cmd
        assert f"baocao {cmd}" in readme, cmd
