"""Reading official texts (DOCX, PDF, TXT) and the metadata printed on them."""
from __future__ import annotations

from datetime import date

import docx
import pytest

from common.errors import InvalidInput
from retrieval.ingest import read_metadata, read_text

HEAD = ["THỦ TƯỚNG CHÍNH PHỦ", "Số: 04/CT-TTg", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Hà Nội, ngày 11 tháng 02 năm 2024", "CHỈ THỊ",
        "Về tiếp tục đẩy mạnh triển khai Đề án 06 tại các bộ, ngành, địa phương năm 2024",
        "I. NHIỆM VỤ CHUNG", "1. Ủy ban nhân dân cấp xã chỉ đạo Công an xã rà soát dữ liệu dân cư."]


def make_docx(path, lines, table=None):
    d = docx.Document()
    for ln in lines:
        d.add_paragraph(ln)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, val in enumerate(row):
                t.cell(r, c).text = val
    d.save(str(path))
    return path


def make_pdf(path, lines):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8.27, 11.69))
    for i, ln in enumerate(lines):
        fig.text(0.05, 0.95 - i * 0.03, ln, fontsize=8)
    fig.savefig(path)
    plt.close(fig)
    return path


def test_docx_metadata_and_appendix_table(tmp_path):
    p = make_docx(tmp_path / "ct04.docx", HEAD, table=[["STT", "Nhiệm vụ"], ["1", "Làm sạch dữ liệu"]])
    text = read_text(p)
    assert "STT | Nhiệm vụ\n1 | Làm sạch dữ liệu" in text  # tables in reading order, one row a line
    meta = read_metadata(text)
    assert (meta.so_hieu, meta.doc_type, meta.issued_on, meta.issuer) == (
        "04/CT-TTg", "chi_thi", date(2024, 2, 11), "Thủ tướng Chính phủ")
    assert meta.title.startswith("Về tiếp tục đẩy mạnh triển khai Đề án 06")


def test_pdf_metadata(tmp_path):
    meta = read_metadata(read_text(make_pdf(tmp_path / "ct04.pdf", HEAD)))
    assert (meta.so_hieu, meta.doc_type, meta.issued_on) == ("04/CT-TTg", "chi_thi", date(2024, 2, 11))


def test_txt_unit_document_issuer_from_header(tmp_path):
    p = tmp_path / "kh.txt"
    p.write_text("UBND HUYỆN HOẰNG HÓA\nỦY BAN NHÂN DÂN XÃ HOẰNG TRUNG\nSố: 68/KH-UBND\n"
                 "Hoằng Trung, ngày 31 tháng 3 năm 2022\nKẾ HOẠCH\nTriển khai thực hiện Đề án 06\n", encoding="utf-8")
    meta = read_metadata(read_text(p))
    assert (meta.so_hieu, meta.doc_type, meta.issued_on) == ("68/KH-UBND", "ke_hoach", date(2022, 3, 31))
    assert meta.issuer == "ỦY BAN NHÂN DÂN XÃ HOẰNG TRUNG"  # the issuing body, not its parent


def test_unsupported_and_corrupt_files_are_refused_politely(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK")
    with pytest.raises(InvalidInput, match="DOCX, PDF"):
        read_text(bad)
    broken = tmp_path / "y.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(InvalidInput, match="Không đọc được"):
        read_text(broken)


def test_a_resolutions_heading_and_number_give_its_kind():
    text = ("CHÍNH PHỦ\nSố: 57/NQ-CP\nHà Nội, ngày 22 tháng 4 năm 2024\nNGHỊ QUYẾT\nVề việc thử\n")
    assert read_metadata(text).doc_type == "nghi_quyet"  # was "khac": one vocabulary of document kinds now
    assert read_metadata(text.replace("NGHỊ QUYẾT\n", "")).doc_type == "nghi_quyet"  # from the number's "NQ"
