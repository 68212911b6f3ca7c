"""Which words of a question decide whether a passage answers it, and which asked quantities a passage must
state (retrieval/scope.py)."""
from __future__ import annotations

import pytest

from retrieval.scope import asked_quantity, states_quantity, topic_terms


def test_bigrams_join_only_adjacent_words_of_the_question():
    t = topic_terms("Làm thủ tục hành chính qua mạng thì căn cứ nghị định nào?")
    assert {"thu_tuc", "hanh_chinh", "qua_mang"} <= t
    # across a removed question word, or with a particle the library never pairs: grammar, not topic
    assert not {"cu_nao", "mang_thi", "thi_can"} & t


def test_a_pair_the_library_writes_counts_even_with_a_particle_in_it():
    assert "co_so" in topic_terms("cơ sở dữ liệu dân cư theo văn bản nào?")


@pytest.mark.parametrize("question,kind", [
    ("Mức lương cơ sở là bao nhiêu?", "amount"),
    ("phi bao hiem xe may mot nam bao nhieu tien?", "amount"),
    ("giảm trừ bao nhiêu một tháng?", "amount"),
    ("Lãi suất cho vay hộ nghèo thế nào?", "amount"),
    ("Cả nước có bao nhiêu Công an cấp xã?", "count"),
    ("Chỉ thị 04 yêu cầu cấp xã làm gì?", None),
])
def test_asked_quantity(question, kind):
    assert asked_quantity(question) == kind


def test_an_amount_is_a_sum_or_a_rate_and_a_count_is_no_date_or_document_number():
    assert states_quantity("amount", "Mức đóng bằng 4,5% mức lương cơ sở.")
    assert states_quantity("amount", "Mức hỗ trợ 1.500.000 đồng một tháng.")
    assert not states_quantity("amount", "Giảm trừ mức đóng trong gia hạn thẻ bảo hiểm y tế theo hộ gia đình.")
    assert states_quantity("count", "Cả nước có 3.319 Công an cấp xã.")
    assert not states_quantity("count", "Nghị định 69/2024/NĐ-CP ngày 25/6/2024, giai đoạn 2022 - 2025.")
