"""Province totals from the communes' approved figures: sums, rates from summed parts, who is included."""
from __future__ import annotations

from datetime import date

import pytest

from figures.periods import PeriodSpec
from figures.types import FigureInput as F
from knowledge.catalogue import load_catalogue
from province.key_figures import KEY_FIGURES
from province.rollup import roll_up

WEEK = PeriodSpec("tuan", date(2026, 11, 16), date(2026, 11, 22))


def test_counts_are_summed_and_each_total_knows_its_communes():
    r = roll_up(load_catalogue(), WEEK, ["a", "b", "c"],
                {"a": [F("cccd.thu_nhan", 60), F("dinh_danh.ho_so", 10)], "b": [F("cccd.thu_nhan", 40)]})
    assert r.totals["cccd.thu_nhan"].value == 100
    assert r.totals["cccd.thu_nhan"].units == ("a", "b")
    assert r.totals["dinh_danh.ho_so"].units == ("a",)
    assert r.included == ["a", "b"] and r.coverage == "2/3"


def test_rates_come_from_summed_numerators_and_denominators_not_averaged():
    # commune a: 1/2 = 50%, commune b: 90/100 = 90%; the average of rates would say 70%
    r = roll_up(load_catalogue(), WEEK, ["a", "b"],
                {"a": [F("lam_sach.cmnd_9_so", 1, 2, rate=50.0)], "b": [F("lam_sach.cmnd_9_so", 90, 100, rate=90.0)]})
    t = r.totals["lam_sach.cmnd_9_so"]
    assert (t.value, t.denominator) == (91, 102)
    assert t.rate == pytest.approx(100 * 91 / 102)  # 89,2%, not 70%
    assert r.ratio("lam_sach.cmnd_9_so") == pytest.approx(89.215, abs=0.01)


def test_a_rate_between_two_indicators_is_recomputed_from_their_totals():
    r = roll_up(load_catalogue(), WEEK, ["a", "b"],
                {"a": [F("tthc.tiep_nhan", 10), F("tthc.tiep_nhan_truc_tuyen", 9)],
                 "b": [F("tthc.tiep_nhan", 990), F("tthc.tiep_nhan_truc_tuyen", 99)]})
    online = next(k for k in KEY_FIGURES if k.numerator == "tthc.tiep_nhan_truc_tuyen")
    assert online.value(r) == pytest.approx(10.8)  # 108/1000, where the mean of 90% and 10% is 50%
    assert online.text(r) == "10,8%"


def test_a_denominator_missing_in_one_commune_gives_no_rate_rather_than_a_wrong_one():
    r = roll_up(load_catalogue(), WEEK, ["a", "b"],
                {"a": [F("lam_sach.sai_lech_cccd", 5, 10)], "b": [F("lam_sach.sai_lech_cccd", 7)]})
    t = r.totals["lam_sach.sai_lech_cccd"]
    assert t.value == 12 and t.denominator is None and t.rate is None


def test_cumulative_figures_are_summed_over_approved_communes_only():
    # commune c has no approved report this period: its earlier cumulative figure is not carried forward
    r = roll_up(load_catalogue(), WEEK, ["a", "b", "c"],
                {"a": [F("lam_giau.hoi_nong_dan", 1389)], "b": [F("lam_giau.hoi_nong_dan", 2011)]})
    assert r.totals["lam_giau.hoi_nong_dan"].value == 3400
    assert "c" not in r.totals["lam_giau.hoi_nong_dan"].units


def test_the_province_own_figures_are_added_on_top_and_marked():
    r = roll_up(load_catalogue(), WEEK, ["a"], {"a": [F("kcb.cccd_luot", 30)]},
                own=[F("kcb.cccd_luot", 3000), F("an_sinh.chi_tra_tai_khoan", 860)])
    assert r.totals["kcb.cccd_luot"].value == 3030 and r.totals["kcb.cccd_luot"].own
    assert r.totals["an_sinh.chi_tra_tai_khoan"].units == () and r.totals["an_sinh.chi_tra_tai_khoan"].own
    assert r.coverage == "1/1"


def test_no_approved_commune_gives_no_totals():
    r = roll_up(load_catalogue(), WEEK, ["a", "b"], {})
    assert r.totals == {} and r.coverage == "0/2"
