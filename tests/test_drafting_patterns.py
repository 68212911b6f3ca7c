"""Figure sentences from the patterns written for each indicator (knowledge/templates/sentences.yaml).

Every pattern's example is rendered and compared with the sentence its author wrote; every catalogue indicator has
a pattern of its own; x/y figures keep both numbers and their computed rate.
"""
import copy
from datetime import date, timedelta

import pytest
import yaml
from docx import Document

from drafting.inputs import DraftInput
from drafting.patterns import PATTERNS_PATH, load_patterns
from drafting.render import render
from drafting.sentences import SentenceWriter
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import Catalogue, catalogue_for, load_catalogue
from tests.test_drafting_document import WEEK

WEEK_SPEC = PeriodSpec("tuan", date(2023, 8, 17), date(2023, 8, 23))
PREV_SPEC = PeriodSpec("tuan", WEEK_SPEC.start - timedelta(days=7), WEEK_SPEC.end - timedelta(days=7))
RAW = yaml.safe_load(PATTERNS_PATH.read_text(encoding="utf-8"))


def _catalogue_with_sample_indicator(kind: str) -> Catalogue:
    """The catalogue plus one unit's own indicator of `kind` ("rieng.<kind>")."""
    return catalogue_for([{"name": "Chỉ tiêu mẫu", "unit": "trường hợp", "kind": kind, "section": "tien_ich",
                           "code": kind}])


def _write(cat: Catalogue, ind_id: str, example: dict) -> str:
    figs = [FigureInput(ind_id, example["value"], example.get("denominator"))]
    figs += [FigureInput(p, v) for p, v in (example.get("parts") or {}).items()]
    figs += [FigureInput(i, *(v if isinstance(v, list) else [v])) for i, v in (example.get("with") or {}).items()]
    ind = cat.indicators[ind_id]
    if "twin" in example:
        figs.append(FigureInput(ind.twin, example["twin"]))
    wholes = [FigureInput(i, v) for i, v in (example.get("wholes") or {}).items()]
    history = [PeriodFigures(PREV_SPEC, [FigureInput(ind_id, example["previous"])])] if "previous" in example else []
    w = SentenceWriter(cat, PeriodFigures(WEEK_SPEC, figs + wholes), history)
    sentence = w.sentence(ind_id)
    assert w.used == {f.indicator for f in figs}  # parts, twin, remainder written inside, once; wholes on their own
    return sentence


@pytest.mark.parametrize("ind_id", sorted(RAW["indicators"]))
def test_indicator_pattern_gives_the_sentence_its_author_wrote(ind_id):
    entry = RAW["indicators"][ind_id]
    assert _write(load_catalogue(), ind_id, entry["example"]) == entry["expected"]


@pytest.mark.parametrize("kind", ["flow", "cumulative"])
def test_generic_pattern_for_an_indicator_without_its_own(kind):
    entry = RAW["generic"][kind]
    assert _write(_catalogue_with_sample_indicator(kind), f"rieng.{kind}", entry["example"]) == entry["expected"]


@pytest.mark.parametrize("n", range(len(RAW["services"]["examples"])))
def test_service_sentence_examples(n):
    ex = RAW["services"]["examples"][n]
    sid = ex["service"]
    figs = [FigureInput(f"dvc.{sid}.tiep_nhan", ex["received"], ex.get("denominator"))]
    if "online" in ex:
        figs.append(FigureInput(f"dvc.{sid}.truc_tuyen", ex["online"]))
    figs += [FigureInput(f"dvc.{sid}.{m}", v) for m, v in (ex.get("statuses") or {}).items()]
    history = [PeriodFigures(PREV_SPEC, [FigureInput(f"dvc.{sid}.tiep_nhan", ex["previous"])])] \
        if "previous" in ex else []
    cat = load_catalogue()
    line = SentenceWriter(cat, PeriodFigures(WEEK_SPEC, figs), history).service_sentence(
        cat.services[sid], ex.get("label", ""), as_pair=ex.get("as_pair", False))
    assert line.text == ex["expected"]


def test_every_catalogue_indicator_has_a_pattern_written_for_it():
    cat = load_catalogue()
    own = {i for i, ind in cat.indicators.items() if ind.service is None}
    assert sorted(own - set(load_patterns().indicators)) == []
    assert sorted(set(load_patterns().indicators) - own) == []  # no pattern for an indicator that is gone


