"""A unit's report structure as data: the outline format, drafts that follow it (seed reports' structures), and
structures learned from past reports (the seeds)."""
import copy

import pytest
from docx import Document

from common.errors import InvalidInput
from drafting.inputs import DraftInput
from drafting.learn_structure import learn
from drafting.render import render
from drafting.structure import number_label, parse_outline, preset, presets, to_outline
from tests.conftest import SEEDS
from tests.test_drafting_document import WEEK

# seed 002's structure (a weekly report with the superiors' directions and the model projects), as an admin types it
COMMUNE_WEEKLY = """\
1. Công tác tham mưu, chỉ đạo, triển khai, thực hiện | hỏi | số liệu: chỉ đạo
2. Kết quả thực hiện nhiệm vụ {trong kỳ} | số liệu còn lại
3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên | hỏi
4. Kết quả triển khai các mô hình | số liệu: Tổ công tác và mô hình điểm
4.1. Mô hình điểm về đẩy mạnh thực hiện dịch vụ công trực tuyến | hỏi
4.2. Mô hình điểm triển khai thực hiện hiệu quả việc tiếp nhận thông báo lưu trú | hỏi
5. Phương hướng, nhiệm vụ trọng tâm {kỳ tới} | hỏi
"""
# seed 003: a ward's review of one year of Công văn 452
WARD_REVIEW = """\
I. Đánh giá các mặt công tác
1. Về công tác tham mưu, chỉ đạo triển khai | hỏi
2. Về hoàn thiện thể chế | hỏi
3. Về thực hiện dịch vụ công trực tuyến | số liệu: TTHC | dịch vụ công
4. Về hạ tầng công nghệ thông tin | hỏi
5. Về dữ liệu | số liệu: làm sạch; làm giàu
6. Về nguồn lực | hỏi
II. Đánh giá chung | hỏi
III. Khó khăn, vướng mắc
1. Tồn tại, khó khăn, vướng mắc | hỏi
2. Nguyên nhân | hỏi
IV. Kiến nghị, đề xuất | hỏi
V. Phương hướng trong thời gian tới | hỏi
"""
# seed 001: a city's yearly report
CITY_YEARLY = """\
I. Khái quát tình hình và kết quả triển khai Đề án 06 | hỏi
II. Kết quả các mặt công tác | số liệu còn lại
1. Công tác chỉ đạo, triển khai | hỏi | số liệu: Công tác chỉ đạo, triển khai
2. Công tác tuyên truyền | số liệu: tuyên truyền
3. Về hoàn thiện thể chế | hỏi
4. Về thực hiện DVC
a) Đối với 25 DVC thiết yếu | dịch vụ công
5. Nhóm tiện ích phục vụ phát triển kinh tế, xã hội | số liệu: Các nhóm tiện ích khác
a) Công tác cấp CCCD | số liệu: CCCD
6. Hoàn thiện hệ sinh thái phục vụ kết nối, khai thác, bổ sung làm giàu dữ liệu dân cư | số liệu: làm sạch; làm giàu
III. Nhận xét, đánh giá, giải pháp
1. Ưu điểm | hỏi
2. Tồn tại, hạn chế, khó khăn, vướng mắc | hỏi
3. Bài học kinh nghiệm | hỏi
IV. Nhiệm vụ trọng tâm thực hiện trong {kỳ tới} | hỏi
V. Kiến nghị, đề xuất | hỏi
"""


def _headings(data: dict, tmp_path) -> tuple[list[str], str]:
    result = render(DraftInput.from_json(data), tmp_path / "d.docx", with_chart=False)
    doc = Document(str(result.path))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("BC Heading")]
    return heads, "\n".join(p.text for p in doc.paragraphs)


