"""`baocao ask`, `baocao index` and `baocao index add` contracts."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.cli import app
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