def test_every_indicator_reads_as_a_sentence_with_its_number():
    cat = load_catalogue()
    for ind in cat.indicators.values():
        if ind.service is not None:
            continue
        for den in (None, 9):
            sentence = SentenceWriter(cat, PeriodFigures(WEEK_SPEC, [FigureInput(ind.id, 7, den)]), []).sentence(ind.id)
            assert sentence[0].isupper() and sentence.endswith(".") and "{" not in sentence, sentence
            rate = "chiếm 77,8%" if ind.remainder_of else "đạt 77,8%"  # a remainder's share of its whole
            assert ("07/09" in sentence and rate in sentence) if den else "07" in sentence, sentence


def test_meetings_read_naturally():
    """The catalogue name used to be cut around the unit: "Hội nghị, 992 buổi họp tuyên truyền."."""
    cur = PeriodFigures(WEEK_SPEC, [FigureInput("tuyen_truyen.hop", 992)])
    assert SentenceWriter(load_catalogue(), cur, []).section_sentences("tuyen_truyen") == \
        ["Tổ chức 992 buổi hội nghị, họp tuyên truyền."]


def _body(tmp_path, figures, **extra) -> str:
    data = {**copy.deepcopy(WEEK), "figures": figures, "history": [], **extra}
    result = render(DraftInput.from_json(data), tmp_path / "x.docx", with_chart=False)
    doc = Document(str(result.path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_pair_figures_keep_both_numbers_and_their_rate_in_the_docx(tmp_path):
    """Issue 10: "cap lai doi the cccd 399/587" became "tiếp nhận 399 hồ sơ"; làm giàu 48.225/51.074 became
    "48.225 trường hợp"."""
    text = _body(tmp_path, [
        {"indicator": "dvc.cap_doi_cccd.tiep_nhan", "value": 399, "denominator": 587},
        {"indicator": "lam_giau.hoi_nong_dan", "value": 48225, "denominator": 51074},
        {"indicator": "dvc.thuong_tru.tiep_nhan", "value": 1546},
        {"indicator": "dvc.thuong_tru.truc_tuyen", "value": 1512}])
    assert "+ Cấp đổi, cấp lại thẻ CCCD: 399/587 hồ sơ, đạt 68%." in text
    assert "- Kết quả thực hiện các dịch vụ công thiết yếu (trực tuyến/tiếp nhận):" in text
    assert "tiếp nhận 399 hồ sơ" not in text
    assert "Nhập thông tin Hội Nông dân (lũy kế): 48.225/51.074 trường hợp (đã nhập/cần nhập), đạt 94,4%." in text
    assert "Đăng ký thường trú: tiếp nhận 1.546 hồ sơ; trực tuyến 1.512 hồ sơ, đạt 97,8%." in text
    assert "399/587" in text.split("PHỤ LỤC")[1]  # the appendix table too


def test_structure_can_write_services_as_the_unit_does(tmp_path):
    outline = ("1. Kết quả thực hiện {trong kỳ} | số liệu còn lại\n"
               "2. Kết quả thực hiện 11 dịch vụ công của Bộ Công an | dịch vụ công: Bộ Công an | x/y: trực tuyến/tiếp nhận\n"
               "+ Tiếp nhận và giải quyết thủ tục đăng ký thường trú | dịch vụ: thường trú\n"
               "+ Tiếp nhận và giải quyết thủ tục đăng ký tạm trú | dịch vụ: tạm trú\n")
    text = _body(tmp_path, [
        {"indicator": "dvc.thuong_tru.tiep_nhan", "value": 106}, {"indicator": "dvc.thuong_tru.truc_tuyen", "value": 97},
        {"indicator": "dvc.tam_tru.tiep_nhan", "value": 6}, {"indicator": "dvc.tam_tru.truc_tuyen", "value": 6},
        {"indicator": "dvc.khai_sinh.tiep_nhan", "value": 12}], structure=outline)
    assert ("- Kết quả thực hiện các dịch vụ công thiết yếu (trực tuyến/tiếp nhận):\n"
            "+ Tiếp nhận và giải quyết thủ tục đăng ký thường trú: 97/106 hồ sơ, đạt 91,5%.\n"
            "+ Tiếp nhận và giải quyết thủ tục đăng ký tạm trú: 06/06 hồ sơ, đạt 100%.") in text
    # a service the unit's block does not list still goes in the draft, with the rest of the figures
    assert "Đăng ký khai sinh: tiếp nhận 12 hồ sơ." in text


def test_a_removed_figure_is_absent_not_zero(tmp_path):
    figures = [{"indicator": "cccd.thu_nhan", "value": 60}, {"indicator": "dinh_danh.ho_so", "value": 654}]
    before = _body(tmp_path, figures)
    after = _body(tmp_path, figures[:1])
    assert "Thu nhận 654 hồ sơ định danh điện tử." in before
    assert "hồ sơ định danh điện tử" not in after and "654" not in after
    assert " 0 " not in after and " 00 " not in after
