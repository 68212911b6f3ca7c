"""The directive profiles (knowledge/directives/*.yaml): they load, validate and state the known facts."""
from __future__ import annotations

from datetime import date

import pytest

from knowledge.directives import load_directive, load_library

KNOWN = {  # so_hieu: (date, issuer), from the project's reference notes
    "06/QĐ-TTg": (date(2022, 1, 6), "Thủ tướng Chính phủ"),
    "04/CT-TTg": (date(2024, 2, 11), "Thủ tướng Chính phủ"),
    "452/TTg-KSTT": (date(2023, 5, 23), "Thủ tướng Chính phủ"),
    "05/CT-TTg": (date(2023, 2, 23), "Thủ tướng Chính phủ"),
    "422/QĐ-TTg": (date(2022, 4, 4), "Thủ tướng Chính phủ"),
    "59/2022/NĐ-CP": (date(2022, 9, 5), "Chính phủ"),
    "01/2023/TT-VPCP": (date(2023, 4, 5), "Văn phòng Chính phủ"),
    "61/2018/NĐ-CP": (date(2018, 4, 23), "Chính phủ"),
    "107/2021/NĐ-CP": (date(2021, 12, 6), "Chính phủ"),
    "45/2020/NĐ-CP": (date(2020, 4, 8), "Chính phủ"),
    "68/2020/QH14": (date(2020, 11, 13), "Quốc hội"),
    "26/2023/QH15": (date(2023, 11, 27), "Quốc hội"),
    "09/2019/NĐ-CP": (None, "Chính phủ"),
}


def test_every_reference_document_has_a_profile_with_its_facts():
    lib = load_library()
    for so_hieu, (issued, issuer) in KNOWN.items():
        d = lib.get(so_hieu)
        assert d is not None, so_hieu
        assert (d.issued_on, d.issuer) == (issued, issuer), so_hieu
    assert lib.get("5672/C06-TTDLDC").issuer.endswith("Bộ Công an")


def test_profiles_are_summaries_and_say_what_is_missing():
    lib = load_library()
    assert all(d.provenance == "tom_tat" and d.full_text == "chưa có toàn văn" for d in lib.directives)
    ct04 = lib.get("04/CT-TTg")
    xa = next(s for s in ct04.sections if "cấp xã" in s.heading)
    assert "chưa được xác nhận" in xa.text  # the reference marks commune-level tasks unconfirmed
    qd06 = " ".join(s.text for s in lib.get("06/QĐ-TTg").sections)
    assert "11 dịch vụ của Bộ Công an và 14" in qd06 and "(5) phục vụ chỉ đạo, điều hành" in qd06
    assert lib.get("68/2020/QH14").effective_on == date(2021, 7, 1)


def test_lookup_is_diacritic_and_case_insensitive():
    assert load_library().get("06/qd-ttg").so_hieu == "06/QĐ-TTg"


def test_invalid_profile_is_rejected(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("so_hieu: CT-04\ndoc_type: chi_thi\ntitle: x\nissuer: y\nsources: [public]\n"
                 "sections: [{heading: a, text: b}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="so_hieu"):
        load_directive(p)
    p.write_text("so_hieu: 04/CT-TTg\ndoc_type: chi_thi\ntitle: x\nissuer: y\nsources: []\n"
                 "sections: [{heading: a, text: b}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sources"):
        load_directive(p)
