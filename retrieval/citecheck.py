"""Citation check: find document citations in free text and compare them with the library.

"Quyết định số 06/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ" is flagged because the library dates
06/QĐ-TTg 06/01/2022. Type word, date and issuer are compared; a date that does not exist ("31/02/2022") is
wrong whatever the document; a short form with a date ("Chỉ thị 04 ngày 11/02/2024") is resolved to the
library's document; a number broken across lines at its hyphen ("01/2023/TT-⏎VPCP") is read whole; a replaced
document is flagged with what replaced it (status "replaced": the citation may be right for its time). A
citation of a number the library does not hold is reported as unknown (not wrong). Works on our profiles, no
index needed (drafting calls it often).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from common.vntext import fold, nfc
from knowledge.directives import DOC_TYPE_NAMES, Directive, Library, load_library
from knowledge.vocabulary import vocabulary

_KINDS = r"Quyết định|Chỉ thị|Công văn|Văn bản|Nghị định|Thông tư|Kế hoạch|Công điện|Thông báo|Nghị quyết"
_DATE = r"ngày\s+(?P<d>\d{1,2})(?:/|\s+tháng\s+)(?P<m>\d{1,2})(?:/|\s+năm\s+)(?P<y>\d{4})"
# the issuer runs to the next punctuation, but never into the next citation ("... và Quyết định số ...")
_ISSUER = rf"(?:\s+(?:của|do)\s+(?P<issuer>(?:(?!\s(?:và|Luật|{_KINDS})\b)[^,;.()\n]){{3,80}}))?"
_CITATION = re.compile(
    rf"(?P<kind>{_KINDS}|Luật(?: [A-ZĐÀ-Ỹ][^\s\d,;.]*){{0,3}})\s+(?:số\s+)?"
    r"(?P<num>\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:[-.][A-ZĐa-z0-9]+)*)"
    rf"(?:\s*,?\s*{_DATE})?{_ISSUER}",
    re.IGNORECASE)
# "Chỉ thị 04 ngày 11/02/2024": a number without its code is a citation only when a date follows.
_SHORT = re.compile(rf"(?P<kind>{_KINDS})\s+(?P<so>số\s+)?(?P<short>\d{{1,5}})(?!\d|/)\s*,?\s*{_DATE}{_ISSUER}",
                    re.IGNORECASE)
# A number broken at its hyphen by a line end ("01/2023/TT-⏎VPCP", "56/QĐ- ⏎TCT") and a code typed with a
# space ("37/2021/N Đ-CP") are put back together before anything is read.
_BROKEN_AT_HYPHEN = re.compile(r"(\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]+)*-)\s+(?=[A-ZĐ])")
_SPACED_CODE = re.compile(r"(?<=\d/)([A-ZĐ]{1,3}) ([A-ZĐ]{1,3})(?=-)")
# Issuer phrases that end a "của ..." clause early ("của Thủ tướng Chính phủ phê duyệt Đề án ...").
_ISSUER_END = re.compile(r"\s+(?:phê duyệt|về việc|ban hành|quy định|hướng dẫn|triển khai|tại|đã|và)\b.*$",
                         re.IGNORECASE)


@dataclass
class CitationFinding:
    text: str  # the citation as written
    so_hieu: str
    stated_date: str  # dd/mm/yyyy or ""
    stated_issuer: str
    status: str  # ok | mismatch | unknown | replaced (right for its time, but no longer in force)
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


def normalize(text: str) -> str:
    """One line, NFC (some seed reports mix decomposed accents: "số" as "sô" + U+0301), numbers whole:
    citations are often broken across lines in the seed reports."""
    text = nfc(text)
    text = _BROKEN_AT_HYPHEN.sub(r"\1", _SPACED_CODE.sub(r"\1\2", text))
    return " ".join(text.split())


def check_citations(text: str, library: Library | None = None) -> list[CitationFinding]:
    lib = library or load_library()
    flat = normalize(text)
    found = [(m, m.group("num")) for m in _CITATION.finditer(flat)]
    taken = [m.span() for m, _ in found]
    found += [(m, None) for m in _SHORT.finditer(flat) if not any(a < m.end() and m.start() < b for a, b in taken)
              and (m["so"] or not 1990 <= int(m["short"]) <= 2100)]  # "Kế hoạch 2024 ngày …" names a year
    return [_check(m, num, lib) for m, num in sorted(found, key=lambda x: x[0].start())]


def _check(m: re.Match, num: str | None, lib: Library) -> CitationFinding:
    stated, impossible = _stated_date(m)
    issuer = _ISSUER_END.sub("", m["issuer"] or "").strip()
    kind_word = fold(m["kind"])
    kind = vocabulary().document_types.get(kind_word.split()[0] if kind_word.startswith("luat") else kind_word, "")
    doc = lib.get(num) if num else _by_short_form(lib, kind, m["short"], stated)
    written = num or f"{m['kind']} {m['short']}"
    f = CitationFinding(m.group(0), doc.so_hieu if doc else written, f"{stated:%d/%m/%Y}" if stated else "",
                        issuer, "unknown")
    if impossible:
        f.problems.append(f"Ngày {impossible} không có thật.")
    if doc is None:
        f.status = "mismatch" if f.problems else "unknown"
        return f
    f.expected, f.status = doc.label, "ok"
    if kind and kind != "khac" and kind != doc.doc_type and not kind_word.startswith("van ban"):
        f.problems.append(f"{m['kind']} số {written}: thư viện ghi đây là {DOC_TYPE_NAMES[doc.doc_type]}.")
    if stated and stated != doc.issued_on:
        same_day = [d.so_hieu for d in lib.directives if d.issued_on == stated and d.doc_type == doc.doc_type]
        hint = f" (ngày {stated:%d/%m/%Y} là của {same_day[0]}: có thể nhầm số hiệu)" if same_day else ""
        f.problems.append(f"Ngày {stated:%d/%m/%Y} không khớp: {doc.so_hieu} ban hành ngày "
                          f"{doc.issued_on:%d/%m/%Y}{hint}.")
    if issuer and not _issuer_matches(issuer, doc.issuer):
        f.problems.append(f"Cơ quan ban hành \"{issuer}\" không khớp: {doc.so_hieu} do {doc.issuer} ban hành.")
    if f.problems:
        f.status = "mismatch"
    if doc.replaced_by:
        new = lib.get(doc.replaced_by)
        since = f" từ ngày {doc.expired_on:%d/%m/%Y}" if doc.expired_on else ""
        f.problems.append(f"{doc.so_hieu} đã được thay thế bởi {new.label if new else doc.replaced_by}{since}.")
        if f.status == "ok":
            f.status = "replaced"
    return f


def _stated_date(m: re.Match) -> tuple[date | None, str]:
    """(the stated date, "") or (None, "31/02/2022") when it does not exist; (None, "") when none is stated."""
    if not m["y"]:
        return None, ""
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"])), ""
    except ValueError:
        return None, f"{int(m['d']):02d}/{int(m['m']):02d}/{m['y']}"


def _by_short_form(lib: Library, kind: str, number: str, stated: date | None) -> Directive | None:
    """The one library document of that type and number; the stated year only chooses between several."""
    num = number.lstrip("0") or "0"
    cands = [d for d in lib.directives if d.so_hieu.split("/", 1)[0].lstrip("0") == num
             and (not kind or kind == "khac" or d.doc_type == kind)]
    if len(cands) > 1 and stated:
        cands = [d for d in cands if d.issued_on.year == stated.year] or cands
    return cands[0] if len(cands) == 1 else None
