"""The directive profiles (knowledge/directives/*.yaml): they load, validate and state the known facts, each with
its source, and only what their document says (local practice is labelled as such)."""
from __future__ import annotations

from datetime import date

import pytest
import yaml

from knowledge.directives import LOCAL_HEADING, Library, load_directive, load_library, load_sources

KNOWN = {  # so_hieu: (date, issuer), from the sources named in the profiles
    "06/QĐ-TTg": (date(2022, 1, 6), "Thủ tướng Chính phủ"),
    "04/CT-TTg": (date(2024, 2, 11), "Thủ tướng Chính phủ"),
    "452/TTg-KSTT": (date(2023, 5, 23), "Thủ tướng Chính phủ"),
    "05/CT-TTg": (date(2023, 2, 23), "Thủ tướng Chính phủ"),
    "422/QĐ-TTg": (date(2022, 4, 4), "Thủ tướng Chính phủ"),
    "59/2022/NĐ-CP": (date(2022, 9, 5), "Chính phủ"),
    "69/2024/NĐ-CP": (date(2024, 6, 25), "Chính phủ"),
    "01/2023/TT-VPCP": (date(2023, 4, 5), "Văn phòng Chính phủ"),
    "61/2018/NĐ-CP": (date(2018, 4, 23), "Chính phủ"),
    "107/2021/NĐ-CP": (date(2021, 12, 6), "Chính phủ"),
    "45/2020/NĐ-CP": (date(2020, 4, 8), "Chính phủ"),
    "68/2020/QH14": (date(2020, 11, 13), "Quốc hội"),
    "26/2023/QH15": (date(2023, 11, 27), "Quốc hội"),
    "09/2019/NĐ-CP": (date(2019, 1, 24), "Chính phủ"),
    "72/2025/QH15": (date(2025, 6, 16), "Quốc hội"),
}
GOOD = {"so_hieu": "04/CT-TTg", "doc_type": "chi_thi", "title": "Chỉ thị về việc x", "issuer": "Thủ tướng Chính phủ",
        "issued_on": "2024-02-11", "hieu_luc_tu": "2024-02-11", "nguon": ["ghi-chep-du-an"],
        "sections": [{"heading": "a", "text": "b", "nguon": ["ghi-chep-du-an"]}]}


def text_of(so_hieu: str) -> str:
    return " ".join(s.text for s in load_library().get(so_hieu).sections)


def test_every_reference_document_has_a_profile_with_its_facts():
    lib = load_library()
    for so_hieu, (issued, issuer) in KNOWN.items():
        d = lib.get(so_hieu)
        assert d is not None, so_hieu
        assert (d.issued_on, d.issuer) == (issued, issuer), so_hieu
    assert lib.get("5672/C06-TTDLDC").issuer.endswith("Bộ Công an")
    assert lib.get("09/2019/NĐ-CP").effective_on == date(2019, 3, 12)
    assert lib.get("68/2020/QH14").effective_on == date(2021, 7, 1)


def test_replaced_decree_and_its_replacement_name_each_other():
    lib = load_library()
    old, new = lib.get("59/2022/NĐ-CP"), lib.get("69/2024/NĐ-CP")
    assert (old.replaced_by, old.expired_on) == ("69/2024/NĐ-CP", date(2024, 7, 1))
    assert new.replaces == ["59/2022/NĐ-CP"] and new.effective_on == date(2024, 7, 1)
    assert not old.in_force_on(date(2024, 7, 1)) and old.in_force_on(date(2024, 6, 30))


def test_every_fact_names_a_known_source_and_every_source_is_used():
    lib = load_library()
    used = set()
    for d in lib.directives:
        used |= {*d.nguon, *(k for s in d.sections for k in s.nguon)}
        assert d.nguon and all(s.nguon for s in d.sections), d.so_hieu
    assert used == set(lib.sources)  # no source listed for nothing, none missing (the loader checks that)


def test_profiles_are_summaries_and_say_what_is_missing():
    lib = load_library()
    assert all(d.provenance == "tom_tat" and d.full_text == "chưa có toàn văn" for d in lib.directives)
    ct04 = lib.get("04/CT-TTg")
    xa = next(s for s in ct04.sections if "cấp xã" in s.heading)
    assert "chưa xác nhận" in xa.text  # commune-level tasks of Chỉ thị 04 are not confirmed by any source
    assert all(d.effective_on or d.validity_note for d in lib.directives)


