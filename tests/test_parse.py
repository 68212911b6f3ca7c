"""The Vietnamese figure parser: the labelled set, structure, never-figures, periods, corrections, the CLI contract."""
import json
from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app
from figures.parse import ParseContext, parse_correction, parse_message
from figures.periods import PeriodSpec
from tests.parse_cases import load_cases, predicted_keys, run_case, score

CASES = load_cases()


def figs(text: str, **ctx) -> list[tuple]:
    return [(f.indicator, f.value, f.denominator, f.rate)
            for f in parse_message(text, context=ParseContext(**ctx)).figures]


def test_labelled_set_is_large_and_mixed():
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if not c.figures) >= 40  # negatives: dates, document numbers, questions ...
    assert sum(1 for c in CASES if c.text.isascii()) >= 30  # typed without diacritics


@pytest.mark.parametrize("fold", [False, True], ids=["as_written", "no_diacritics"])
def test_quality_targets_on_labelled_set(fold):
    s = score(CASES, fold)
    assert s.f1 >= 0.95, "\n".join(s.errors)
    assert s.from_never == 0
    assert s.period_ok == s.period_total
    assert s.question_ok == s.question_total


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c.known_miss)) if c.known_miss else c for c in CASES
], ids=lambda c: c.text[:50])
def test_labelled_message(case):
    result = run_case(case)
    assert Counter(predicted_keys(result)) == Counter(case.figures)
    if case.period:
        assert result.period == case.period
    assert result.is_question == case.question


def test_parts_go_to_the_children_of_the_indicator_just_named():
    expected = [("cccd.thu_nhan", 45, None, None), ("cccd.cap_moi", 20, None, None),
                ("cccd.cap_doi", 15, None, None), ("cccd.cap_lai", 10, None, None)]
    assert figs("CCCD: 45 (mới 20, đổi 15, lại 10)") == expected
    assert figs("cccd 45 moi 20 doi 15 lai 10") == expected
    # without a parent, "mới"/"đổi" name nothing
    assert figs("mới 20, đổi 15") == []


def test_online_scope_applies_to_the_service_in_context():
    got = figs("Đăng ký tạm trú: tổng số 12 hồ sơ. Trong đó, tiếp nhận trên cổng DVC: tổng số 10 hồ sơ, "
               "đã trả kết quả: 9 hồ sơ")
    assert got == [("dvc.tam_tru.tiep_nhan", 12, None, None), ("dvc.tam_tru.truc_tuyen", 10, None, None)]
    res = parse_message("Đăng ký tạm trú: tổng số 12 hồ sơ. Trong đó, tiếp nhận trên cổng DVC: tổng số 10 hồ sơ, "
                        "đã trả kết quả: 9 hồ sơ")
    assert res.unmatched == ["đã trả kết quả: 9"]  # statuses of online dossiers are not indicators


@pytest.mark.parametrize("text, value", [
    ("CCCD 1.389", 1389), ("CCCD 2.291 hồ sơ", 2291), ("CCCD 02", 2), ("CCCD 00", 0), ("CCCD 1,2 nghìn", 1200),
    ("CCCD 1.5 triệu", 1_500_000), ("CCCD 13.274", 13274), ("CCCD: không có hồ sơ nào", 0),
    ("CCCD không phát sinh", 0), ("CCCD 1,389", 1389),
])
def test_vietnamese_numbers(text, value):
    assert figs(text) == [("cccd.thu_nhan", value, None, None)]


def test_pairs_and_stated_rates():
    assert figs("CMND 9 số 04/04") == [("lam_sach.cmnd_9_so", 4, 4, None)]
    assert figs("đúng hạn 13.274/13.303 hồ sơ đạt 99,8%") == [("tthc.dung_han", 13274, 13303, 99.8)]
    # a stated rate is kept as given even when it disagrees with the pair
    assert figs("số hóa đầu vào 6.065/6.588 hồ sơ = 94,4%") == [("so_hoa.ho_so_dau_vao", 6065, 6588, 94.4)]
    assert figs("xóa trùng 8/17 trường hợp") == [("lam_sach.xoa_trung", 8, 17, None)]
    assert figs("xóa trùng 17/8 trường hợp") == []  # day/month: a date, not 17 of 8


