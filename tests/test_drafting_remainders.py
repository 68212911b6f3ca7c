"""Remainders ("còn lại") in the draft: written after their part with their share of the whole computed here, the
whole just before; figures counted in another unit inside the sentence of the figure given with them."""
import copy
from datetime import date

from docx import Document

from drafting.inputs import DraftInput
from drafting.patterns import Pattern, load_patterns
from drafting.render import render
from drafting.sentences import SentenceWriter
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import load_catalogue
from tests.test_drafting_document import WEEK

YEAR = PeriodSpec("nam", date(2022, 1, 1), date(2022, 12, 31))


def _writer(*figs: FigureInput, notes: dict | None = None) -> SentenceWriter:
    return SentenceWriter(load_catalogue(), PeriodFigures(YEAR, list(figs)), [], notes)


def test_the_whole_comes_just_before_the_figures_it_is_the_whole_of():
    """As seed 001 gives them: wholes, parts and remainders of the CCCD figures, in catalogue order."""
    w = _writer(FigureInput("cccd.thu_nhan", 7570), FigureInput("cccd.con_lai", 3134),
                FigureInput("cccd.thu_nhan_luy_ke", 53061), FigureInput("cccd.chua_cap", 9928),
                FigureInput("cccd.trong_do_tuoi", 62989), FigureInput("cccd.can_cap", 10704),
                FigureInput("cccd.nhan_the", 10706), FigureInput("cccd.nop_cc02", 18224),
                FigureInput("cccd.nop_cc02_con_lai", 33554), FigureInput("cccd.tra_the", 9757),
                FigureInput("cccd.the_ton", 949))
    assert w.section_sentences("cccd_dinh_danh") == [
        "Hồ sơ CCCD cần cấp trong kỳ cho công dân trong độ tuổi: 10.704 hồ sơ.",
        "Công dân trong độ tuổi cấp CCCD trên địa bàn: 62.989 trường hợp.",
        "Thu nhận 7.570 hồ sơ cấp CCCD, còn 3.134 hồ sơ trong độ tuổi phải cấp, chiếm 29,3%; lũy kế 53.061 hồ sơ, "
        "còn 9.928 trường hợp trong độ tuổi chưa được cấp, chiếm 15,8%.",
        "Nộp 18.224 hồ sơ CC02 về PC06, còn 33.554 hồ sơ chưa nộp.",
        "Nhận về 10.706 thẻ CCCD để trả cho công dân.",
        "Trả 9.757 thẻ CCCD cho công dân, còn tồn 949 thẻ chưa trả, chiếm 8,9%.",
    ]
    assert w.used == set(w.figs)


def test_a_remainder_without_its_part_reads_alone_after_its_whole():
    w = _writer(FigureInput("cccd.chua_cap", 9928), FigureInput("cccd.trong_do_tuoi", 62989))
    assert w.section_sentences("cccd_dinh_danh") == [
        "Công dân trong độ tuổi cấp CCCD trên địa bàn: 62.989 trường hợp.",
        "Công dân trong độ tuổi chưa được cấp CCCD: 9.928 trường hợp, chiếm 15,8%."]


def test_the_share_is_computed_and_a_stated_share_that_disagrees_is_warned_about():
    right = _writer(FigureInput("lam_sach.cmnd_9_so", 866, 1714), FigureInput("lam_sach.cmnd_9_so_con_lai", 848, 1714, 49.5))
    wrong = _writer(FigureInput("lam_sach.cmnd_9_so", 866, 1714), FigureInput("lam_sach.cmnd_9_so_con_lai", 848, 1714, 40))
    expected = ["Cập nhật CMND 9 số: 866/1.714 trường hợp, đạt 50,5%, còn 848 trường hợp chưa cập nhật, chiếm 49,5%."]
    assert right.section_sentences("lam_sach") == expected and right.warnings == []
    assert wrong.section_sentences("lam_sach") == expected
    assert wrong.warnings == ["Cập nhật CMND 9 số: còn lại: tỷ lệ ghi 40% khác tỷ lệ tính được 49,5%; "
                              "dự thảo dùng tỷ lệ tính được."]


def test_a_reason_kept_for_the_remainder_is_written_after_it():
    w = _writer(FigureInput("cccd.tra_the", 9757), FigureInput("cccd.the_ton", 949),
                notes={"cccd.the_ton": "một số công dân làm ăn xa chưa về nhận"})
    assert w.section_sentences("cccd_dinh_danh") == [
        "Trả 9.757 thẻ CCCD cho công dân, còn tồn 949 thẻ chưa trả; thẻ còn tồn: một số công dân làm ăn xa chưa về "
        "nhận."]


def test_figures_counted_in_another_unit_share_one_sentence():
    w = _writer(FigureInput("tuyen_truyen.hop_thon", 12), FigureInput("tuyen_truyen.hop_thon_luot", 540),
                FigureInput("uu_tien.nhom_2_tai_khoan", 30))
    assert w.section_sentences("tuyen_truyen") == [
        "Tổ chức 12 buổi họp thôn, tổ dân phố tuyên truyền về Đề án 06, có 540 lượt người dự."]
    # without the dossiers it was given with, the accounts figure has its own sentence
    assert w.section_sentences("cccd_dinh_danh") == ["Nhóm ưu tiên số 2: cấp 30 tài khoản định danh điện tử."]


def test_every_remainder_and_figure_in_another_unit_has_its_inside_clause_written():
    cat, patterns = load_catalogue(), load_patterns()
    inside = {i for i, ind in cat.indicators.items() if ind.remainder_of} | \
             {s for ind in cat.indicators.values() for s in ind.by_unit.values()}
    assert sorted(i for i in inside if not patterns.of(cat.indicators[i]).joined) == []


def test_a_pattern_without_an_inside_clause_uses_its_own_sentence():
    ind = load_catalogue().indicators["cccd.the_ton"]
    assert Pattern(pattern="Thẻ CCCD còn tồn: {value} thẻ").joined_clause(ind, "949") == "thẻ CCCD còn tồn: 949 thẻ"


def test_the_draft_writes_the_remainder_with_its_share_and_leaves_nothing_out(tmp_path):
    data = {**copy.deepcopy(WEEK), "history": [], "figures": [
        {"indicator": "lam_sach.sai_lech_cccd", "value": 8, "denominator": 16},
        {"indicator": "lam_sach.sai_lech_cccd_con_lai", "value": 8, "denominator": 16},
        {"indicator": "cccd.nhan_the", "value": 10706}, {"indicator": "cccd.tra_the", "value": 9757},
        {"indicator": "cccd.the_ton", "value": 949}]}
    result = render(DraftInput.from_json(data), tmp_path / "x.docx", with_chart=False)
    text = "\n".join(p.text for p in Document(str(result.path)).paragraphs)
    assert "- Nhận về 10.706 thẻ CCCD để trả cho công dân.\n" \
           "- Trả 9.757 thẻ CCCD cho công dân, còn tồn 949 thẻ chưa trả, chiếm 8,9%." in text
    assert "- Cập nhật sai lệch thông tin giữa CCCD và DLDC: 08/16 trường hợp, đạt 50%, còn 08 trường hợp chưa cập " \
           "nhật, chiếm 50%." in text
    assert not [w for w in result.warnings if "chưa được đưa vào dự thảo" in w]
