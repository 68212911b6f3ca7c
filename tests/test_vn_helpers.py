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


def test_strip_diacritics_drops_exactly_the_combining_marks():
    """The translate table gives what the per-character definition gives: NFD, then no Mn, đ → d."""
    import unicodedata

    from common.vntext import strip_diacritics

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.translate(str.maketrans({"đ": "d", "Đ": "D"})))
        return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")

    chars = [chr(cp) for cp in [*range(0x20, 0x3000), *range(0x1E00, 0x1F00), *range(0xFB00, 0xFB50)]]
    assert [strip_diacritics(c) for c in chars] == [reference(c) for c in chars]
    text = "Đề án 06: cấp Căn cước cho 1.389 người – tỷ lệ 58,8% (Hòa An, ĐĐ)"
    assert strip_diacritics(text) == reference(text) == "De an 06: cap Can cuoc cho 1.389 nguoi – ty le 58,8% (Hoa An, DD)"


def test_folding_any_text_keeps_the_marks_table_small():
    """A hostile message of every CJK character folds as it is and leaves no per-character memory behind."""
    from common.vntext import _STRIP

    cjk = "".join(chr(cp) for cp in range(0x4E00, 0xA000))
    before = len(_STRIP)
    assert fold(cjk) == cjk
    assert len(_STRIP) == before
