"""Reading official full texts (DOCX, PDF, TXT) and the metadata printed on them.

A Vietnamese administrative document states its number ("Số: 04/CT-TTg"), place and date ("Hà Nội, ngày 11
tháng 02 năm 2024"), issuing body (top-left block) and type (CHỈ THỊ, QUYẾT ĐỊNH ...) in its first lines; we
read those and the admin confirms them before the text is indexed.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from common.docx_text import docx_text
from common.errors import InvalidInput
from common.vntext import fold
from knowledge.vocabulary import vocabulary

SUPPORTED = (".docx", ".pdf", ".txt")

_CODE_ISSUERS = {"ttg": "Thủ tướng Chính phủ", "cp": "Chính phủ", "vpcp": "Văn phòng Chính phủ",
                 "qh": "Quốc hội", "bca": "Bộ Công an", "c06": "Cục Cảnh sát quản lý hành chính về trật tự xã hội"}
_NUMBER = re.compile(r"S[ốo]\s*(?:hiệu)?\s*[:.]?\s*(\d{1,5}(?:/\d{4})?/[A-ZĐa-zđ0-9]+(?:[-.][A-ZĐa-zđ0-9]+)*)")
_ANY_NUMBER = re.compile(r"\b(\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]+)*)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_SHORT_DATE = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_HEAD_CHARS = 1500


@dataclass
class DocMeta:
    so_hieu: str = ""
    doc_type: str = "khac"
    title: str = ""
    issued_on: date | None = None
    issuer: str = ""

    def as_dict(self) -> dict:
        d = asdict(self)
        d["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        return d


def read_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InvalidInput(f"Chỉ nhận tệp DOCX, PDF hoặc TXT (tệp {path.name} không được hỗ trợ).")
    try:
        if suffix == ".docx":
            return docx_text(path)
        if suffix == ".pdf":
            from pypdf import PdfReader

            return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        raw = path.read_bytes()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return raw.decode("cp1258", errors="replace")
    except InvalidInput:
        raise
    except Exception as e:
        raise InvalidInput(f"Không đọc được tệp {path.name}: tệp bị hỏng hoặc không đúng định dạng.") from e


def read_metadata(text: str) -> DocMeta:
    head = text[:_HEAD_CHARS]
    meta = DocMeta()
    m = _NUMBER.search(head) or _ANY_NUMBER.search(head)
    if m:
        meta.so_hieu = m.group(1)
    m = _DATE.search(head) or _SHORT_DATE.search(head)
    if m:
        try:
            meta.issued_on = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    lines = [" ".join(ln.split()) for ln in head.splitlines() if ln.strip()]
    meta.doc_type, title_at = _type_from_heading(lines)
    if title_at is not None:
        meta.title = _title_after(lines, title_at)
    code = fold(meta.so_hieu).split("/")[-1] if meta.so_hieu else ""
    if meta.doc_type == "khac" and code:
        prefix = code.split("-")[0]
        meta.doc_type = vocabulary().document_type_codes.get(prefix) or ("cong_van" if "-" in code else "khac")
    meta.issuer = _issuer(lines, code)
    return meta


def _type_from_heading(lines: list[str]) -> tuple[str, int | None]:
    for i, ln in enumerate(lines[:25]):
        if ln.isupper() and vocabulary().document_types.get(fold(ln)):
            return vocabulary().document_types[fold(ln)], i
    return "khac", None


def _title_after(lines: list[str], at: int) -> str:
    out = []
    for ln in lines[at + 1:at + 4]:
        if _DATE.search(ln) or fold(ln).startswith(("can cu", "thuc hien", "kinh gui")):
            break
        out.append(ln)
    return " ".join(out)[:300]


def _issuer(lines: list[str], code: str) -> str:
    for part in reversed(code.split("-")):
        for key, name in _CODE_ISSUERS.items():
            if part == key or part.endswith(key) and key in ("ttg", "cp", "qh"):
                return name
    issuer = ""
    for ln in lines[:6]:  # the top-left block, in capitals, before the national motto; its last line is the
        f = fold(ln)      # issuing body ("UBND HUYỆN X" above "ỦY BAN NHÂN DÂN XÃ Y")
        if f.startswith(("cong hoa", "so", "doc lap")):
            break
        if ln.isupper() and len(ln) > 4:
            issuer = ln
    return issuer
