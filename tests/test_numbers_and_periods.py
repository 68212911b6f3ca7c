"""Issue 13 item 5: a number is read whole or reported unreadable, never partly; implausible values are refused
with a reason; periods lie between 2020 and next year."""
from datetime import date

import pytest

from figures.parse import ParseContext, parse_message
from figures.plausible import value_problem
from knowledge.catalogue import load_catalogue


def kinds(text: str, **ctx) -> tuple[list, list[str]]:
    res = parse_message(text, context=ParseContext(**ctx))
    return [(f.indicator, f.value, f.denominator) for f in res.figures], [p.kind for p in res.problems]


def test_hundreds_of_digits_do_not_crash_and_are_reported():
    res = parse_message("CCCD " + "9" * 400)
    assert res.figures == []
    [problem] = res.problems
    assert problem.kind == "unreadable" and "Không đọc được số" in problem.message


@pytest.mark.parametrize("typed", ["1e20", "1_000", "10^100", "1..2", "3\u200b5", ".33", "4,,5", "2//3", "12/15/9"])
def test_a_malformed_number_is_unreadable_never_partly_read(typed):
    figures, problems = kinds(f"CCCD {typed}")
    assert figures == []
    assert problems == ["unreadable"]
    assert parse_message(f"CCCD {typed}").problems[0].text.startswith(typed[:2])


@pytest.mark.parametrize("text", ["CCCD 3 tỷ", "CCCD 1.5 triệu", "định danh 250.000"])
def test_a_value_beyond_the_plausible_range_is_refused_with_a_reason(text):
    res = parse_message(text, context=ParseContext(period_kind="tuan"))
    assert res.figures == []
    [problem] = res.problems
    assert problem.kind == "out_of_range" and "quá lớn" in problem.message and "tuần" in problem.message


def test_ranges_depend_on_the_period_kind_the_unit_level_and_the_indicator():
    cat = load_catalogue()
    assert value_problem(cat, "cccd.thu_nhan", 150_000, period_kind="tuan") is not None
    assert value_problem(cat, "cccd.thu_nhan", 150_000, period_kind="nam") is None
    assert value_problem(cat, "cccd.thu_nhan", 150_000, period_kind="tuan", level="huyen") is None
    assert value_problem(cat, "to_cong_tac.thon_thanh_lap", 7, 7) is None
    assert value_problem(cat, "to_cong_tac.thon_thanh_lap", 5_000) is not None  # no commune has 5.000 villages
    assert value_problem(cat, "cccd.thu_nhan_luy_ke", 62_989) is None


def test_x_over_zero_is_refused_but_nothing_of_nothing_is_a_figure():
    figures, problems = kinds("CMND 9 số 33/0")
    assert figures == [] and problems == ["zero_denominator"]
    assert kinds("chủ hộ 00/00") == ([("lam_sach.chu_ho", 0, 0)], [])


def test_negative_and_fractional_counts_are_explained_for_storage():
    cat = load_catalogue()
    assert "không được âm" in value_problem(cat, "cccd.thu_nhan", -5).message
    assert "số nguyên" in value_problem(cat, "cccd.thu_nhan", 33.5).message
    assert value_problem(cat, "so_hoa.ho_so_dau_vao", 6065, 6588) is None


@pytest.mark.parametrize("text", ["/baocao tháng 10/9999", "tháng 02/0001", "năm 2019", "quý 1/2035",
                                  "tuần từ 1/1/3000 đến 7/1/3000"])
def test_periods_outside_2020_to_next_year_are_no_periods(text):
    res = parse_message(text, context=ParseContext(today=date(2026, 11, 25)))
    assert res.period is None
    assert [p.kind for p in res.problems] == ["period_out_of_range"]
    assert "nằm ngoài khoảng báo cáo (2020 – 2027)" in res.problems[0].message


def test_next_year_is_the_last_period_relative_to_the_clock(clock):
    assert parse_message("năm 2027").period is not None  # the frozen clock says 2026
    assert parse_message("năm 2028").period is None
    assert parse_message("tầm nhìn đến năm 2030").period is None


def test_a_padded_year_is_that_year_not_this_century():
    assert parse_message("tháng 02/2024", context=ParseContext(today=date(2024, 3, 5))).period is not None
    assert parse_message("tháng 02/0024", context=ParseContext(today=date(2024, 3, 5))).period is None
    assert parse_message("năm 0000").period is None  # no calendar year at all, and no crash


def test_json_reports_problems_without_changing_the_old_keys():
    data = parse_message("CCCD 3 tỷ, định danh 12").as_json()
    assert set(data) == {"figures", "period", "unmatched", "is_question", "problems"}
    assert data["figures"] == [{"indicator": "dinh_danh.ho_so", "value": 12.0, "span": [11, 23]}]
    assert data["problems"][0]["kind"] == "out_of_range" and data["problems"][0]["indicator"] == "cccd.thu_nhan"
