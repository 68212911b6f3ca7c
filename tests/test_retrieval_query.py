"""Query understanding: document references in any form, question detection, diacritic restoration; BM25."""
from __future__ import annotations

import pytest

from retrieval.query import (
    DiacriticRestorer,
    DocRef,
    document_mentions,
    find_references,
    is_governance_question,
    is_list_question,
    is_validity_question,
    law_mentions,
    looks_like_question,
    passage_levels,
    question_levels,
)

DOCS = [
    DocRef("04/CT-TTg", "chi_thi", 2024, ("Chỉ thị 04",)),
    DocRef("04/CT-UBND", "chi_thi", 2019),
    DocRef("05/CT-TTg", "chi_thi", 2023),
    DocRef("06/QĐ-TTg", "quyet_dinh", 2022, ("Đề án 06",)),
    DocRef("452/TTg-KSTT", "cong_van", 2023),
    DocRef("59/2022/NĐ-CP", "nghi_dinh", 2022),
    DocRef("68/2020/QH14", "luat", 2020, ("Luật Cư trú",)),
]


@pytest.mark.parametrize("question,expected", [
    ("Chỉ thị 04 năm 2024 yêu cầu cấp xã làm gì?", ["04/CT-TTg", "04/CT-UBND"]),
    ("CT 04/2024 là gì", ["04/CT-TTg"]),
    ("ct 04/2019", ["04/CT-UBND"]),
    ("qđ 06 phê duyệt gì", ["06/QĐ-TTg"]),
    ("QD 06", ["06/QĐ-TTg"]),
    ("công văn 452 là gì?", ["452/TTg-KSTT"]),
    ("cong van so 452", ["452/TTg-KSTT"]),
    ("nghị định 59 nói gì", ["59/2022/NĐ-CP"]),
    ("nghi dinh 59/2022", ["59/2022/NĐ-CP"]),
    ("theo 452/TTg-KSTT thì sao", ["452/TTg-KSTT"]),
    ("luat cu tru quy dinh so ho khau", ["68/2020/QH14"]),
    ("nhiệm vụ làm sạch dữ liệu theo văn bản nào?", []),
    ("quyết định 999 là gì", []),
])
def test_references_in_any_form(question, expected):
    assert find_references(question, DOCS) == expected


def test_aliases_can_be_left_out():
    assert find_references("đẩy mạnh đề án 06 năm 2024", DOCS, aliases=False) == []
    assert find_references("đẩy mạnh đề án 06 năm 2024", DOCS) == ["06/QĐ-TTg"]


@pytest.mark.parametrize("text", [
    "Chỉ thị 04 yêu cầu cấp xã làm gì?", "cong van 452 la gi", "chỉ thị 04", "CT 04/2024",
    "nhiệm vụ làm sạch dữ liệu dân cư theo văn bản nào?", "25 dịch vụ công thiết yếu gồm những gì",
    "tháng trước mình báo cáo phần tuyên truyền thế nào?", "sổ hộ khẩu hết giá trị khi nào",
    "nhiệm vụ của Công an xã theo Đề án 06, Chỉ thị 04", "25 dịch vụ công thiết yếu gồm những gì",
])
def test_questions_are_claimed(text):
    assert looks_like_question(text, DOCS)


@pytest.mark.parametrize("text", [
    "cấp CCCD 60", "cấp CCCD 60, mới 33, đổi 11, lại 16", "tuyên truyền 714 lượt", "kích hoạt định danh 654",
    "làm sạch 48.225/51.074", "ok", "tuyên truyền chỉ thị 04 cho 300 người", "cap cccd 60 moi 33",
    "hướng dẫn 30 người cài VNeID", "bản sao trích lục 5",
])
def test_figure_messages_are_not_claimed(text):
    assert not looks_like_question(text, DOCS)