@pytest.mark.parametrize("text", [
    "ngày 17/8 cấp CCCD", "từ 17/8 đến 23/8/2023", "ngày 31/03/2022", "Công văn 452/TTg-KSTT", "Kế hoạch 68/KH-UBND",
    "Quyết định 06/QĐ-TTg", "Nghị định 59/2022/NĐ-CP", "Nghị quyết 09-NQ/TU", "diện tích 5.02 km²", "dân số 5773 người",
    "xã có 7 thôn", "CCCD[1]", "Hậu Giang1", "CCCD²", "Đề án 06 về CCCD", "Chỉ thị 04 về định danh",
    "CCCD gắn chíp cho công dân từ 14 tuổi",
    "tuyên truyền 02 lượt/ngày", "đăng ký thường trú năm 2022 và 2023", "CCCD: số liệu đến 17h",
    "Nghị định 59 quy định định danh 2 mức", "kích hoạt tăng 30 so với tuần trước",
])
def test_never_a_figure(text):
    res = parse_message(text)
    assert res.figures == [] and res.unmatched == []


def test_footnote_marker_glued_to_a_name_keeps_the_name():
    assert figs("CCCD1: 60 hồ sơ") == [("cccd.thu_nhan", 60, None, None)]


def test_context_answers_the_question_the_dialogue_asked():
    assert figs("60", last_indicator="cccd.thu_nhan") == [("cccd.thu_nhan", 60, None, None)]
    assert figs("mới 20, đổi 15", last_indicator="cccd.cap_lai") == [
        ("cccd.cap_moi", 20, None, None), ("cccd.cap_doi", 15, None, None)]
    assert figs("trực tuyến 7", last_indicator="dvc.khai_sinh.tiep_nhan") == [
        ("dvc.khai_sinh.truc_tuyen", 7, None, None)]
    assert figs("60") == []
    assert parse_message("60").unmatched == ["60"]


def test_periods_use_today_for_missing_years():
    today = date(2024, 3, 5)
    p = parse_message("báo cáo tháng 12", context=ParseContext(today=today)).period
    assert p == PeriodSpec("thang", date(2023, 12, 1), date(2023, 12, 31))
    p = parse_message("tuần từ 26/2 đến 3/3", context=ParseContext(today=today)).period
    assert p == PeriodSpec("tuan", date(2024, 2, 26), date(2024, 3, 3))
    p = parse_message("tuần từ 28/12 đến 3/1/2024").period
    assert p == PeriodSpec("tuan", date(2023, 12, 28), date(2024, 1, 3))
    assert parse_message("kích hoạt tăng 30 so với tuần trước").period is None  # a comparison, not the period


def test_questions_and_greetings_yield_no_figures():
    for text in ["Chỉ thị 04 yêu cầu gì…?", "CCCD tuần này được bao nhiêu?", "xin chào", "cam on"]:
        res = parse_message(text)
        assert res.is_question and res.figures == []
    assert not parse_message("CCCD 60").is_question


def test_spans_point_into_the_original_text():
    text = "Tuần này: cấp CCCD 60, định danh 654"
    res = parse_message(text)
    for f in res.figures:
        assert text[f.span[0]:f.span[1]] == f.text
    assert [f.text for f in res.figures] == ["cấp CCCD 60", "định danh 654"]


def test_typos_are_tolerated_only_when_unambiguous():
    assert figs("dinh dan 654") == [("dinh_danh.ho_so", 654, None, None)]
    assert figs("khai xinh 4") == [("dvc.khai_sinh.tiep_nhan", 4, None, None)]
    assert figs("xyz abc 4") == []


@pytest.mark.parametrize("text, expected", [
    ("sửa cấp mới thành 35", [("cccd.cap_moi", 35)]),
    ("cap moi la 35 chu khong phai 33", [("cccd.cap_moi", 35)]),
    ("cấp mới không phải 33 mà là 35", [("cccd.cap_moi", 35)]),
    ("nhầm, định danh 650", [("dinh_danh.ho_so", 650)]),
    ("đổi cấp lại thành 12", [("cccd.cap_lai", 12)]),
    ("sửa lại: CCCD 62, cấp mới 35", [("cccd.thu_nhan", 62), ("cccd.cap_moi", 35)]),
    ("cấp mới 33 đổi thành 35", [("cccd.cap_moi", 35)]),
])
def test_corrections(text, expected):
    got = parse_correction(text)
    assert got is not None
    assert [(f.indicator, f.value) for f in got] == expected


