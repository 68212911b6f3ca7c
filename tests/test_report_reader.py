"""A whole report pasted or sent as DOCX: its period, figures by section, conflicts, unplaced text (issue 10 item 2)."""
import json
from datetime import date

import docx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from common.docx_text import docx_text
from figures.periods import PeriodSpec
from figures.report_reader import looks_like_report, read_report, summary_text
from figures.report_text import pieces
from tests.seed_lines import load_lines

SEEDS, _ = load_lines()


def seed_text(seed_id: str) -> str:
    path = SEEDS[seed_id].path
    if not path.is_file():
        pytest.skip(f"seed reports not found at {path.parent}")
    return path.read_text(encoding="utf-8")


def values(reading) -> dict:
    return {(f.indicator, p.label if p else None): (f.value, f.denominator, f.rate) for p, f in reading.figures()}


def test_wrapped_pdf_lines_join_their_item_and_page_numbers_go():
    text = ("+ Tiếp nhận và giải quyết thủ tục đăng ký tạm trú: Tổng số 06 hồ sơ, đã trả \n\nkết quả: 00 hồ sơ. \n\n"
            "5 \n\n+ Nhập thông tin Người có công: 271 trường hợp.")
    assert [p.text for p in pieces(text)] == [
        "+ Tiếp nhận và giải quyết thủ tục đăng ký tạm trú: Tổng số 06 hồ sơ, đã trả kết quả: 00 hồ sơ.",
        "+ Nhập thông tin Người có công: 271 trường hợp."]


def test_a_heading_about_public_services_makes_cap_the_cccd_a_service():
    got = values(read_report(seed_text("002")))
    assert got[("dvc.cap_cccd.tiep_nhan", None)] == (0, None, None)
    assert got[("cccd.thu_nhan", None)] == (60, None, None)  # "Cấp thẻ CCCD: 00" did not overwrite it


def test_service_table_rows_are_read_by_their_header():
    got = values(read_report(seed_text("000")))
    assert got[("dvc.khai_tu.tiep_nhan", None)] == (68, None, None)
    assert got[("dvc.khai_tu.truc_tuyen", None)] == (66, None, 97)
    assert got[("dvc.bien_dong_dat_dai.truc_tuyen", None)] == (251, None, 58.7)
    assert ("dvc.ho_chieu.tiep_nhan", None) not in got  # "Thực hiện tại cấp tỉnh"
    assert got[("dvc.luu_tru.truc_tuyen", None)] == (0, None, None)  # a rate of nothing received is no rate


def test_a_year_named_for_a_figure_or_by_its_lead_in_is_kept_with_it():
    reading = read_report(seed_text("003"))
    assert reading.period == PeriodSpec("dot_xuat", date(2022, 1, 1), date(2023, 12, 31))
    got = values(reading)
    assert got[("so_hoa.ho_so_dau_vao", "năm 2022")] == (6065, 6588, 92)
    assert got[("tthc.tiep_nhan", "năm 2023")] == (6715, None, None)
    assert got[("tthc.tiep_nhan", None)] == (13303, None, None)
    assert got[("dvc.thuong_tru.tiep_nhan", "năm 2023")] == (1022, None, None)  # "* Trong năm 2023 … như sau:"


def test_appendix_rows_that_name_no_service_are_unplaced_not_guessed():
    reading = read_report(seed_text("003"))
    assert not any(f.indicator == "lam_giau.nguoi_co_cong" for _, f in reading.figures())
    assert any(u.startswith("3 Người có công 9/9") for u in reading.unplaced)


def test_two_values_for_one_indicator_are_a_conflict_to_settle():
    reading = read_report(seed_text("001"))
    [conflict] = reading.conflicts
    assert conflict.indicator == "chi_dao.van_ban" and [f.value for f in conflict.figures] == [2, 8]
    assert not any(f.indicator == "chi_dao.van_ban" for _, f in reading.figures())
    assert "Văn bản chỉ đạo, triển khai ban hành: 2 hay 8?" in summary_text(reading)


def test_a_figure_restated_is_kept_once_with_its_stated_rate():
    reading = read_report("- Cập nhật CMND 9 số: 165/165 trường hợp.\n+ Cập nhật CMND 9 số: 165/165 trường hợp "
                          "(Đạt 100%)")
    assert [(f.indicator, f.value, f.rate) for _, f in reading.figures()] == [("lam_sach.cmnd_9_so", 165, 100)]


def test_summary_groups_by_section_with_the_period_and_computed_shares():
    text = summary_text(read_report(seed_text("001")))
    assert text.startswith("Đọc được 40 số liệu của báo cáo năm 2022.")
    assert "■ Làm sạch dữ liệu dân cư" in text
    assert "• Cập nhật CMND 9 số: 866/1.714 trường hợp (50,5%)" in text
    assert "Chưa xếp được" in text


def test_a_report_without_a_period_in_its_title_says_so():
    reading = read_report(seed_text("000"))
    assert reading.period is None
    assert "chưa rõ kỳ báo cáo" in summary_text(reading)


def test_a_docx_report_is_read_in_document_order_with_its_tables(tmp_path):
    d = docx.Document()
    d.add_paragraph("BÁO CÁO Kết quả thực hiện Đề án 06 tuần (Từ ngày 17/8 đến ngày 23/8/2023)")
    d.add_paragraph("- Kết quả thực hiện 25 dịch vụ công thiết yếu")
    table = d.add_table(rows=2, cols=6)
    rows = [["TT", "Thủ tục hành chính", "Cơ quan chủ trì", "Hồ sơ tiếp nhận", "Hồ sơ giải quyết qua DVCTT", "Tỷ lệ"],
            ["1", "Đăng ký thường trú", "Bộ Công an", "455", "455", "100%"]]
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    d.add_paragraph("+ Nhập thông tin Người có công: 271 trường hợp.")
    path = tmp_path / "bao_cao.docx"
    d.save(str(path))
    text = docx_text(path)
    assert "1 | Đăng ký thường trú | Bộ Công an | 455 | 455 | 100%" in text  # repeated values are cells, kept
    reading = read_report(text)
    assert reading.period == PeriodSpec("tuan", date(2023, 8, 17), date(2023, 8, 23))
    assert values(reading) == {("dvc.thuong_tru.tiep_nhan", None): (455, None, None),
                               ("dvc.thuong_tru.truc_tuyen", None): (455, None, 100),
                               ("lam_giau.nguoi_co_cong", None): (271, None, None)}


def test_cli_reads_a_report_file_as_json():
    path = SEEDS["002"].path
    if not path.is_file():
        pytest.skip("seed reports not found")
    out = CliRunner().invoke(app, ["parse", "--report", str(path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["period"] == {"kind": "tuan", "start": "2023-08-17", "end": "2023-08-23"}
    assert sum(len(g["figures"]) for g in data["groups"]) == 55 and data["conflicts"] == []


def test_a_pasted_report_is_told_from_a_chat_line():
    assert looks_like_report(seed_text("002"))
    assert not looks_like_report("cấp CCCD 60, mới 33, đổi 11, lại 16")
    assert not looks_like_report("- CCCD: 41\n- ĐDĐT: 39\n- Kích hoạt: 35")
    assert looks_like_report("\n".join(f"+ Nhóm ưu tiên số {i}: {i} hồ sơ" for i in range(1, 6)) + "\n* Công tác khác:")
