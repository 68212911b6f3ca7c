"""Remainders ("còn X (chiếm Y%)") are read with their whole and checked: part + remainder = whole, and the stated
share against remainder / whole (issue 10 item 3)."""
from datetime import date

from figures.checks import check_report
from figures.parse import parse_message
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures

YEAR = PeriodSpec("nam", date(2022, 1, 1), date(2022, 12, 31))


def read(text: str) -> list[tuple]:
    return [(f.indicator, f.value, f.denominator, f.rate) for f in parse_message(text).figures]


def findings(text: str) -> list[tuple[str, list[str]]]:
    figs = [FigureInput(f.indicator, f.value, f.denominator, f.rate) for f in parse_message(text).figures]
    return [(f.rule, f.indicators) for f in check_report(PeriodFigures(YEAR, figs))]


def test_the_remainder_of_a_pair_is_stored_with_its_whole_and_share():
    assert read("Cập nhật CMND 9 số: 866/1.714 trường hợp, còn lại 848 (chiếm 49,5%)") == [
        ("lam_sach.cmnd_9_so", 866, 1714, None), ("lam_sach.cmnd_9_so_con_lai", 848, 1714, 49.5)]
    assert read("sai lệch 8/16, còn 8/16 chiếm 50%") == [
        ("lam_sach.sai_lech_cccd", 8, 16, None), ("lam_sach.sai_lech_cccd_con_lai", 8, 16, 50)]


def test_the_remainder_of_the_part_just_named_or_of_its_parent():
    assert read("Đã cấp 7.570 hồ sơ CCCD (6.627 cấp mới, 468 cấp đổi, 473 cấp lại); còn lại 3.134 hồ sơ.")[-1] == (
        "cccd.con_lai", 3134, None, None)
    assert read("trả 9.757 thẻ CCCD, còn lại 949") == [("cccd.tra_the", 9757, None, None),
                                                        ("cccd.the_ton", 949, None, None)]


def test_còn_after_something_without_a_remainder_is_no_figure():
    res = parse_message("định danh 654, còn 20")
    assert [f.indicator for f in res.figures] == ["dinh_danh.ho_so"]
    assert res.unmatched == ["còn 20"]


def test_a_consistent_remainder_raises_nothing():
    assert findings("Cập nhật CMND 9 số: 866/1.714, còn lại 848 (chiếm 49,5%)") == []
    assert findings("Trên địa bàn có 62.989 trường hợp trong độ tuổi cấp CCCD. Đã cấp CCCD lũy kế 53.061 (đạt 84,2%), "
                    "còn lại chưa cấp 9.928 trường hợp") == []


def test_part_plus_remainder_must_make_the_whole():
    assert findings("Cập nhật CMND 9 số: 866/1.714, còn lại 850") == [
        ("remainder.mismatch", ["lam_sach.cmnd_9_so", "lam_sach.cmnd_9_so_con_lai"])]
    got = check_report(PeriodFigures(YEAR, [FigureInput("cccd.trong_do_tuoi", 62989),
                                            FigureInput("cccd.thu_nhan_luy_ke", 53061),
                                            FigureInput("cccd.chua_cap", 9900)]))
    assert [f.rule for f in got] == ["remainder.mismatch"]
    assert "53.061 + còn lại 9.900 = 62.961, không phải 62.989" in got[0].message
    assert "còn lại là 9.928" in got[0].suggestion


def test_a_stated_share_is_checked_against_the_whole():
    assert findings("Cập nhật CMND 9 số: 866/1.714, còn lại 848 (chiếm 40%)") == [
        ("rate.mismatch", ["lam_sach.cmnd_9_so_con_lai"])]
    assert findings("Trên địa bàn có 62.989 trường hợp trong độ tuổi cấp CCCD. Đã cấp CCCD lũy kế 53.061 (đạt 90%), "
                    "còn lại chưa cấp 9.928 trường hợp") == [("rate.mismatch", ["cccd.thu_nhan_luy_ke"])]
