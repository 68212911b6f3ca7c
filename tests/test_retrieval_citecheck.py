"""Citation check against the library, on free text and on the seed reports (which contain a real slip)."""
from __future__ import annotations

import json
import unicodedata

import pytest
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
    assert "5672/C06-TTDLDC" in ok  # abbreviated issuer "Cục Cảnh sát QLHC về TTXH" is fine
    (nd59,) = [f for f in findings if f.so_hieu == "59/2022/NĐ-CP"]
    assert nd59.status == "replaced"  # right for 2022, but replaced since 01/7/2024


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


@pytest.mark.parametrize("text,status", [
    ("Thực hiện Chỉ thị 04 ngày 11/02/2024 của Thủ tướng Chính phủ", "ok"),
    ("Thực hiện Chỉ thị số 04 ngày 11 tháng 02 năm 2024", "ok"),
    ("Thực hiện Chỉ thị 04 ngày 23/02/2023", "mismatch"),
])
def test_short_form_with_a_date_is_recognised(text, status):
    (f,) = check_citations(text)
    assert (f.so_hieu, f.status) == ("04/CT-TTg", status)
    if status == "mismatch":
        assert "11/02/2024" in f.problems[0] and "05/CT-TTg" in f.problems[0]


def test_short_form_without_date_or_naming_a_year_is_not_a_citation():
    assert check_citations("tuyên truyền Chỉ thị 04 cho 300 người; Kế hoạch 2024 ngày 02/01/2024") == []


@pytest.mark.parametrize("text", [
    "Quyết định số 06/QĐ-TTg ngày 31/02/2022 của Thủ tướng Chính phủ",  # a library document
    "Công văn số 999/UBND-VP ngày 30/02/2023",  # a document the library does not hold
])
def test_impossible_date_is_wrong(text):
    (f,) = check_citations(text)
    assert f.status == "mismatch" and any("không có thật" in p for p in f.problems)


@pytest.mark.parametrize("text", [
    "Thông tư số 01/2023/TT-\nVPCP ngày 05/4/2023 của Văn phòng Chính phủ",
    "Thông tư số 01/2023/TT- \n\nVPCP ngày 05/4/2023 của Văn phòng Chính phủ",  # as the seeds break lines
])
def test_number_split_at_its_hyphen_is_read_whole(text):
    (f,) = check_citations(text)
    assert (f.so_hieu, f.status) == ("01/2023/TT-VPCP", "ok")


def test_seed_numbers_broken_across_lines_are_read_whole():
    text = (SEEDS / "003_3d519f274df18219.txt").read_text(encoding="utf-8")
    assert "56/QĐ-TCT" in {f.so_hieu for f in check_citations(text)}  # "56/QĐ- ⏎⏎TCT" in the seed


def test_decomposed_accents_are_read():
    text = unicodedata.normalize("NFD", "Thực hiện Công văn số 452/TTg-KSTT ngày 23/5/2023 của Thủ tướng Chính phủ")
    (f,) = check_citations(text)
    assert f.status == "ok"


def test_replaced_document_is_flagged_with_its_replacement():
    (f,) = check_citations("Căn cứ Nghị định số 59/2022/NĐ-CP ngày 05/9/2022 của Chính phủ")
    assert f.status == "replaced"
    assert "đã được thay thế bởi Nghị định số 69/2024/NĐ-CP" in f.problems[0] and "01/07/2024" in f.problems[0]
    (g,) = check_citations("Căn cứ Nghị định số 59/2022/NĐ-CP ngày 06/9/2022")
    assert g.status == "mismatch" and any("thay thế" in p for p in g.problems)


def test_cite_check_command(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["cite-check", "--json", str(SEEDS / "001_26faa576efe2957c.txt")])
    assert res.exit_code == 1  # a mismatch was found
    data = json.loads(res.stdout)
    assert any(f["status"] == "mismatch" and f["so_hieu"] == "06/QĐ-TTg" for f in data)
    res = runner.invoke(app, ["cite-check", "Theo Công văn số 452/TTg-KSTT ngày 23/5/2023 của Thủ tướng Chính phủ"])
    assert res.exit_code == 0 and "[ĐÚNG]" in res.stdout
    res = runner.invoke(app, ["cite-check", "Theo Nghị định số 59/2022/NĐ-CP ngày 05/9/2022 của Chính phủ"])
    assert res.exit_code == 0 and "[ĐÃ ĐƯỢC THAY THẾ]" in res.stdout and "69/2024/NĐ-CP" in res.stdout
