"""The rendered DOCX, opened with python-docx: page format, header block, numbers, content and structure.

Input figures are seed 002's real weekly numbers (Ngã Bảy, 17/8-23/8/2023) with a made-up prior week.
"""
import copy
import re
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from drafting.build_template import TEMPLATE_PATH, build
from drafting.inputs import DraftInput
from drafting.render import render

WEEK = {
    "unit": {"name": "thành phố Ngã Bảy", "level": "huyen", "parent_name": "tỉnh Hậu Giang", "place": "Ngã Bảy"},
    "period": {"kind": "tuan", "start": "2023-08-17", "end": "2023-08-23"},
    "report_date": "2023-12-01",
    "request": "Công văn số 877/TCT-CAT ngày 02 tháng 6 năm 2023 của Tổ công tác triển khai Đề án 06 tỉnh "
               "Hậu Giang về việc báo cáo định kỳ kết quả triển khai thực hiện Đề án 06/CP",
    "figures": [
        {"indicator": "tuyen_truyen.luot_nguoi", "value": 714},
        {"indicator": "cccd.thu_nhan", "value": 60}, {"indicator": "cccd.cap_moi", "value": 33},
        {"indicator": "cccd.cap_doi", "value": 11}, {"indicator": "cccd.cap_lai", "value": 16},
        {"indicator": "dinh_danh.ho_so", "value": 654},
        {"indicator": "dvc.thuong_tru.tiep_nhan", "value": 106}, {"indicator": "dvc.thuong_tru.truc_tuyen", "value": 97},
        {"indicator": "dvc.luu_tru.tiep_nhan", "value": 212},
        {"indicator": "lam_sach.cmnd_9_so", "value": 4, "denominator": 4},
        {"indicator": "lam_sach.sai_lech_cccd", "value": 8, "denominator": 16},
        {"indicator": "lam_sach.quan_he_thuong_tru", "value": 223, "denominator": 223},
        {"indicator": "lam_giau.hoi_nong_dan", "value": 1389},
        {"indicator": "lam_giau.nguoi_cao_tuoi", "value": 2456},
    ],
    "history": [{"period": {"kind": "tuan", "start": "2023-08-10", "end": "2023-08-16"},
                 "figures": [{"indicator": "cccd.thu_nhan", "value": 55}, {"indicator": "dinh_danh.ho_so", "value": 700},
                             {"indicator": "lam_giau.hoi_nong_dan", "value": 1380},
                             {"indicator": "dvc.thuong_tru.tiep_nhan", "value": 106}]},
                {"period": {"kind": "tuan", "start": "2023-08-03", "end": "2023-08-09"},
                 "figures": [{"indicator": "cccd.thu_nhan", "value": 48}, {"indicator": "dinh_danh.ho_so", "value": 610}]}],
    "narrative": {"nhiem_vu": "Tiếp tục thu nhận hồ sơ CCCD & định danh điện tử <mức 2>."},
    "signer": {"authority": "", "title": "PHÓ CHỦ TỊCH", "name": "Bùi Việt Hà"},
    "recipients": ["Văn phòng UBND tỉnh", "Công an tỉnh;", "Lưu: VT, NCTH."],
}


def _render(tmp_path, data=WEEK, name="bc.docx"):
    result = render(DraftInput.from_json(copy.deepcopy(data)), tmp_path / name)
    return result, Document(str(result.path))


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """The seed-002 week rendered once for the tests that only read it."""
    return _render(tmp_path_factory.mktemp("week"))


def _cells(tables):
    for t in tables:
        for row in t.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                yield from _cells(cell.tables)


def _all_paragraphs(doc):
    yield from doc.paragraphs
    yield from _cells(doc.tables)
    for sec in doc.sections:
        for part in (sec.header, sec.first_page_header, sec.footer):
            yield from part.paragraphs


def _body_text(doc) -> str:
    """The main text: from the opening paragraph to the closing "./." line (no header, no appendix)."""
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, p in enumerate(doc.paragraphs) if p.style.name == "BC Body" and p.text)
    end = next(i for i, t in enumerate(texts) if t.endswith("./."))
    return "\n".join(texts[start:end + 1])


def _occurrences(number: str, text: str) -> int:
    return len(re.findall(rf"(?<![\d.,/]){re.escape(number)}(?![\d]|[.,]\d|%)", text))


