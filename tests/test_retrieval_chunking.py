"""Structure-aware chunking of Vietnamese legal and report text."""
from __future__ import annotations

import pytest

from retrieval.chunking import MAX_CHARS, chunk_sections, chunk_text, heading_rank
from tests.conftest import SEEDS

LEGAL = """CHỈ THỊ
Về việc thí điểm
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
1. Khoản một nói về phạm vi áp dụng đối với cấp xã.
a) Điểm a nói về Công an xã.
b) Điểm b nói về UBND xã.
Điều 2. Đối tượng áp dụng
Cơ quan, tổ chức, cá nhân có liên quan.
PHỤ LỤC 01
STT | Nhiệm vụ | Kết quả
1 | Làm sạch dữ liệu | 94,4%
"""


def test_legal_structure_gives_section_paths():
    chunks = chunk_text(LEGAL)
    by_text = {c.text.splitlines()[-1]: c.section for c in chunks}
    assert by_text["a) Điểm a nói về Công an xã."].endswith(
        "Chương I > Điều 1. Phạm vi điều chỉnh > 1. Khoản một nói về phạm vi áp dụng đối với cấp xã. > "
        "a) Điểm a nói về Công an xã.")
    assert by_text["Cơ quan, tổ chức, cá nhân có liên quan."] == "Chương I > Điều 2. Đối tượng áp dụng"
    assert by_text["1 | Làm sạch dữ liệu | 94,4%"] == "PHỤ LỤC 01"  # a Phụ lục closes the chapter


@pytest.mark.parametrize("line,rank", [
    ("I. KHÁI QUÁT TÌNH HÌNH", 3), ("II. KẾT QUẢ CÁC MẶT CÔNG TÁC", 3), ("1. Công tác chỉ đạo", 4),
    ("1.2. Kết quả thành lập Tổ công tác", 5), ("a) Đối với 25 DVC thiết yếu:", 7), ("Điều 3. Hiệu lực", 3),
    ("2022 – 2025, tầm nhìn 2030 trên địa bàn xã", None), ("48.225/51.074 dữ liệu (94,4%)", None),
    ("Cấp CCCD: 60 hồ sơ.", None),
])
def test_heading_rank(line, rank):
    assert heading_rank(line) == rank


def test_seed_report_chunks_keep_document_structure_and_size():
    text = (SEEDS / "000_dd2132336ef922f7.txt").read_text(encoding="utf-8")
    chunks = chunk_text(text)
    assert all(len(c.text) <= MAX_CHARS + 50 for c in chunks)
    tct = [c for c in chunks if "1.2. Kết quả thành lập Tổ công tác" in c.section]
    assert tct and all(c.section.startswith("II. KẾT QUẢ CÁC MẶT CÔNG TÁC > 1. Công tác chỉ đạo") for c in tct)
    # nothing is lost: every sentence-bearing line of the report is in some chunk
    joined = " ".join(c.text for c in chunks)
    assert "dân số 5773 người" in joined
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_long_section_is_split_with_the_same_path():
    body = "Câu thứ nhất về làm sạch dữ liệu dân cư. " * 60
    chunks = chunk_sections([("Dữ liệu dân cư", body)])
    assert len(chunks) > 2
    assert {c.section for c in chunks} == {"Dữ liệu dân cư"}
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
