"""Citation check: find document citations in free text and compare them with the library.

"Quyết định số 06/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ" is flagged because the library dates
06/QĐ-TTg 06/01/2022. Type word, date and issuer are compared; a citation of a number the library does not
hold is reported as unknown (not wrong). Works on our profiles, no index needed (drafting calls it often).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from common.vntext import fold
from knowledge.directives import DOC_TYPE_NAMES, Library, load_library

_TYPES = {"quyet dinh": "quyet_dinh", "chi thi": "chi_thi", "cong van": "cong_van", "van ban": "",
          "nghi dinh": "nghi_dinh", "thong tu": "thong_tu", "luat": "luat", "ke hoach": "ke_hoach",
          "cong dien": "khac", "thong bao": "khac", "nghi quyet": "khac"}
_KINDS = r"Quyết định|Chỉ thị|Công văn|Văn bản|Nghị định|Thông tư|Kế hoạch|Công điện|Thông báo|Nghị quyết"
_CITATION = re.compile(
    rf"(?P<kind>{_KINDS}|Luật(?: [A-ZĐÀ-Ỹ][^\s\d,;.]*){{0,3}})\s+(?:số\s+)?"
    r"(?P<num>\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:[-.][A-ZĐa-z0-9]+)*)"
    r"(?:\s*,?\s*ngày\s+(?P<d>\d{1,2})(?:/|\s+tháng\s+)(?P<m>\d{1,2})(?:/|\s+năm\s+)(?P<y>\d{4}))?"
    # the issuer runs to the next punctuation, but never into the next citation ("... và Quyết định số ...")
    rf"(?:\s+(?:của|do)\s+(?P<issuer>(?:(?!\s(?:và|Luật|{_KINDS})\b)[^,;.()\n]){{3,80}}))?",
    re.IGNORECASE)
# Issuer phrases that end a "của ..." clause early ("của Thủ tướng Chính phủ phê duyệt Đề án ...").
_ISSUER_END = re.compile(r"\s+(?:phê duyệt|về việc|ban hành|quy định|hướng dẫn|triển khai|tại|đã|và)\b.*$",
                         re.IGNORECASE)


@dataclass
class CitationFinding:
    text: str  # the citation as written
    so_hieu: str
    stated_date: str  # dd/mm/yyyy or ""
    stated_issuer: str
    status: str  # ok | mismatch | unknown
    problems: list[str] = field(default_factory=list)  # Vietnamese, one per disagreement
    expected: str = ""  # the library's citation label

    def as_dict(self) -> dict:
        return {"text": self.text, "so_hieu": self.so_hieu, "stated_date": self.stated_date,
                "stated_issuer": self.stated_issuer, "status": self.status, "problems": self.problems,
                "expected": self.expected}


# Issuing authorities by what identifies them in folded text, most specific first.
_AUTHORITIES = [("van phong chinh phu", "VPCP"), ("thu tuong", "TTg"), ("chinh phu", "CP"), ("quoc hoi", "QH"),
                ("cuc canh sat", "BCA"), ("c06", "BCA"), ("bo cong an", "BCA")]


def _authority(issuer: str) -> str | None:
    f = fold(issuer)
    return next((code for key, code in _AUTHORITIES if key in f), None)


def _issuer_matches(stated: str, known: str) -> bool:
    """Abbreviations ("Cục Cảnh sát QLHC về TTXH") are fine; a different authority is not."""
    a, b = _authority(stated), _authority(known)
    if a and b:
        return a == b
    fa, fb = fold(stated), fold(known)
    return not a or fa in fb or fb in fa


def check_citations(text: str, library: Library | None = None) -> list[CitationFinding]:
    lib = library or load_library()
    flat = " ".join(text.split())  # citations are often broken across lines in the seed reports
    out = []
    for m in _CITATION.finditer(flat):
        num = m.group("num")
        stated = date(int(m["y"]), int(m["m"]), int(m["d"])) if m["y"] and _valid(m) else None
        issuer = _ISSUER_END.sub("", m["issuer"] or "").strip()
        doc = lib.get(num)
        f = CitationFinding(m.group(0), num, f"{stated:%d/%m/%Y}" if stated else "", issuer, "unknown")
        if doc is None:
            out.append(f)
            continue
        f.so_hieu, f.expected, f.status = doc.so_hieu, doc.label, "ok"
        kind = _TYPES.get(fold(m["kind"]).split()[0] if fold(m["kind"]).startswith("luat") else fold(m["kind"]), "")
        if kind and kind != "khac" and kind != doc.doc_type and not fold(m["kind"]).startswith("van ban"):
            f.problems.append(f"{m['kind']} số {num}: thư viện ghi đây là {DOC_TYPE_NAMES[doc.doc_type]}.")
        if stated and doc.issued_on and stated != doc.issued_on:
            same_day = [d.so_hieu for d in lib.directives if d.issued_on == stated and d.doc_type == doc.doc_type]
            hint = f" (ngày {stated:%d/%m/%Y} là của {same_day[0]}: có thể nhầm số hiệu)" if same_day else ""
            f.problems.append(f"Ngày {stated:%d/%m/%Y} không khớp: {doc.so_hieu} ban hành ngày "
                              f"{doc.issued_on:%d/%m/%Y}{hint}.")
        if issuer and not _issuer_matches(issuer, doc.issuer):
            f.problems.append(f"Cơ quan ban hành \"{issuer}\" không khớp: {doc.so_hieu} do {doc.issuer} ban hành.")
        if f.problems:
            f.status = "mismatch"
        out.append(f)
    return out


def _valid(m: re.Match) -> bool:
    try:
        date(int(m["y"]), int(m["m"]), int(m["d"]))
        return True
    except ValueError:
        return False
