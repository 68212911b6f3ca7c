"""`baocao ask`, `baocao index` and `baocao index add` contracts."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.conftest import REPO
from tests.test_retrieval_library import FULL_TEXT

runner = CliRunner()


def test_ask_json_contract(library):
    res = runner.invoke(app, ["ask", "--json", "CT 04/2024 yeu cau gi ve kiem tra don doc?"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["citations"][0]["so_hieu"] == "04/CT-TTg"
    assert data["citations"][0]["date"] == "11/02/2024"
    assert "04/CT-TTg" in data["answer"]


def test_index_is_incremental(library):
    res = runner.invoke(app, ["index"])
    assert res.exit_code == 0, res.output
    assert "0 đoạn mới" in res.stdout and "0 đoạn phải tính vector" in res.stdout
    res = runner.invoke(app, ["index", "--rebuild"])
    assert res.exit_code == 0 and "0 đoạn phải tính vector" in res.stdout  # vectors come from the cache


def test_index_add_reads_metadata_and_indexes(library, tmp_path):
    p = tmp_path / "ct04.txt"
    p.write_text(FULL_TEXT, encoding="utf-8")
    res = runner.invoke(app, ["index", "add", str(p), "--yes"])
    assert res.exit_code == 0, res.output
    shown = json.loads(res.stdout[: res.stdout.rindex("}") + 1])
    assert (shown["so_hieu"], shown["doc_type"], shown["issued_on"]) == ("04/CT-TTg", "chi_thi", "2024-02-11")
    assert "Đã thêm 04/CT-TTg" in res.stdout
    res = runner.invoke(app, ["ask", "--json", "chi thi 04 giao cong an xa viec gi ve to cong nghe so cong dong"])
    top = json.loads(res.stdout)["citations"][0]
    assert top["so_hieu"] == "04/CT-TTg" and "công nghệ số cộng đồng" in top["excerpt"]


def test_index_add_can_be_declined(library, tmp_path):
    p = tmp_path / "ct04.txt"
    p.write_text(FULL_TEXT, encoding="utf-8")
    res = runner.invoke(app, ["index", "add", str(p)], input="n\n")
    assert res.exit_code == 1 and "chưa thêm gì" in res.output


def _subprocess_env(data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "DATABASE_URL",
                                                             "CHROMA_URL", "LLM_BASE_URL")}
    return {**env, "DATA_DIR": str(data_dir)}


_IMPORTS = """
import sys
from typer.testing import CliRunner
import retrieval.library
from bot.cli import app
from tests.fakes.embedder import FakeEmbedder
retrieval.library.make_embedder = lambda settings: FakeEmbedder()
res = CliRunner().invoke(app, sys.argv[1:])
assert res.exit_code == 0, res.output
print(sorted(m for m in sys.modules if m.startswith(("bot.engine", "bot.channels", "bot.flows", "alembic"))))
"""


def test_ask_and_draft_import_neither_the_chat_engine_nor_alembic(demo_app, data_dir, tmp_path):
    from sqlalchemy import select

    from db.models import Period, Report

    with demo_app[0].session() as s:
        label = s.scalars(select(Period.label).join(Report).where(Period.kind == "thang")).first()
    commands = [["ask", "Chỉ thị 04 yêu cầu cấp xã làm gì?"],
                ["draft", "--unit", "demo-hoa-an", "--period", label, "--out", str(tmp_path / "d.docx")]]
    for args in commands:
        out = subprocess.run([sys.executable, "-c", _IMPORTS, *args], capture_output=True, text=True, cwd=REPO,
                             env=_subprocess_env(data_dir), timeout=300)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip().splitlines()[-1] == "[]", (args[0], out.stdout)


@pytest.mark.slow
def test_run_exits_cleanly_when_stdin_closes_during_warm_up(data_dir):
    """A fresh data dir: the library is indexed and the model warmed up in the background (started once the
    first reply is out) when stdin closes."""
    out = subprocess.run([sys.executable, "-m", "bot", "run"], input="/help\n", capture_output=True, text=True, cwd=REPO,
                         env=_subprocess_env(data_dir), timeout=900)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert (data_dir / "search_index.sqlite3").exists()
