"""Query understanding: document references in any form, question detection, diacritic restoration; BM25."""
from __future__ import annotations

import pytest

from retrieval.query import DiacriticRestorer, DocRef, find_references, looks_like_question

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