@pytest.mark.parametrize("text", ["cấp mới 35", "CCCD: 45 (mới 20, đổi 15, lại 10)", "xin chào"])
def test_not_a_correction(text):
    assert parse_correction(text) is None


def test_parse_is_deterministic():
    text = "thuong chu 5, cccd 60 moi 33 doi 11 lai 16, so hoa dau vao 6.065/6.588 = 92%"
    first = parse_message(text).as_json()
    assert all(parse_message(text).as_json() == first for _ in range(5))


def test_cli_json_contract():
    runner = CliRunner()
    text = "Tháng 02/2024: CMND 9 số 04/04 (đạt 100%), CCCD 60, ngày 31/03"
    out = runner.invoke(app, ["parse", "--json", text])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["figures"] == [
        {"indicator": "lam_sach.cmnd_9_so", "value": 4.0, "denominator": 4.0, "rate": 100.0,
         "span": [text.index("CMND"), text.index("%") + 1]},
        {"indicator": "cccd.thu_nhan", "value": 60.0, "span": [text.index("CCCD"), text.index("60") + 2]}]
    assert data["period"] == {"kind": "thang", "start": "2024-02-01", "end": "2024-02-29"}
    assert data["unmatched"] == []


def test_cli_jsonl_reads_one_message_per_line():
    runner = CliRunner()
    out = runner.invoke(app, ["parse", "--jsonl", "-"], input="CCCD 60\nChỉ thị 04 yêu cầu gì?\nCCCD 12345 tuổi thọ\n")
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert len(lines) == 3
    assert lines[0]["figures"][0]["indicator"] == "cccd.thu_nhan"
    assert lines[1]["figures"] == [] and lines[1]["is_question"] is True
    assert lines[2]["figures"] == []


def test_correction_of_the_figure_just_asked_for():
    ctx = ParseContext(last_indicator="cccd.cap_moi")
    assert [(f.indicator, f.value) for f in parse_correction("sửa thành 35", context=ctx)] == [("cccd.cap_moi", 35)]
    assert [(f.indicator, f.value) for f in parse_correction("không phải 33 mà là 35", context=ctx)] == [
        ("cccd.cap_moi", 35)]
    assert parse_correction("sửa thành 35") == []  # a correction, but of nothing known


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["CCCD", "cấp mới", "đổi", "định danh", "thường trú", "trực tuyến", "ngày", "17/8",
                                 "452/TTg-KSTT", "04/04", "1.389", "58,8%", "không có", "nào", ":", ",", ";", "(", ")",
                                 "\n+ ", " ", "mức 1", "lũy kế", "sửa", "thành", "2023", "tuần", "tháng 02/2024",
                                 "đạt", "hồ sơ", "0", "12", "?"]), max_size=25))
def test_any_message_parses_with_spans_into_the_text(parts):
    text = " ".join(parts)
    res = parse_message(text)
    for f in res.figures:
        assert text[f.span[0]:f.span[1]] == f.text and f.value >= 0
    assert res.as_json()["figures"] == [f.as_dict() for f in res.figures]
    parse_correction(text)


@pytest.mark.parametrize("text,fragment", [("cấp mới 3o", "3o"), ("cap moi 35a", "35a"), ("định danh -5", "-5")])
def test_mistyped_numbers_are_never_figures(text, fragment):
    r = parse_message(text)
    assert r.figures == []
    assert fragment in r.unmatched


def test_a_unit_glued_to_a_count_is_still_read():
    r = parse_message("Tiếp nhận thủ tục cấp lại, đổi thẻ Căn cước công dân:00hồ sơ.")
    assert [(f.indicator, f.value) for f in r.figures] == [("dvc.cap_doi_cccd.tiep_nhan", 0.0)]


def test_a_name_matched_only_through_a_typo_is_a_guess():
    res = parse_message("dinh dan 654, cccd 60")
    assert [(f.indicator, f.guess) for f in res.figures] == [("dinh_danh.ho_so", True), ("cccd.thu_nhan", False)]
    data = res.as_json()["figures"]
    assert data[0]["guess"] is True and "guess" not in data[1]