def test_commune_weekly_structure_with_its_extra_sections(tmp_path):
    data = {**copy.deepcopy(WEEK), "structure": COMMUNE_WEEKLY,
            "figures": WEEK["figures"] + [{"indicator": "mo_hinh.so_mo_hinh", "value": 2}],
            "narrative": {"chi_dao": "Tiếp tục chỉ đạo thực hiện Đề án 06.",
                          "tien_do_chi_dao": "Tiếp tục thực hiện Công văn số 761/VPCP-KSTT.",
                          "mo_hinh_diem_ve_day_manh": "Tuyên truyền tại trụ sở tiếp công dân.",
                          "nhiem_vu": "Đẩy mạnh dịch vụ công trực tuyến."}}
    heads, text = _headings(data, tmp_path)
    assert heads == [
        "1. Công tác tham mưu, chỉ đạo, triển khai, thực hiện",
        "2. Kết quả thực hiện nhiệm vụ trong tuần",
        "2.1. Công tác tuyên truyền", "2.2. Cấp CCCD và định danh điện tử",
        "2.3. Giải quyết TTHC và dịch vụ công trực tuyến", "2.4. Làm sạch dữ liệu dân cư", "2.5. Làm giàu dữ liệu dân cư",
        "3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên",
        "4. Kết quả triển khai các mô hình",
        "4.1. Mô hình điểm về đẩy mạnh thực hiện dịch vụ công trực tuyến",
        "5. Phương hướng, nhiệm vụ trọng tâm tuần tới",
    ]
    assert "Tiếp tục thực hiện Công văn số 761/VPCP-KSTT." in text
    assert "- Triển khai 02 mô hình điểm." in text  # the section's figures under the unit's own heading
    assert "4.2." not in text  # a part with nothing to say is left out


def test_ward_review_structure(tmp_path):
    data = {**copy.deepcopy(WEEK), "structure": WARD_REVIEW, "history": [],
            "period": {"kind": "dot_xuat", "start": "2023-04-01", "end": "2024-04-10"},
            "subject": "Tình hình, kết quả 01 năm thực hiện Công văn số 452/TTg-KSTT",
            "figures": [{"indicator": "so_hoa.ho_so_dau_vao", "value": 6702, "denominator": 6715},
                        {"indicator": "tthc.da_giai_quyet", "value": 13274},
                        {"indicator": "dvc.thuong_tru.tiep_nhan", "value": 1022},
                        {"indicator": "lam_sach.cmnd_9_so", "value": 165, "denominator": 165}],
            "narrative": {"chi_dao": "Ban hành Kế hoạch số 48/KH-UBND.", "danh_gia": "Chuyển biến tích cực.",
                          "ton_tai": "Đường truyền chưa ổn định.", "nguyen_nhan": "Thiết bị cũ.",
                          "kien_nghi": "Đầu tư thiết bị.", "nhiem_vu": "Tăng cường tuyên truyền."}}
    heads, text = _headings(data, tmp_path)
    assert heads == [
        "I. ĐÁNH GIÁ CÁC MẶT CÔNG TÁC", "1. Về công tác tham mưu, chỉ đạo triển khai",
        "2. Về thực hiện dịch vụ công trực tuyến", "3. Về dữ liệu",
        "II. ĐÁNH GIÁ CHUNG", "III. KHÓ KHĂN, VƯỚNG MẮC", "1. Tồn tại, khó khăn, vướng mắc", "2. Nguyên nhân",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT", "V. PHƯƠNG HƯỚNG TRONG THỜI GIAN TỚI",
    ]
    assert "+ Đăng ký thường trú: tiếp nhận 1.022 hồ sơ." in text
    assert "- Cập nhật CMND 9 số: 165/165 trường hợp, đạt 100%." in text


