"""The governing-agency line of the header follows the unit's level and parent and the two-level model."""
import copy
from datetime import date

import pytest
from docx import Document

from drafting.header import governing_agency
from drafting.inputs import DraftInput, level_of
from drafting.render import render
from tests.test_drafting_document import WEEK

TWO_LEVEL = date(2025, 7, 1)


@pytest.mark.parametrize("level,agency,parent,parent_level,on,line", [
    # a commune under the two-level model: no governing line, whatever was stored from before
    ("xa", "UBND HUYỆN MINH GIANG", "", "", date(2026, 11, 25), ""),
    ("xa", "", "tỉnh Thanh Hóa", "tinh", date(2026, 1, 5), ""),
    ("xa", "", "huyện Hoằng Hóa", "huyen", TWO_LEVEL, ""),
    # the same commune's report of 2023 keeps the huyện it had then (seed 000)
    ("xa", "", "huyện Hoằng Hóa", "huyen", date(2023, 12, 1), "UBND HUYỆN HOẰNG HÓA"),
    ("xa", "UBND HUYỆN HOẰNG HÓA", "", "", date(2025, 6, 30), "UBND HUYỆN HOẰNG HÓA"),
    ("xa", "", "", "", date(2023, 12, 1), ""),
    # a huyện-level unit (old data, an intermediate level kept by a province) and the province itself
    ("huyen", "", "tỉnh Hậu Giang", "tinh", date(2023, 8, 24), "UBND TỈNH HẬU GIANG"),
    ("tinh", "UBND X", "", "", date(2023, 8, 24), ""),
])
def test_governing_line(level, agency, parent, parent_level, on, line):
    assert governing_agency(level, agency, parent, parent_level, on) == line


@pytest.mark.parametrize("name,level", [("tỉnh Hậu Giang", "tinh"), ("huyện Hoằng Hóa", "huyen"),
                                        ("thành phố Hạ Long", "huyen"), ("xã Hòa An", "xa"), ("", "")])
def test_level_from_a_name(name, level):
    assert level_of(name) == level


def _left_header(data, tmp_path) -> list[str]:
    result = render(DraftInput.from_json(data), tmp_path / "h.docx", with_chart=False)
    return [p.text for p in Document(str(result.path)).tables[0].cell(0, 0).paragraphs if p.text.strip()]


def test_commune_draft_of_2026_has_no_huyen_above_it(tmp_path):
    """The draft printed "UBND HUYỆN …" above a commune after the huyện level was abolished (issue 14)."""
    data = copy.deepcopy(WEEK)
    data["unit"] = {"name": "xã Hòa An", "level": "xa", "parent_agency": "UBND HUYỆN MINH GIANG", "place": "Hòa An"}
    data["period"], data["report_date"], data["history"] = \
        {"kind": "tuan", "start": "2026-11-16", "end": "2026-11-22"}, "2026-11-25", []
    assert _left_header(data, tmp_path) == ["ỦY BAN NHÂN DÂN", "XÃ HÒA AN"]
    data["report_date"], data["period"] = "2023-12-01", {"kind": "tuan", "start": "2023-11-20", "end": "2023-11-26"}
    assert _left_header(data, tmp_path) == ["UBND HUYỆN MINH GIANG", "ỦY BAN NHÂN DÂN", "XÃ HÒA AN"]
