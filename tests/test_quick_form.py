"""The quick form: rendered from the unit's indicators, read back line by line, exactly (issue 10 item 1)."""
from figures.quick_form import INSTRUCTION, read_form, render_form
from figures.types import FigureInput
from knowledge.catalogue import catalogue_for, load_catalogue

CAT = load_catalogue()
WEEK = ["cccd.thu_nhan", "cccd.cap_moi", "dinh_danh.ho_so", "tuyen_truyen.luot_nguoi", "dvc.thuong_tru.tiep_nhan",
        "lam_sach.cmnd_9_so", "lam_sach.cmnd_9_so_con_lai", "cccd.chua_cap", "uu_tien.nhom_1_tai_khoan"]
TITLE = "Báo cáo tuần 17/8 - 23/8/2023 — xã Hòa An"


def form(current=None, previous=None, indicators=WEEK) -> str:
    return render_form(CAT, indicators, current, previous, TITLE)


def test_one_line_per_indicator_in_section_order_with_last_period_beside_it():
    text = form(previous={"cccd.thu_nhan": FigureInput("cccd.thu_nhan", 52),
                          "lam_sach.cmnd_9_so": FigureInput("lam_sach.cmnd_9_so", 4, 4)})
    lines = text.splitlines()
    assert lines[:2] == [TITLE, INSTRUCTION]
    assert "Thu nhận hồ sơ cấp CCCD: __ hồ sơ (kỳ trước 52)" in lines
    assert "Cập nhật CMND 9 số: __/__ trường hợp (kỳ trước 4/4)" in lines
    assert "Cập nhật CMND 9 số: còn lại: còn __/__ trường hợp" in lines
    assert "Công dân trong độ tuổi chưa cấp CCCD: còn __ trường hợp" in lines
    sections = [line for line in lines if line.startswith("[")]
    assert sections == ["[Cấp CCCD và định danh điện tử]", "[Công tác tuyên truyền]",
                        "[Giải quyết TTHC và dịch vụ công trực tuyến]", "[Làm sạch dữ liệu dân cư]"]
    assert lines.index("[Cấp CCCD và định danh điện tử]") < lines.index("Thu nhận hồ sơ cấp CCCD: __ hồ sơ (kỳ trước 52)")


def test_values_already_given_are_shown_so_only_blanks_are_left():
    text = form(current={"cccd.thu_nhan": FigureInput("cccd.thu_nhan", 1389)})
    assert "Thu nhận hồ sơ cấp CCCD: 1.389 hồ sơ" in text.splitlines()


def test_a_filled_form_reads_back_exactly():
    filled = (form(previous={"cccd.thu_nhan": FigureInput("cccd.thu_nhan", 52)})
              .replace("Thu nhận hồ sơ cấp CCCD: __ hồ sơ", "Thu nhận hồ sơ cấp CCCD: 1.389 hồ sơ")
              .replace("Cấp mới CCCD: __", "Cấp mới CCCD: 00")
              .replace("Thu nhận hồ sơ định danh điện tử: __ hồ sơ", "Thu nhận hồ sơ định danh điện tử: không phát sinh")
              .replace("Cập nhật CMND 9 số: __/__", "Cập nhật CMND 9 số: 866/1.714")
              .replace("còn lại: còn __/__", "còn lại: còn 848/1.714")
              .replace("Nhóm ưu tiên 1: tài khoản định danh: __", "Nhóm ưu tiên 1: tài khoản định danh: 3"))
    got = read_form(filled, CAT, WEEK, title=TITLE)
    assert {k: (f.value, f.denominator) for k, f in got.values.items()} == {
        "cccd.thu_nhan": (1389, None), "cccd.cap_moi": (0, None), "dinh_danh.ho_so": (0, None),
        "lam_sach.cmnd_9_so": (866, 1714), "lam_sach.cmnd_9_so_con_lai": (848, 1714),
        "uu_tien.nhom_1_tai_khoan": (3, None)}
    assert set(got.blank) == {"tuyen_truyen.luot_nguoi", "dvc.thuong_tru.tiep_nhan", "cccd.chua_cap"}
    assert got.unread == []


def test_labels_are_matched_exactly_never_guessed():
    got = read_form("Thu nhan ho so cap CCCD: 12\nThu nhận hồ sơ CCCD: 60\nĐịnh danh: 5", CAT, WEEK)
    assert {k: f.value for k, f in got.values.items()} == {"cccd.thu_nhan": 12}  # diacritics aside, same words
    assert [line for line, _ in got.unread] == ["Thu nhận hồ sơ CCCD: 60", "Định danh: 5"]
    assert all(why == "không khớp dòng nào của mẫu" for _, why in got.unread)


def test_numbers_are_read_whole_or_the_line_is_reported():
    got = read_form("Thu nhận hồ sơ cấp CCCD: 3o\nCấp mới CCCD: 12/15\nCập nhật CMND 9 số: 4/4/4\n"
                    "Thu nhận hồ sơ định danh điện tử: 250.000\nTuyên truyền cho người dân: 12,5 lượt", CAT, WEEK,
                    period_kind="tuan")
    assert got.values == {}
    reasons = dict(got.unread)
    assert reasons["Thu nhận hồ sơ cấp CCCD: 3o"].startswith("không đọc được số")
    assert reasons["Cấp mới CCCD: 12/15"] == "chỉ tiêu này ghi một số, không ghi dạng x/y"
    assert reasons["Cập nhật CMND 9 số: 4/4/4"].startswith("không đọc được số")
    assert "quá lớn" in reasons["Thu nhận hồ sơ định danh điện tử: 250.000"]
    assert "số nguyên" in reasons["Tuyên truyền cho người dân: 12,5 lượt"]


def test_a_line_twice_and_stray_text_are_reported():
    got = read_form("Ghi chú gửi anh\nCấp mới CCCD: 5\nCấp mới CCCD: 6", CAT, WEEK)
    assert {k: f.value for k, f in got.values.items()} == {"cccd.cap_moi": 5}
    assert [why for _, why in got.unread] == ["không khớp dòng nào của mẫu", "dòng này có hai lần trong tin"]


def test_a_stated_rate_is_kept_and_bullets_from_chat_apps_are_ignored():
    got = read_form("• Cập nhật CMND 9 số: 4/4 trường hợp (đạt 100%)", CAT, WEEK)
    assert got.values["lam_sach.cmnd_9_so"] == FigureInput("lam_sach.cmnd_9_so", 4, 4, 100)


def test_a_units_own_indicators_are_in_its_form():
    cat = catalogue_for([{"name": "Cấp CCCD cho học sinh", "unit": "hồ sơ", "section": "cccd_dinh_danh",
                          "parent": "cccd.thu_nhan"}])
    inds = ["cccd.thu_nhan", "rieng.cap_cccd_cho_hoc_sinh"]
    text = render_form(cat, inds)
    assert "Cấp CCCD cho học sinh: __ hồ sơ" in text.splitlines()
    got = read_form(text.replace("Cấp CCCD cho học sinh: __", "Cấp CCCD cho học sinh: 14"), cat, inds)
    assert got.values["rieng.cap_cccd_cho_hoc_sinh"].value == 14 and got.blank == ["cccd.thu_nhan"]
