"""Citation check against the library, on free text and on the seed reports (which contain a real slip)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.cli import app
from retrieval.citecheck import check_citations
from tests.conftest import SEEDS


def test_seed_misdated_decision_is_flagged():
    text = (SEEDS / "001_26faa576efe2957c.txt").read_text(encoding="utf-8")
    findings = check_citations(text)
    bad = [f for f in findings if f.status == "mismatch"]
    assert [f.so_hieu for f in bad] == ["06/QĐ-TTg"]
    assert "18/01/2022" in bad[0].problems[0] and "06/01/2022" in bad[0].problems[0]
    ok = {f.so_hieu for f in findings if f.status == "ok"}
    assert {"59/2022/NĐ-CP", "5672/C06-TTDLDC"} <= ok  # abbreviated issuer "Cục Cảnh sát QLHC về TTXH" is fine


def test_correct_citations_pass_even_when_wrapped():
    text = "Thực hiện Quyết \nđịnh số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng\n Chính phủ phê duyệt Đề án"
    (f,) = check_citations(text)
    assert f.status == "ok" and f.stated_date == "06/01/2022"


def test_wrong_type_issuer_and_swapped_number():
    text = ("Căn cứ Chỉ thị số 04/CT-TTg ngày 23/02/2023 của Chính phủ và Quyết định số 05/CT-TTg; "
            "Công văn số 452/TTg-KSTT ngày 23 tháng 5 năm 2023 của Thủ tướng Chính phủ; Nghị quyết số 50/NQ-CP.")
    f04, f05, f452, f50 = check_citations(text)
    assert f04.status == "mismatch" and len(f04.problems) == 2
    assert "05/CT-TTg" in f04.problems[0]  # the stated date is 05/CT-TTg's: probably the wrong number
    assert f05.status == "mismatch" and "Chỉ thị" in f05.problems[0]
    assert f452.status == "ok"
    assert f50.status == "unknown"


def test_cite_check_command(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["cite-check", "--json", str(SEEDS / "001_26faa576efe2957c.txt")])
    assert res.exit_code == 1  # a mismatch was found
    data = json.loads(res.stdout)
    assert any(f["status"] == "mismatch" and f["so_hieu"] == "06/QĐ-TTg" for f in data)
    res = runner.invoke(app, ["cite-check", "Theo Công văn số 452/TTg-KSTT ngày 23/5/2023 của Thủ tướng Chính phủ"])
    assert res.exit_code == 0 and "[ĐÚNG]" in res.stdout