def test_only_a_misspelt_word_between_a_name_and_its_number_makes_a_guess():
    # a slip of the thumb ("ngghiệp") may hide the rest of the name meant; real words ("ngày", "tổ chức") do not
    assert [f.guess for f in parse_message("BHXH khu công ngghiệp: 273/273").figures] == [True]
    assert [f.guess for f in parse_message("BHXH khu công nghiệp (danh sách ngày 10/8) đã cập nhật: 273/273").figures] \
        == [False]
    assert [f.guess for f in parse_message("Điều chỉnh thông tin chủ hộ trên DC01 mở rộng: 00/00").figures] == [False]


def test_a_year_named_in_a_figures_own_clause_goes_with_it():
    res = parse_message("Số hóa đầu vào năm 2022: 6.065/6.588; năm 2023: 6.702/6.715",
                        context=ParseContext(today=date(2024, 3, 5)))
    assert [(f.value, f.period.start.year) for f in res.figures] == [(6065, 2022), (6702, 2023)]
    assert res.period == PeriodSpec("nam", date(2022, 1, 1), date(2022, 12, 31))
    data = res.as_json()["figures"]
    assert "period" not in data[0]  # the message's own period
    assert data[1]["period"] == {"kind": "nam", "start": "2023-01-01", "end": "2023-12-31"}


def test_x_over_y_after_a_service_is_online_out_of_received_unless_the_unit_says_otherwise():
    assert figs("cap lai doi the cccd 399/587") == [("dvc.cap_doi_cccd.truc_tuyen", 399, 587, None)]
    assert figs("tạm trú 274/275") == [("dvc.tam_tru.truc_tuyen", 274, 275, None)]
    assert figs("khai sinh 24/126", service_pair_measure="da_giai_quyet") == [
        ("dvc.khai_sinh.da_giai_quyet", 24, 126, None)]


@pytest.mark.parametrize("text, expected", [
    ("cmnd 9 so 5, thieu truong thong tin 3, sai cau truc so dinh danh 06, bhxh tam tru 8",
     [("lam_sach.cmnd_9_so", 5), ("lam_sach.bo_sung_thong_tin", 3), ("lam_sach.huy_so_dinh_danh", 6),
      ("lam_sach.bhxh_tam_tru_kcn", 8)]),
    ("thuong tru moi quan he 223/223", [("lam_sach.quan_he_thuong_tru", 223)]),
    ("bhxh tạm trú khu công nghiệp 371/371", [("lam_sach.bhxh_tam_tru_kcn", 371)]),
    ("hop thon 992 buoi", [("tuyen_truyen.hop_thon", 992)]),
    ("họp thôn 12 buổi, 640 lượt người dự", [("tuyen_truyen.hop_thon", 12), ("tuyen_truyen.hop_thon_luot", 640)]),
    ("nhóm ưu tiên 1: 3 hồ sơ 3 tài khoản", [("uu_tien.nhom_1_ho_so", 3), ("uu_tien.nhom_1_tai_khoan", 3)]),
    ("lưu trú mới đăng ký 6, được tiếp nhận 205", [("dvc.luu_tru.moi_dang_ky", 6), ("dvc.luu_tru.duoc_tiep_nhan", 205)]),
    ("08 nhóm quản lý: 00 trường hợp", [("lam_sach.nhom_quan_ly", 0)]),
    ("con dấu mới 2 hồ sơ", [("dvc.con_dau_moi.tiep_nhan", 2)]),
    ("Hội nghị tuyên truyền 3 buổi", [("tuyen_truyen.hop", 3)]),
])
def test_the_figures_issue_10_found_without_a_place_now_land_where_they_belong(text, expected):
    assert [(f.indicator, f.value) for f in parse_message(text).figures] == expected


def test_cli_json_documents_remainders_and_pairs_as_the_readme_shows():
    text = "Tháng 02/2024: CMND 9 số 866/1.714, còn lại 848 (chiếm 49,5%)"
    out = CliRunner().invoke(app, ["parse", "--json", text])
    assert json.loads(out.output)["figures"] == [
        {"indicator": "lam_sach.cmnd_9_so", "value": 866.0, "denominator": 1714.0, "span": [15, 34]},
        {"indicator": "lam_sach.cmnd_9_so_con_lai", "value": 848.0, "denominator": 1714.0, "rate": 49.5,
         "span": [36, 60]}]
