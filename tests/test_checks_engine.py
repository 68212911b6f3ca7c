"""The checks engine (figures/checks.py) on the case set from the seed reports, on properties of the sum and
rate rules, on the demo's consistent history, and through `baocao check --json`."""
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli import app
from common.vnnum import fmt_int
from figures import rules as rules_mod
from figures.checks import check_report, parse_check_request, period_before
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import load_catalogue

CASES = yaml.safe_load((Path(__file__).parent / "data" / "check_cases.yaml").read_text(encoding="utf-8"))["cases"]
WEEK = PeriodSpec("tuan", date(2023, 8, 17), date(2023, 8, 23))


def _check(figures, history=(), **kw):
    """Check figures given as (indicator, value, denominator?, rate?) tuples; history newest first."""
    past, period = [], WEEK
    for h in history:
        period = period_before(period)
        past.append(PeriodFigures(period, [FigureInput(*f) for f in h]))
    return check_report(PeriodFigures(WEEK, [FigureInput(*f) for f in figures]), past, **kw)


def test_case_set_is_large_and_has_both_kinds():
    assert len(CASES) >= 40
    assert sum(bool(c["expect"]) for c in CASES) >= 20 and sum(not c["expect"] for c in CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    current, history, weeks, profile = parse_check_request(case)
    found = check_report(current, history, weeks=weeks, profile=profile)
    assert {f.rule for f in found} == set(case["expect"]), [f.message for f in found]


def test_messages_carry_the_numbers_in_vietnamese_style():
    [f] = _check([("cccd.thu_nhan", 60), ("cccd.cap_moi", 33), ("cccd.cap_doi", 11), ("cccd.cap_lai", 15)])
    assert f.severity == "error" and "33 + 11 + 15 = 59, không phải 60" in f.message
    assert f.indicators == ["cccd.thu_nhan", "cccd.cap_moi", "cccd.cap_doi", "cccd.cap_lai"]
    [f] = _check([("so_hoa.ho_so_dau_vao", 6702, 6715, 91)])
    assert "6.702/6.715 = 99,8%, không phải 91%" in f.message and f.suggestion == "Sửa tỷ lệ thành 99,8%."
    [f] = _check([("dinh_danh.ho_so", 620)], [[("dinh_danh.ho_so", 62)]])
    assert f.severity == "warning" and "cao gấp 10 lần tuần trước (62)" in f.message


def test_fingerprint_is_stable_and_follows_the_values():
    figs = [("cccd.thu_nhan", 60), ("cccd.cap_moi", 33), ("cccd.cap_doi", 11), ("cccd.cap_lai", 15)]
    a, b = _check(figs)[0], _check(figs)[0]
    assert a.fingerprint == b.fingerprint and len(a.fingerprint) <= 200
    c = _check([*figs[:3], ("cccd.cap_lai", 14)])[0]
    assert c.rule == a.rule and c.fingerprint != a.fingerprint


def test_absent_figures_are_not_reported_while_figures_arrive():
    history = [[("dinh_danh.ho_so", 50)]] * 3
    assert [f.rule for f in _check([("cccd.cap_moi", 30)], history)] == ["missing.regular"]
    assert _check([("cccd.cap_moi", 30)], history, complete=False) == []


def test_errors_come_before_warnings():
    found = _check([("dinh_danh.ho_so", 620), ("lam_sach.cmnd_9_so", 5, 4)], [[("dinh_danh.ho_so", 62)]])
    assert [f.severity for f in found] == ["error", "warning"]


@given(st.sampled_from(load_catalogue().sum_rules()), st.data())
@hsettings(max_examples=150, deadline=None)
def test_sum_rule_holds_exactly_when_parts_add_up(rule, data):
    parent, parts = rule
    values = data.draw(st.lists(st.integers(0, 100_000), min_size=len(parts), max_size=len(parts)))
    figs = list(zip(parts, values))
    assert not _check([(parent, sum(values)), *figs])
    off = data.draw(st.integers(-1000, 1000).filter(lambda d: d != 0 and sum(values) + d >= 0))
    assert "sum.mismatch" in {f.rule for f in _check([(parent, sum(values) + off), *figs])}


@given(st.integers(1, 100_000), st.data())
@hsettings(max_examples=200, deadline=None)
def test_stated_rate_agrees_when_rounded_or_truncated_and_not_when_off(den, data):
    value = data.draw(st.integers(0, den))
    actual = 100 * value / den
    decimals = data.draw(st.integers(0, 2))
    scale = 10 ** decimals
    for stated in (round(actual, decimals), int(actual * scale) / scale):
        rules = {f.rule for f in _check([("so_hoa.ket_qua", value, den, stated)])}
        assert "rate.mismatch" not in rules
    delta = data.draw(st.floats(1.6, 60).filter(lambda d: actual - d >= 0 or actual + d <= 100))
    stated = actual - delta if actual - delta >= 0 else actual + delta
    rules = {f.rule for f in _check([("so_hoa.ket_qua", value, den, round(stated, 2))])}
    assert "rate.mismatch" in rules


def test_every_rule_in_rules_yaml_fires_when_violated():
    rf = rules_mod.load_rules()
    assert rf.rules
    for r in rf.rules:
        assert r.op in ("<=", "<"), "this test builds violations of upper bounds only"
        figs = [(t, 1000.0) for t in r.left]
        figs += [(t, 1.0) for t in r.right if not t.startswith("profile.")]
        profile = {t.split(".", 1)[1]: 1 for t in r.right if t.startswith("profile.")}
        found = [f for f in _check(figs, profile=profile) if f.rule == r.id]
        assert found, r.id
        assert f"({fmt_int(1000 * len(r.left))})" in found[0].message, r.id


def test_a_new_rule_needs_no_code_change(tmp_path, monkeypatch):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({
        "profile_fields": {"population": "dân số"},
        "rules": [{"id": "tra_the.within_received", "left": ["cccd.tra_the"], "op": "<=",
                   "right": ["cccd.thu_nhan", "profile.population"], "severity": "warning",
                   "message": "Trả thẻ ({left}) nhiều hơn {right_names} ({right})."}]}, allow_unicode=True),
        encoding="utf-8")
    monkeypatch.setattr(rules_mod, "load_rules", lambda: rules_mod.RulesFile.model_validate(
        yaml.safe_load(path.read_text(encoding="utf-8"))))
    [f] = _check([("cccd.tra_the", 90), ("cccd.thu_nhan", 60)], profile={"population": 20})
    assert f.rule == "tra_the.within_received" and f.message.startswith("Trả thẻ (90) nhiều hơn thu nhận")
    assert "(80)" in f.message


