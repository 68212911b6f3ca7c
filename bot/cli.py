"""`baocao` — the command line. Each command parses its arguments, calls one library function, prints."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from common.errors import OfficerError
from common.settings import get_settings

app = typer.Typer(help="Trợ lý báo cáo Đề án 06 / Đề án 06 reporting assistant.", no_args_is_help=True,
                  add_completion=False)
db_app = typer.Typer(help="Cơ sở dữ liệu / database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _not_yet(feature: str) -> None:
    _fail(f"Chức năng {feature} chưa hỗ trợ trong phiên bản này. / Not supported yet.")


@app.command()
def run() -> None:
    """Chạy bot: Telegram/Zalo khi có token, nếu không thì chat trên console. / Run the configured channels."""
    from bot.app import build, is_empty
    from bot.demo import seed_demo

    settings = get_settings()
    db, engine = build(settings)
    if is_empty(db):
        with db.session() as s:
            seed_demo(s, date.today())
        typer.echo("Đã tạo đơn vị demo (xã Hòa An) với số liệu các kỳ trước.", err=True)
    _prepare_library(settings)
    if settings.telegram_bot_token or settings.zalo_bot_token:
        from bot.channels.serve import serve_channels  # noqa: PLC0415 - only with tokens
        serve_channels(settings, db, engine)
        return
    _console(engine, "can_bo", json_mode=False)


def _prepare_library(settings) -> None:  # noqa: ANN001
    try:
        from retrieval.library import ensure_indexed  # noqa: PLC0415
    except ImportError:
        return
    ensure_indexed(settings)


def _console(engine, user: str, json_mode: bool) -> None:  # noqa: ANN001
    from bot.channels.console import ConsoleChat

    chat = ConsoleChat(engine, user, json_mode=json_mode)
    if sys.stdin.isatty() and not json_mode:
        chat.run_interactive()
    else:
        chat.run_lines(sys.stdin)


@app.command()
def chat(user: str = typer.Option("can_bo", "--user", help="Cán bộ giả lập / simulated officer"),
         json_mode: bool = typer.Option(False, "--json", help="Mỗi trả lời một dòng JSON / one JSON per reply")) -> None:
    """Chat trên console (cùng bộ máy hội thoại với Telegram, Zalo). / Console chat."""
    from bot.app import build

    _, engine = build(get_settings())
    _console(engine, user, json_mode)


@app.command()
def demo() -> None:
    """Tạo đơn vị demo và lịch sử số liệu (chạy lại không trùng). / Seed the demo commune (idempotent)."""
    from bot.app import build
    from bot.demo import seed_demo

    db, _ = build(get_settings())
    with db.session() as s:
        unit = seed_demo(s, date.today())
        typer.echo(f"Đơn vị demo: {unit.name} (mã {unit.code}).")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Nâng cấp CSDL lên phiên bản mới nhất. / Apply migrations."""
    from db import migrate

    settings = get_settings()
    settings.ensure_dirs()
    migrate.upgrade(settings.db_url)
    typer.echo("CSDL đã ở phiên bản mới nhất.")


@app.command()
def parse(text: Optional[str] = typer.Argument(None, help="Tin nhắn / message"),
          json_out: bool = typer.Option(False, "--json"),
          jsonl: Optional[str] = typer.Option(None, "--jsonl", help="'-' = đọc từng dòng từ stdin")) -> None:
    """Tách số liệu từ câu tiếng Việt. / Extract figures from Vietnamese text."""
    _not_yet("parse")


@app.command()
def check(json_out: bool = typer.Option(False, "--json")) -> None:
    """Kiểm tra số liệu (JSON từ stdin). / Check figures read as JSON from stdin."""
    _not_yet("check")


@app.command()
def ask(question: str = typer.Argument(..., help="Câu hỏi / question"),
        json_out: bool = typer.Option(False, "--json")) -> None:
    """Hỏi văn bản chỉ đạo nào quy định. / Ask which directive governs a task."""
    _not_yet("ask")


@app.command()
def draft(input_path: Optional[Path] = typer.Option(None, "--input"), out: Optional[Path] = typer.Option(None, "--out"),
          json_out: bool = typer.Option(False, "--json")) -> None:
    """Tạo dự thảo báo cáo DOCX. / Render a report draft."""
    _not_yet("draft")


@app.command()
def index() -> None:
    """Lập chỉ mục thư viện văn bản. / Index the directive library."""
    _not_yet("index")


@app.command("cite-check")
def cite_check(target: str = typer.Argument(..., help="Tệp hoặc đoạn văn / file or text")) -> None:
    """Kiểm tra trích dẫn văn bản. / Check document citations."""
    _not_yet("cite-check")


def main() -> None:  # pragma: no cover
    try:
        app()
    except OfficerError as e:
        _fail(e.message_vi)
