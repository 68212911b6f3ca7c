"""Figure sentences and document wording, without rendering a DOCX."""
from datetime import date

import pytest

from drafting.inputs import Signer
from drafting.sections import build_body, find_slot
from drafting.sentences import SentenceWriter, part_label
from drafting.wording import agency_lines, opening, place_date, recipient_lines
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import load_catalogue
from tests.test_drafting_document import WEEK

WEEK_SPEC = PeriodSpec("tuan", date(2023, 8, 17), date(2023, 8, 23))


def _pf(spec, **values):
    figs = []
    for k, v in values.items():
        ind = k.replace("__", ".")
        figs.append(FigureInput(ind, *v) if isinstance(v, tuple) else FigureInput(ind, v))
    return PeriodFigures(spec, figs)


def _prev_week(spec, weeks=1):
    from datetime import timedelta
    return PeriodSpec("tuan", spec.start - timedelta(days=7 * weeks), spec.end - timedelta(days=7 * weeks))


@pytest.mark.parametrize("d,expected", [
    (date(2023, 12, 1), "Hòa An, ngày 01 tháng 12 năm 2023"),
    (date(2024, 2, 5), "Hòa An, ngày 05 tháng 02 năm 2024"),
    (date(2024, 1, 15), "Hòa An, ngày 15 tháng 01 năm 2024"),
    (date(2024, 3, 9), "Hòa An, ngày 09 tháng 3 năm 2024"),
    (date(2024, 11, 25), "Hòa An, ngày 25 tháng 11 năm 2024"),
])
def test_date_line_leading_zeros(d, expected):
    assert place_date("Hòa An", d) == expected


@pytest.mark.parametrize("parent,part,label", [
    ("Thu nhận hồ sơ cấp CCCD", "Cấp mới CCCD", "cấp mới"),
    ("Kích hoạt tài khoản định danh điện tử", "Kích hoạt tài khoản định danh điện tử mức 2", "mức 2"),
    ("Hồ sơ TTHC tiếp nhận mới", "Hồ sơ TTHC tiếp nhận qua bưu chính", "qua bưu chính"),
    ("Đăng ký thường trú: hồ sơ tiếp nhận", "Đăng ký thường trú: chưa phân loại", "chưa phân loại"),
])
def test_part_labels(parent, part, label):
    assert part_label(parent, part) == label


def test_parts_twin_and_comparison_in_one_sentence():
    cat = load_catalogue()
    cur = _pf(WEEK_SPEC, cccd__thu_nhan=60, cccd__cap_moi=33, cccd__cap_doi=11, cccd__cap_lai=16,
              cccd__thu_nhan_luy_ke=4652, dinh_danh__kich_hoat=45, dinh_danh__kich_hoat_muc_1=5,
              dinh_danh__kich_hoat_muc_2=40)
    prev = _pf(_prev_week(WEEK_SPEC), cccd__thu_nhan=55, dinh_danh__kich_hoat=45)
    w = SentenceWriter(cat, cur, [prev])
    assert w.section_sentences("cccd_dinh_danh") == [
        "Thu nhận 60 hồ sơ cấp CCCD (cấp mới 33, cấp đổi 11, cấp lại 16), tăng 5 hồ sơ (9,1%) so với tuần "
        "trước; lũy kế 4.652 hồ sơ.",
        "Kích hoạt 45 tài khoản định danh điện tử (mức 1: 05, mức 2: 40), không thay đổi so với tuần trước.",
    ]
    assert w.used == {i.indicator for i in cur.figures}


def test_comparison_names_a_non_adjacent_period():
    cat = load_catalogue()
    cur = _pf(WEEK_SPEC, dinh_danh__ho_so=100)
    old = _pf(_prev_week(WEEK_SPEC, 3), dinh_danh__ho_so=80)
    [sentence] = SentenceWriter(cat, cur, [old]).section_sentences("cccd_dinh_danh")
    assert sentence.endswith("tăng 20 hồ sơ (25%) so với tuần 27/7 - 2/8/2023.")


def test_part_without_its_parent_gets_its_own_sentence():
    cat = load_catalogue()
    w = SentenceWriter(cat, _pf(WEEK_SPEC, cccd__cap_moi=2), [])
    assert w.section_sentences("cccd_dinh_danh") == ["Thu nhận 02 hồ sơ cấp mới CCCD."]


def test_signer_lines_and_recipients():
    assert Signer("TM. Ủy ban nhân dân", "Chủ tịch", "Lê Văn Tý").lines() == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert Signer("TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "X").lines() == \
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert recipient_lines(["TCT Đề án 06 huyện"]) == ["- TCT Đề án 06 huyện;", "- Lưu: VT."]
    assert agency_lines("Ủy ban nhân dân xã Hoằng Trung") == ["ỦY BAN NHÂN DÂN", "XÃ HOẰNG TRUNG"]


def test_opening_without_repeating_thuc_hien():
    p = WEEK_SPEC
    assert opening("Thực hiện Công văn số 1/UBND ngày 2/1/2024 của UBND huyện.", "UBND xã A", p) == \
        "Thực hiện Công văn số 1/UBND ngày 2/1/2024 của UBND huyện. UBND xã A báo cáo kết quả triển khai, " \
        "thực hiện Đề án 06 trong tuần, cụ thể như sau:"


def test_slots_follow_the_numbers_shown_in_the_draft():
    from drafting.inputs import DraftInput

    cat = load_catalogue()
    inp = DraftInput.from_json({**WEEK, "narrative": {"kien_nghi": "Đề nghị cấp máy đọc QR."}})
    slots = build_body(inp, cat).slots
    assert [(s.number, s.key) for s in slots if "." not in s.number] == [("I", "ket_qua"), ("II", "kien_nghi")]
    assert find_slot(cat, inp.period, slots, "mục 2").key == "kien_nghi"
    assert find_slot(cat, inp.period, slots, "mục II").key == "kien_nghi"
    assert find_slot(cat, inp.period, slots, "mục 1.2").key == "cccd_dinh_danh"
    assert find_slot(cat, inp.period, slots, "tồn tại").key == "ton_tai"  # by name, though not shown yet
    assert find_slot(cat, inp.period, slots, "mục 9") is None