def test_rules_file_rejects_unknown_terms():
    with pytest.raises(ValueError, match="unknown term"):
        rules_mod.RulesFile.model_validate({"profile_fields": {}, "rules": [
            {"id": "x", "left": ["khong.co"], "op": "<=", "right": ["cccd.thu_nhan"], "severity": "error",
             "message": "m"}]})


def test_demo_history_is_clean(demo_app):
    from bot.demo import DEMO_UNIT
    from db.models import Report
    from db.repo import people
    from figures.report_data import history_of, period_figures, weeks_within

    db, _ = demo_app
    with db.session() as s:
        unit = people.unit_by_code(s, DEMO_UNIT)
        profile = {"population": unit.population, "population_14plus": unit.population_14plus}
        checked = 0
        for r in s.query(Report).filter(Report.unit_id == unit.id):
            found = check_report(period_figures(s, r), history_of(s, r), weeks=weeks_within(s, r), profile=profile)
            assert found == [], (r.period.label, [f.message for f in found])
            checked += 1
        assert checked >= 11


def _cli(stdin: str):
    return CliRunner().invoke(app, ["check", "--json"], input=stdin)


def test_cli_contract(data_dir):
    req = {"period": {"kind": "tuan", "start": "2023-08-17", "end": "2023-08-23"},
           "figures": [{"indicator": "cccd.thu_nhan", "value": 60}, {"indicator": "cccd.cap_moi", "value": 33},
                       {"indicator": "cccd.cap_doi", "value": 11}, {"indicator": "cccd.cap_lai", "value": 16},
                       {"indicator": "tuyen_truyen.luot_nguoi", "value": 6200}],
           "history": [{"period": {"kind": "tuan", "start": "2023-08-10", "end": "2023-08-16"},
                        "figures": [{"indicator": "tuyen_truyen.luot_nguoi", "value": 620}]}]}
    out = _cli(json.dumps(req))
    assert out.exit_code == 0, out.output
    [f] = json.loads(out.stdout)["findings"]
    assert f["rule"] == "outlier.high" and f["severity"] == "warning"
    assert f["indicators"] == ["tuyen_truyen.luot_nguoi"] and "cao gấp 10 lần tuần trước (620)" in f["message"]
    req["figures"][3]["value"] = 16
    req["history"] = []
    assert json.loads(_cli(json.dumps(req)).stdout) == {"findings": []}


@pytest.mark.parametrize("stdin", ["{not json", "[]", '{"period": {"kind": "tuan"}}',
                                   '{"period": {"kind": "tuan", "start": "2023-08-17", "end": "2023-08-23"}, '
                                   '"figures": [{"indicator": "x", "value": "sáu mươi"}]}'])
def test_cli_rejects_malformed_input_with_exit_code_2(stdin, data_dir):
    out = _cli(stdin)
    assert out.exit_code == 2 and out.stdout == ""
    assert "Dữ liệu vào" in out.stderr
