"""Docs that cannot drift: every command (chat and CLI) is described where officers and maintainers look."""
import re
from pathlib import Path

import click
import typer

import bot.flows  # noqa: F401 - registers the chat commands
from bot.cli import app as cli_app
from bot.engine import router
from bot.flows.basic import help_text

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _cli_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out = {}
    for name, cmd in group.commands.items():
        out[f"{prefix}{name}"] = cmd
        if isinstance(cmd, click.Group):
            out.update(_cli_commands(cmd, f"{prefix}{name} "))
    return out


def test_every_cli_command_has_help_and_is_in_the_readme():
    commands = _cli_commands(typer.main.get_command(cli_app))
    assert commands
    for name, cmd in commands.items():
        assert (cmd.help or "").strip(), f"baocao {name} has no help text"
        assert re.search(rf"`baocao {re.escape(name)}\b", README), f"baocao {name} is not in README.md"


def test_every_chat_command_is_in_help_and_the_readme():
    shown = help_text()
    assert set(router.about) <= set(router.commands)
    for name, about in router.about.items():  # aliases (/trogiup) are not listed
        assert about.strip()
        assert name in ("start", "help") or f"/{name} — " in shown, name
        assert f"/{name}" in README, f"/{name} is not in README.md"