def test_decision_06_states_its_lists_in_full():
    qd06 = text_of("06/QĐ-TTg")
    assert "11 dịch vụ của Bộ Công an và 14" in qd06 and "(5) phục vụ chỉ đạo, điều hành" in qd06
    # official service names, not shortened ones
    assert "xác nhận số Chứng minh nhân dân khi đã được cấp thẻ Căn cước công dân" in qd06
    assert "dấu nổi, dấu xi và cấp Giấy chứng nhận đã đăng ký mẫu con dấu" in qd06
    assert "cấp bộ, cấp tỉnh, cấp huyện" in qd06  # the 2022 target, with the source disagreement said


def test_local_practice_is_labelled_and_never_attributed_to_a_directive():
    lib = load_library()
    qd06 = lib.get("06/QĐ-TTg")
    local = [s for s in qd06.sections if s.heading.startswith(LOCAL_HEADING)]
    assert any("đúng, đủ, sạch, sống" in s.text for s in local)
    assert not any("đúng, đủ, sạch, sống" in s.text for s in qd06.sections if s not in local)
    xa = next(s for s in local if "cấp xã" in s.heading)
    assert "Chủ tịch UBND xã làm tổ trưởng" in xa.text and "Phó Trưởng Công an xã" in xa.text
    for s in local:
        assert all(lib.sources[k].loai == "bao_cao_dia_phuong" for k in s.nguon)


def test_two_level_local_government_is_known():
    law = load_library().get("72/2025/QH15")
    text = text_of("72/2025/QH15")
    assert law.doc_type == "luat" and "cấp huyện" in text and "01/7/2025" in text
    assert "cấp tỉnh" in text and "cấp xã" in text


def test_lookup_is_diacritic_and_case_insensitive():
    assert load_library().get("06/qd-ttg").so_hieu == "06/QĐ-TTg"


@pytest.mark.parametrize("change,message", [
    ({"so_hieu": "CT-04"}, "so_hieu"),
    ({"issued_on": None}, "issued_on"),
    ({"issuer": ""}, "issuer"),
    ({"title": ""}, "title"),
    ({"nguon": []}, "nguon"),
    ({"hieu_luc_tu": None}, "ghi_chu_hieu_luc"),
    ({"thay_the_boi": "69/2024/NĐ-CP"}, "het_hieu_luc"),
    ({"sections": [{"heading": "a", "text": "b"}]}, "nguon"),
])
def test_profile_without_its_facts_is_rejected(tmp_path, change, message):
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump({**GOOD, **change}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_directive(p)


def test_profile_missing_the_validity_key_is_rejected(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump({k: v for k, v in GOOD.items() if k != "hieu_luc_tu"}, allow_unicode=True),
                 encoding="utf-8")
    with pytest.raises(ValueError, match="hieu_luc_tu"):
        load_directive(p)


def _library(directory, *profiles: dict) -> Library:
    directory.mkdir()
    for i, d in enumerate(profiles):
        (directory / f"{i}.yaml").write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    return Library([load_directive(p) for p in sorted(directory.glob("*.yaml"))], load_sources())


def test_library_rejects_unknown_sources_one_sided_replacement_and_unlabelled_local_facts(tmp_path):
    with pytest.raises(ValueError, match="unknown sources"):
        _library(tmp_path / "a", {**GOOD, "nguon": ["khong-co"]})
    old = {**GOOD, "so_hieu": "59/2022/NĐ-CP", "doc_type": "nghi_dinh", "thay_the_boi": "69/2024/NĐ-CP",
           "het_hieu_luc": "2024-07-01", "issued_on": "2022-09-05", "hieu_luc_tu": "2022-09-05"}
    new = {**GOOD, "so_hieu": "69/2024/NĐ-CP", "doc_type": "nghi_dinh"}
    with pytest.raises(ValueError, match="thay_the"):
        _library(tmp_path / "b", old, new)
    local = {**GOOD, "sections": [{"heading": "Tổ công tác xã", "text": "x", "nguon": ["bc-hoang-trung-2023"]}]}
    with pytest.raises(ValueError, match=LOCAL_HEADING):
        _library(tmp_path / "c", local)