def test_page_format_follows_decree_30(week):
    _, doc = week
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    mm = lambda length: round(length.mm, 1)  # noqa: E731 - stored in twips, so 15 mm reads 14.99
    assert 20 <= mm(sec.top_margin) <= 25 and 20 <= mm(sec.bottom_margin) <= 25
    assert 30 <= mm(sec.left_margin) <= 35 and 15 <= mm(sec.right_margin) <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and 13 <= normal.font.size.pt <= 14
    body = [p for p in doc.paragraphs if p.style.name == "BC Body" and p.text]
    assert body
    for p in body:
        assert p.style.font.name == "Times New Roman" and 13 <= p.style.font.size.pt <= 14
        assert p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert 1.0 <= p.style.paragraph_format.first_line_indent.cm <= 1.27
    # page numbers in the header from page 2 only
    assert sec.different_first_page_header_footer
    assert "PAGE" in sec.header._element.xml
    assert not "".join(p.text for p in sec.first_page_header.paragraphs).strip()


def test_header_block_title_and_signature(week):
    _, doc = week
    head = doc.tables[0]
    left, right = head.cell(0, 0).text, head.cell(0, 1).text
    assert "UBND TỈNH HẬU GIANG" in left and "ỦY BAN NHÂN DÂN" in left and "THÀNH PHỐ NGÃ BẢY" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert re.fullmatch(r"Số:\s+/BC-UBND", head.cell(1, 0).text.strip())
    date_p = head.cell(1, 1).paragraphs[0]
    assert date_p.text == "Ngã Bảy, ngày 01 tháng 12 năm 2023"
    assert all(r.italic for r in date_p.runs if r.text.strip())
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1:i + 4] == ["Kết quả triển khai, thực hiện Đề án 06 tuần", "(Từ ngày 17/8 đến ngày 23/8/2023)",
                                  "trên địa bàn thành phố Ngã Bảy"]
    opening = next(t for t in texts if t.startswith("Thực hiện"))
    assert opening.startswith("Thực hiện Công văn số 877/TCT-CAT ngày 02 tháng 6 năm 2023")
    assert "UBND thành phố Ngã Bảy báo cáo" in opening
    sign = doc.tables[1]
    recipients = [p.text for p in sign.cell(0, 0).paragraphs]
    assert recipients == ["Nơi nhận:", "- Văn phòng UBND tỉnh;", "- Công an tỉnh;", "- Lưu: VT, NCTH."]
    signer = [p.text for p in sign.cell(0, 1).paragraphs if p.text]
    assert signer == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Bùi Việt Hà"]


def test_every_figure_written_once_with_right_comparisons(week):
    result, doc = week
    body = _body_text(doc)
    assert result.warnings == []
    for number in ["714", "60", "33", "11", "16", "654", "106", "97", "212", "1.389", "2.456"]:
        assert _occurrences(number, body) == 1, number
    assert "Thu nhận 60 hồ sơ cấp CCCD (cấp mới 33, cấp đổi 11, cấp lại 16), tăng 5 hồ sơ (9,1%) so với tuần trước" in body
    assert "Thu nhận 654 hồ sơ định danh điện tử, giảm 46 hồ sơ (6,6%) so với tuần trước" in body
    assert "Đăng ký thường trú: tiếp nhận 106 hồ sơ, không thay đổi so với tuần trước; trực tuyến 97 hồ sơ, đạt 91,5%" in body
    assert "Cập nhật CMND 9 số: 04/04 trường hợp, đạt 100%" in body
    assert "Cập nhật sai lệch thông tin giữa CCCD và DLDC: 08/16 trường hợp, đạt 50%" in body
    assert "Nhập thông tin Hội Nông dân (lũy kế): 1.389 trường hợp, tăng 9 trường hợp so với tuần trước" in body
    assert "Thông báo lưu trú: tiếp nhận 212 hồ sơ." in body  # no prior figure: no comparison invented
    assert body.endswith("trên địa bàn thành phố Ngã Bảy./.")


