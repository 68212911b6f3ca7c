"""`baocao draft`: the REPORT.json contract and the database mode."""
import json

from docx import Document
from typer.testing import CliRunner

from bot.cli import app
from tests.test_drafting_document import WEEK

runner = CliRunner()


def test_draft_from_report_json_prints_path_and_warnings(tmp_path, data_dir):
    src = tmp_path / "REPORT.json"
    src.write_text(json.dumps({**WEEK, "request": ""}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out" / "bc.docx"
    res = runner.invoke(app, ["draft", "--input", str(src), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    printed = json.loads(res.stdout)
    assert set(printed) == {"path", "warnings"} and printed["path"] == str(out)
    assert any("văn bản yêu cầu" in w for w in printed["warnings"])
    assert "Thu nhận 60 hồ sơ cấp CCCD" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_draft_rejects_malformed_json_politely(tmp_path, data_dir):
    src = tmp_path / "REPORT.json"
    src.write_text(json.dumps({"period": {"kind": "tuan", "start": "2023-08-17", "end": "2023-08-23"}}))
    res = runner.invoke(app, ["draft", "--input", str(src), "--out", str(tmp_path / "x.docx")])
    assert res.exit_code == 2 and "unit" in res.output and not (tmp_path / "x.docx").exists()


def test_draft_from_the_database_by_unit_and_period(demo_app, tmp_path):
    out = tmp_path / "thang.docx"
    res = runner.invoke(app, ["draft", "--unit", "demo-hoa-an", "--period", "tháng 10/2026", "--out", str(out),
                              "--json"])
    assert res.exit_code == 0, res.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Kết quả triển khai, thực hiện Đề án 06 tháng 10/2026" in text and "so với tháng trước" in text
    res = runner.invoke(app, ["draft", "--unit", "demo-hoa-an", "--period", "tháng 01/1999", "--out", str(out)])
    assert res.exit_code == 2 and "Không tìm thấy" in res.output
