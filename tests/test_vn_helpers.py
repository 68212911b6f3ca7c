import pytest

from common.vnnum import fmt_int, fmt_num, fmt_pct, rate
from common.vntext import fold, has_diacritics, syllables


@pytest.mark.parametrize("n,expected", [(0, "0"), (7, "7"), (2291, "2.291"), (13303, "13.303"), (1234567, "1.234.567"),
                                        (-1500, "-1.500")])
def test_fmt_int(n, expected):
    assert fmt_int(n) == expected


def test_counts_under_ten_may_take_a_leading_zero():
    assert fmt_int(4, pad2=True) == "04" and fmt_int(12, pad2=True) == "12"


@pytest.mark.parametrize("x,expected", [(5.02, "5,02"), (58.8, "58,8"), (100.0, "100"), (1389.5, "1.389,5")])
def test_fmt_num(x, expected):
    assert fmt_num(x, decimals=2) == expected


def test_fmt_pct_and_rate():
    assert fmt_pct(rate(251, 366)) == "68,6%"
    assert fmt_pct(rate(4, 4)) == "100%"
    assert fmt_pct(rate(48225, 51074)) == "94,4%"
    assert rate(1, 0) is None


def test_fold_removes_diacritics_including_d():
    assert fold("  Định danh  ĐIỆN tử ") == "dinh danh dien tu"
    assert fold("Căn cước công dân") == "can cuoc cong dan"
    assert has_diacritics("cấp mới") and not has_diacritics("cap moi")
    assert syllables("Cấp CCCD: 60 hồ sơ") == ["cap", "cccd", "60", "ho", "so"]