def test_city_yearly_structure_numbers_letters_and_the_coming_year(tmp_path):
    data = {**copy.deepcopy(WEEK), "structure": CITY_YEARLY, "history": [],
            "period": {"kind": "nam", "start": "2022-01-01", "end": "2022-12-31"},
            "figures": [{"indicator": "chi_dao.van_ban", "value": 8}, {"indicator": "tuyen_truyen.luot_nguoi", "value": 5272},
                        {"indicator": "dvc.luu_tru.tiep_nhan", "value": 557}, {"indicator": "cccd.thu_nhan", "value": 7570},
                        {"indicator": "lam_sach.cmnd_9_so", "value": 866, "denominator": 1714},
                        {"indicator": "kcb.cccd_luot", "value": 120}],
            "narrative": {"khai_quat": "Khái quát.", "danh_gia": "Ưu điểm.", "nhiem_vu": "Nhiệm vụ.", "kien_nghi": "Đề nghị."}}
    heads, text = _headings(data, tmp_path)
    assert heads == [
        "I. KHÁI QUÁT TÌNH HÌNH VÀ KẾT QUẢ TRIỂN KHAI ĐỀ ÁN 06", "II. KẾT QUẢ CÁC MẶT CÔNG TÁC",
        "1. Công tác chỉ đạo, triển khai", "2. Công tác tuyên truyền", "3. Về thực hiện DVC",
        "a) Đối với 25 DVC thiết yếu", "4. Nhóm tiện ích phục vụ phát triển kinh tế, xã hội",
        "a) Công tác cấp CCCD",
        "5. Hoàn thiện hệ sinh thái phục vụ kết nối, khai thác, bổ sung làm giàu dữ liệu dân cư",
        "III. NHẬN XÉT, ĐÁNH GIÁ, GIẢI PHÁP", "1. Ưu điểm",
        "IV. NHIỆM VỤ TRỌNG TÂM THỰC HIỆN TRONG NĂM 2023", "V. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    assert "+ Thông báo lưu trú: tiếp nhận 557 hồ sơ." in text


@pytest.mark.parametrize("outline", [COMMUNE_WEEKLY, WARD_REVIEW, CITY_YEARLY])
def test_outline_reads_back_as_written(outline):
    once = to_outline(parse_outline(outline))
    assert to_outline(parse_outline(once)) == once
    assert [ln.split(" | ")[0] for ln in once.splitlines()] == [ln.split(" | ")[0] for ln in outline.splitlines()]


def test_asked_parts_are_the_structures_own():
    st = parse_outline(COMMUNE_WEEKLY)
    assert [p.key for p in st.asked()] == ["chi_dao", "tien_do_chi_dao", "mo_hinh_diem_ve_day_manh",
                                           "mo_hinh_diem_trien_khai_thuc", "nhiem_vu"]
    assert st.asked()[1].ask.startswith("Tiến độ thực hiện ý kiến chỉ đạo của cấp trên")
    custom = parse_outline("I. Việc đã làm | hỏi: Tuần này đơn vị đã làm được gì?")
    assert custom.asked()[0].ask == "Tuần này đơn vị đã làm được gì?"


@pytest.mark.parametrize("numbering,path,label", [
    (["roman", "arabic", "dotted"], (3,), "III."), (["roman", "arabic", "dotted"], (2, 4), "4."),
    (["roman", "arabic", "dotted"], (2, 4, 1), "4.1."), (["arabic", "dotted"], (4, 2), "4.2."),
    (["roman", "arabic", "letter"], (2, 5, 2), "b)"), (["roman", "arabic", "letter"], (2, 5, 5), "đ)"),
])
def test_number_labels(numbering, path, label):
    assert number_label(numbering, path) == label


@pytest.mark.parametrize("outline,message", [
    ("I. Kết quả\nKiến nghị", "chưa có số thứ tự"),
    ("I. Kết quả | số liệu: vũ trụ", "Không rõ mục số liệu"),
    ("I. Kết quả | in đậm", "Không hiểu"),
    ("1. Kết quả\n1.1.1. Chi tiết", "nằm dưới một mục chưa có"),
    ("1.1. Kết quả", "mục lớn"),
    ("Mẫu của tôi", "chưa có mục nào"),
    ("I. Dịch vụ | dịch vụ công\n+ Thủ tục lạ | dịch vụ: không có", "Không rõ dịch vụ công"),
    ("I. Kết quả | nhóm tiện ích: 7", "Nhóm tiện ích «7» không có"),
])
def test_bad_outlines_are_refused_with_the_line_at_fault(outline, message):
    with pytest.raises(InvalidInput, match=message):
        parse_outline(outline)


def test_presets_are_valid_and_the_default_keeps_the_usual_parts():
    assert {"mac_dinh", "tuan_xa", "so_ket"} <= set(presets())
    for stem in presets():
        st = preset(stem)
        assert to_outline(parse_outline(to_outline(st))) == to_outline(st)
    assert [p.key for p in preset("mac_dinh").asked()] == ["chi_dao", "ton_tai", "nhiem_vu", "kien_nghi"]


def test_parts_by_utility_group_write_their_groups_figures_and_the_rest_goes_after(tmp_path):
    outline = ("I. Kết quả {trong kỳ} | nguồn số liệu | số liệu còn lại\n"
               "1. Công dân số | nhóm tiện ích: 3\n"
               "2. Dịch vụ công | nhóm tiện ích: 1 | dịch vụ công\n")
    st = parse_outline(outline)
    assert [p.groups for p in st.parts[0].parts] == [[3], [1]] and st.parts[0].source
    assert to_outline(parse_outline(to_outline(st))) == to_outline(st)
    inp = DraftInput.from_json({**copy.deepcopy(WEEK), "structure": outline})
    inp.source_note = "Số liệu tổng hợp từ 3 đơn vị."
    doc = Document(str(render(inp, tmp_path / "g.docx").path))
    text = [p.text for p in doc.paragraphs]
    start = text.index("1. Công dân số")
    assert text[start - 1] == "Số liệu tổng hợp từ 3 đơn vị."  # the note opens the part that asks for it
    services = text.index("2. Dịch vụ công")
    assert any(t.startswith("- Thu nhận") and "CCCD" in t for t in text[start:services])  # group 3: CCCD
    assert "- Kết quả thực hiện các dịch vụ công thiết yếu:" in text[services:]
    assert any("tuyên truyền" in t.lower() for t in text[services:])  # no group: written after, in its section


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not present")
def test_learned_from_the_weekly_seed():
    st = learn(_seed("002"))
    assert [p.title for p in st.parts] == [
        "Công tác tham mưu, chỉ đạo, triển khai, thực hiện", "Kết quả thực hiện nhiệm vụ {trong kỳ}",
        "Tiến độ thực hiện ý kiến chỉ đạo của Chính phủ, Thủ tướng Chính phủ, UNBD tỉnh và các Bộ, ngành trung ương",
        "Kết quả triển khai các mô hình", "Phương hướng, nhiệm vụ trọng tâm {kỳ tới}"]
    assert st.numbering[:2] == ["arabic", "dotted"]
    assert [p.key for p in st.parts] == ["chi_dao", "ket_qua", "tien_do_chi_dao", "mo_hinh", "nhiem_vu"]
    assert st.parts[1].rest and not st.parts[1].ask  # the figures go under "2."
    assert len(st.parts[3].parts) == 7 and all(p.ask for p in st.parts[3].parts)  # 4.1 … 4.7, written by the unit


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not present")
def test_learned_from_the_ward_review_seed():
    st = learn(_seed("003"))
    assert [p.title for p in st.parts] == ["ĐÁNH GIÁ CÁC MẶT CÔNG TÁC", "ĐÁNH GIÁ CHUNG", "KHÓ KHĂN, VƯỚNG MẮC",
                                           "KIẾN NGHỊ, ĐỀ XUẤT", "PHƯƠNG HƯỚNG {kỳ tới}"]
    assert st.numbering[0] == "roman"
    first = st.parts[0]
    assert first.rest and [p.title for p in first.parts][:3] == [
        "Về công tác tham mưu, chỉ đạo triển khai", "Về hoàn thiện thể chế", "Về thực hiện dịch vụ công trực tuyến"]
    assert first.parts[2].figures == ["tthc_dvc"] and first.parts[2].services is not None
    assert [p.key for p in st.parts[2].parts] == ["ton_tai", "nguyen_nhan"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not present")
def test_learned_from_the_yearly_seed_leaves_out_numbered_lists():
    st = learn(_seed("001"))
    assert [p.key for p in st.parts] == ["khai_quat", "ket_qua", "nhan_xet_danh_gia_giai_phap", "nhiem_vu",
                                           "kien_nghi"]
    assert st.parts[3].title == "NHIỆM VỤ TRỌNG TÂM THỰC HIỆN {kỳ tới}" and not st.parts[3].parts
    assert not st.parts[4].parts  # "1. Đề nghị Văn phòng Chính phủ …" is the officer's list, not a heading
    results = st.parts[1]
    assert results.rest and results.parts[3].title == "Về thực hiện DVC" and results.parts[3].services is not None
    assert st.numbering[2] == "letter"


def test_learning_needs_numbered_headings():
    with pytest.raises(ValueError):
        learn("Báo cáo tuần\nTuyên truyền cho 714 lượt người dân.")