def test_diacritics_restored_from_library_vocabulary():
    r = DiacriticRestorer(["Công an cấp xã đẩy nhanh làm sạch dữ liệu dân cư.", "Đăng ký thường trú, tạm trú."])
    assert r.restore("lam sach du lieu dan cu theo van ban nao?") == "làm sạch dữ liệu dân cư theo van ban nao?"
    assert r.restore("dang ky thuong tru") == "đăng ký thường trú"
    assert r.restore("Đăng ký tạm trú ở đâu") == "Đăng ký tạm trú ở đâu"  # typed with accents: kept


@pytest.mark.parametrize("question,levels", [
    ("Tổ công tác cấp xã do ai làm tổ trưởng?", ["xa"]),
    ("to cong tac de an 06 cap xa do ai lanh dao", ["xa"]),
    ("Công an phường cần làm gì?", ["xa"]),
    ("Chỉ thị 04 yêu cầu bộ trưởng và chủ tịch tỉnh làm gì?", ["tinh", "bo"]),
    ("chi thi 04 yeu cau chu tich tinh lam gi", ["tinh"]),
    ("Từ ngày 01/7/2025 còn cấp huyện không?", ["huyen"]),
    ("Tổ công tác cấp trung ương do ai đứng đầu?", ["bo"]),
    ("phát triển kinh tế - xã hội gồm gì", []),  # "xã hội" is not a commune
    ("tinh hinh thuc hien de an", []),  # "tình hình", not a province
    ("cac phuong thuc thay so ho khau", []),  # "phương thức", not a ward
])
def test_levels_a_question_names(question, levels):
    assert question_levels(question) == levels


def test_levels_a_passage_speaks_of():
    assert passage_levels("Chủ tịch UBND xã làm tổ trưởng") == {"xa"}
    assert passage_levels("phát triển kinh tế - xã hội") == set()
    assert passage_levels("Bộ trưởng và chủ tịch UBND cấp tỉnh") == {"bo", "tinh"}


@pytest.mark.parametrize("question,mentions", [
    ("công văn 877/TCT-CAT là gì?", ["877/TCT-CAT"]),
    ("Nghị định 30/2020 quy định thể thức thế nào?", ["Nghị định 30/2020"]),
    ("quyet dinh 2289/qd-ttg la van ban gi", ["2289/qd-ttg"]),
    ("chỉ thị 04 yêu cầu gì", ["chỉ thị 04"]),
    ("kế hoạch 2024 của xã", []),  # a year, not a number
    ("25 dịch vụ công thiết yếu gồm những gì", []),
    ("báo cáo 28 DVC trực tuyến theo quyết định nào?", []),  # a count, not a number
    ("bao cao 28 dvc truc tuyen theo quyet dinh nao", []),
    ("kế hoạch 15 nhiệm vụ năm nay", []),
])
def test_documents_a_question_names_by_number(question, mentions):
    assert document_mentions(question) == mentions


def test_laws_a_question_names():
    assert law_mentions("Luật Đất đai 2024 quy định thế nào về thu hồi đất?") == ["Luật Đất đai"]
    assert law_mentions("luat cu tru 2020 bat dau co hieu luc khi nao") == ["Luật cu tru"]
    assert law_mentions("luật nào quy định sổ hộ khẩu?") == []


def test_governance_cue_is_a_whole_word():
    assert not is_governance_question("thẻ căn cước thay thẻ căn cước công dân từ khi nào?")  # folds to "can cuoc"
    assert is_governance_question("làm sạch dữ liệu căn cứ văn bản nào?")
    assert is_governance_question("nhiem vu nay theo van ban nao")


def test_list_and_validity_questions():
    assert is_list_question("5 nhóm tiện ích gồm những gì?") and is_list_question("kể tên các dịch vụ công")
    assert not is_list_question("Chỉ thị 04 là gì?")
    assert is_validity_question("Nghị định 69/2024 có hiệu lực từ ngày nào?")
    assert not is_validity_question("Tổ công tác cấp xã do ai làm tổ trưởng?")