def test_structure_leaves_out_empty_sections_and_keeps_order(week):
    _, doc = week
    h1 = [p.text for p in doc.paragraphs if p.style.name == "BC Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "BC Heading 2"]
    assert h1 == ["I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRONG TUẦN", "II. NHIỆM VỤ TRỌNG TÂM TUẦN TỚI"]
    assert h2 == ["1. Công tác tuyên truyền", "2. Cấp CCCD và định danh điện tử",
                  "3. Giải quyết TTHC và dịch vụ công trực tuyến", "4. Làm sạch dữ liệu dân cư",
                  "5. Làm giàu dữ liệu dân cư"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "TỒN TẠI" not in text and "KIẾN NGHỊ" not in text and " 0 " not in text
    assert "Tiếp tục thu nhận hồ sơ CCCD & định danh điện tử <mức 2>." in text  # escaped, not lost


def test_no_template_tags_remain_and_appendix_toggles(tmp_path):
    result, doc = _render(tmp_path)
    everything = "\n".join(p.text for p in _all_paragraphs(doc))
    assert "{{" not in everything and "{%" not in everything and "}}" not in everything
    assert "PHỤ LỤC" in everything
    rows = [[c.text for c in r.cells] for r in doc.tables[2].rows]
    assert rows[1] == ["1", "Đăng ký thường trú", "Bộ Công an", "106", "97", "91,5%"]
    assert result.chart is not None and result.chart.read_bytes()[:4] == b"\x89PNG"
    with zipfile.ZipFile(result.path) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())  # the chart is in the appendix
    _, doc2 = _render(tmp_path, {**WEEK, "appendix": False}, "b2.docx")
    assert "PHỤ LỤC" not in "\n".join(p.text for p in _all_paragraphs(doc2))
    assert len(doc2.tables) == 2


@pytest.mark.parametrize("kind,start,end,subject", [
    ("thang", "2026-10-01", "2026-10-31", "Kết quả triển khai, thực hiện Đề án 06 tháng 10/2026"),
    ("quy", "2024-07-01", "2024-09-30", "Kết quả triển khai, thực hiện Đề án 06 quý III/2024"),
    ("sau_thang", "2024-01-01", "2024-06-30", "Kết quả sơ kết triển khai, thực hiện Đề án 06 6 tháng đầu năm 2024"),
    ("nam", "2023-01-01", "2023-12-31", "Kết quả tổng kết triển khai, thực hiện Đề án 06 năm 2023"),
])
def test_subject_follows_report_kind(tmp_path, kind, start, end, subject):
    data = {**WEEK, "period": {"kind": kind, "start": start, "end": end}, "history": []}
    result, doc = _render(tmp_path, data)
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("BÁO CÁO") + 1] == subject
    assert "so với" not in _body_text(doc)  # no prior period given: no comparison
    assert "Chưa có số liệu kỳ trước" in result.summary[1]


def test_review_report_uses_its_own_subject(tmp_path):
    data = {**WEEK, "period": {"kind": "dot_xuat", "start": "2022-01-06", "end": "2023-12-01"},
            "subject": "Kết quả sơ kết 02 năm thực hiện Đề án 06/CP", "history": []}
    _, doc = _render(tmp_path, data)
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index("BÁO CÁO") + 1:texts.index("BÁO CÁO") + 3] == [
        "Kết quả sơ kết 02 năm thực hiện Đề án 06/CP", "(Từ ngày 6/1/2022 đến ngày 1/12/2023)"]
    body = _body_text(doc)
    assert "UBND thành phố Ngã Bảy báo cáo kết quả sơ kết 02 năm thực hiện Đề án 06/CP, cụ thể như sau:" in body
    assert body.endswith("Trên đây là báo cáo kết quả sơ kết 02 năm thực hiện Đề án 06/CP trên địa bàn "
                         "thành phố Ngã Bảy./.")


def test_unknown_indicator_and_missing_request_are_warned_not_written(tmp_path):
    data = {**WEEK, "request": "", "figures": WEEK["figures"] + [{"indicator": "khong.co", "value": 777}]}
    result, doc = _render(tmp_path, data)
    assert any("khong.co" in w for w in result.warnings)
    assert any("văn bản yêu cầu" in w for w in result.warnings)
    assert "777" not in _body_text(doc)
    assert _body_text(doc).startswith("UBND thành phố Ngã Bảy báo cáo")


def test_stated_rate_that_disagrees_is_warned_and_computed_rate_written(tmp_path):
    figs = [{"indicator": "lam_sach.sai_lech_cccd", "value": 251, "denominator": 366, "rate": 58.7}]
    result, doc = _render(tmp_path, {**WEEK, "figures": figs, "history": []})
    assert "251/366 trường hợp, đạt 68,6%" in _body_text(doc)
    assert any("58,7%" in w and "68,6%" in w for w in result.warnings)


def test_kept_reason_is_used_in_the_sentence(tmp_path):
    figs = [dict(f) for f in WEEK["figures"]]
    figs[1]["note"] = "do tổ chức cấp CCCD lưu động"
    _, doc = _render(tmp_path, {**WEEK, "figures": figs})
    assert "so với tuần trước; do tổ chức cấp CCCD lưu động." not in _body_text(doc)
    assert "tăng 5 hồ sơ (9,1%) so với tuần trước, do tổ chức cấp CCCD lưu động." in _body_text(doc)


def test_committed_template_is_what_the_build_script_makes(tmp_path):
    fresh = build(tmp_path / "t.docx")
    with zipfile.ZipFile(TEMPLATE_PATH) as a, zipfile.ZipFile(fresh) as b:
        for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
            assert a.read(part) == b.read(part), part
