"""Answers with citations: extractive by default, optionally phrased by an LLM from the retrieved passages.

The extractive answer quotes the most relevant sentences of the best passages (an enumeration whole) and names
each document (number, date, issuer, section); a replaced text is cited with what replaced it, a passage known
only from local reports is labelled as such, and guidance from before the two-level local government says so.
When the library does not hold the document asked about, or its best passage does not answer the question, the
answer says so and how an admin adds a text — it never presents an unrelated quote as the answer.
An LLM answer is accepted only if every document number it cites is among the retrieved passages (checked here,
in code); on any failure or timeout the extractive answer is used.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from common import llm
from common.settings import Settings
from common.vntext import fold
from knowledge.directives import DOC_TYPE_NAMES, Directive, citation_label, is_local_section, load_library
from retrieval.excerpt import best_sentences
from retrieval.query import (
    LEVEL_NAMES,
    document_mentions,
    is_governance_question,
    is_list_question,
    is_validity_question,
    is_what_is_question,
    law_mentions,
    passage_levels,
    question_levels,
)
from retrieval.scope import MIN_ANSWERED, answered_share, answers, order
from retrieval.search import Hit

log = logging.getLogger(__name__)

_SO_HIEU_IN_TEXT = re.compile(r"\b\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]+)*")
# Since 01/7/2025 local government has two levels (tỉnh, xã): guidance from before still names the huyện.
TWO_LEVEL_FROM = date(2025, 7, 1)
TWO_LEVEL_LAW = "72/2025/QH15"
MIN_SECOND = 0.5  # answered_share a second document's passage needs to be quoted too
HOW_TO_ADD = ("Quản trị viên của đơn vị có thể bổ sung văn bản: gửi tệp DOCX/PDF vào cuộc trò chuyện với tôi "
              "(lệnh /tailen) hoặc dùng lệnh “baocao index add TỆP” trên máy chủ.")


@dataclass
class Citation:
    so_hieu: str
    title: str
    date: str  # dd/mm/yyyy or ""
    section: str
    excerpt: str
    score: float
    label: str = ""  # "Chỉ thị số 04/CT-TTg ngày 11/02/2024 của Thủ tướng Chính phủ"
    provenance: str = ""
    doc_type: str = ""
    share: float = 0.0  # how much of the question the passage holds (scope.answered_share)

    def as_dict(self) -> dict:
        return {"so_hieu": self.so_hieu, "title": self.title, "date": self.date, "section": self.section,
                "excerpt": self.excerpt, "score": round(self.score, 4)}

    @property
    def local(self) -> bool:
        """Known only from units' reports, not from the document itself."""
        return self.provenance == "tom_tat" and is_local_section(self.section)


@dataclass
class Answer:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    found: bool = True
    by_llm: bool = False

    def as_dict(self) -> dict:
        return {"answer": self.answer, "citations": [c.as_dict() for c in self.citations]}


def to_citation(hit: Hit, question: str) -> Citation:
    m = hit.meta
    issued = date.fromisoformat(m["date"]) if m.get("date") else None
    report = m.get("provenance") == "bao_cao"
    label = m.get("title", "") if report else citation_label(
        m.get("doc_type", ""), m.get("so_hieu", ""), issued, m.get("issuer", ""), m.get("title", ""))
    excerpt = best_sentences(question, hit.text, 3 if report else 2, whole=is_list_question(question))
    return Citation(m.get("so_hieu", ""), m.get("title", ""), f"{issued:%d/%m/%Y}" if issued else "",
                    m.get("section", ""), excerpt, hit.score, label, m.get("provenance", ""), m.get("doc_type", ""),
                    answered_share(question, hit))


def citations_for(question: str, hits: list[Hit], max_docs: int = 3) -> list[Citation]:
    """One citation per document (its best passage), best first."""
    seen, out = set(), []
    for h in hits:
        key = h.meta.get("so_hieu") or h.meta.get("doc_key")
        if key in seen:
            continue
        seen.add(key)
        out.append(to_citation(h, question))
        if len(out) == max_docs:
            break
    return out


def _provenance_note(c: Citation) -> str:
    return {"tom_tat": "bản tóm tắt của thư viện, chưa có toàn văn", "toan_van": "toàn văn",
            "bao_cao": "báo cáo của đơn vị"}.get(c.provenance, "")


def subject_line(c: Citation) -> str:
    """'Công văn số 452/TTg-KSTT ngày 23/05/2023 của Thủ tướng Chính phủ về tháo gỡ ...' from label and title."""
    kind = DOC_TYPE_NAMES.get(c.doc_type, "")
    rest = c.title[len(kind):].strip() if kind and c.title.startswith(kind) else c.title
    if c.title.startswith("Luật") and c.label.startswith(c.title):
        rest = ""  # "Luật Cư trú số 68/2020/QH14 ..." already names it
    return f"{c.label} {rest}".strip() + "."


def replaced_note(d: Directive) -> str:
    """'Nghị định số 59/2022/NĐ-CP ... đã được thay thế bởi Nghị định số 69/2024/NĐ-CP ... từ ngày 01/07/2024.'"""
    new = load_library().get(d.replaced_by or "")
    by = new.label if new else d.replaced_by
    since = f" từ ngày {d.expired_on:%d/%m/%Y}" if d.expired_on else ""
    return f"{d.label} đã được thay thế bởi {by}{since}."


def validity_line(d: Directive) -> str:
    """The document's dates as the library knows them, for "có hiệu lực từ khi nào?"."""
    if d.replaced_by:
        return replaced_note(d)
    if d.effective_on:
        return f"Có hiệu lực từ ngày {d.effective_on:%d/%m/%Y}."
    return "Ngày có hiệu lực: thư viện chưa xác định được (chưa có toàn văn)."


def _quote(c: Citation) -> str:
    if c.local:
        # what units report is never presented as what the document says
        return f"Từ báo cáo của các địa phương (không phải nội dung của {c.label}):\n“{c.excerpt}”"
    where = f"mục \"{c.section}\"" if c.section else ""
    note = "; ".join(x for x in (where, _provenance_note(c)) if x)
    return f"Theo {c.label}" + (f" ({note})" if note else "") + f":\n“{c.excerpt}”"


def _two_level_note(cites: list[Citation], levels: list[str]) -> str:
    """Guidance quoted from before 01/7/2025 that names the huyện (or a question about it) gets the change."""
    old_huyen = any("huyện" in c.excerpt.lower() and c.date and c.so_hieu != TWO_LEVEL_LAW and
                    datetime.strptime(c.date, "%d/%m/%Y").date() < TWO_LEVEL_FROM for c in cites)
    if not old_huyen and "huyen" not in levels:
        return ""
    law = load_library().get(TWO_LEVEL_LAW)
    basis = f" ({law.label})" if law else ""
    cited_law = any(c.so_hieu == TWO_LEVEL_LAW for c in cites)
    lead = "Lưu ý: văn bản trích ở trên ban hành trước ngày 01/07/2025. " if old_huyen else "Lưu ý: "
    return (lead + "Từ ngày 01/07/2025 chính quyền địa phương chỉ còn cấp tỉnh và cấp xã, không còn cấp huyện; "
            "phần việc trước đây của cấp huyện nay do cấp tỉnh hoặc cấp xã đảm nhận"
            + ("" if cited_law else basis) + ".")


def notes(question: str, cites: list[Citation], skip: Directive | None = None) -> list[str]:
    """What the officer must know besides the quotes: replaced texts, the end of the huyện level, a level the
    library has nothing specific about."""
    lib = load_library()
    out = ["Lưu ý: " + replaced_note(d) for c in cites[:2]
           if (d := lib.get(c.so_hieu)) and d.replaced_by and d is not skip]
    levels = question_levels(question)
    two_level = _two_level_note(cites[:2], levels)
    if two_level:
        out.append(two_level)
    if levels and cites and not set(levels) & passage_levels(f"{cites[0].section} {cites[0].excerpt}"):
        asked = ", ".join(LEVEL_NAMES[lv] for lv in levels)
        out.append(f"Thư viện chưa có đoạn nào nói riêng về {asked} cho câu hỏi này; trên đây là nội dung gần nhất.")
    return out


def extractive(question: str, cites: list[Citation], refs: Sequence[str] = ()) -> str:
    lines = []
    first = load_library().get(cites[0].so_hieu) if cites and cites[0].provenance != "bao_cao" else None
    named_first = bool(refs) and bool(cites) and cites[0].so_hieu in refs
    said = None
    if first and ((named_first and is_what_is_question(question)) or is_validity_question(question)):
        lines.append(subject_line(cites[0]) + " " + validity_line(first))
        said = first if first.replaced_by else None
    # the second document only when its passage holds the question too (no loosely related quote)
    lines += [_quote(c) for i, c in enumerate(cites[:2]) if i == 0 or c.share >= MIN_SECOND]
    lines += notes(question, cites, skip=said)
    if is_governance_question(question):
        # only documents whose own passage holds the asked task; never local practice or own reports
        docs = [c for c in cites if c.provenance != "bao_cao" and c.so_hieu and not c.local
                and c.share >= MIN_ANSWERED]
        if docs:
            lines.append("Văn bản điều chỉnh: " + "; ".join(_governing(c) for c in docs[:3]) + ".")
    return "\n\n".join(lines)


def _governing(c: Citation) -> str:
    d = load_library().get(c.so_hieu)
    if d and d.replaced_by:
        return f"{c.label} (đã được thay thế bởi {d.replaced_by})"
    return c.label


def _refusal(lead: str, library_titles: list[str]) -> Answer:
    held = ", ".join(library_titles[:8]) + (" …" if len(library_titles) > 8 else "")
    return Answer(f"{lead} {HOW_TO_ADD}\n\nThư viện hiện có: {held}.", [], found=False)


def not_found(question: str, library_titles: list[str]) -> Answer:
    topic = question.strip().rstrip("?").strip()
    return _refusal(f"Thư viện chưa có văn bản/nội dung nào trả lời câu hỏi “{topic}”.", library_titles)


def not_in_library(missing: list[str], library_titles: list[str]) -> Answer:
    return _refusal(f"Thư viện chưa có văn bản này: {', '.join(missing)}. Tôi không trả lời thay bằng văn bản khác.",
                    library_titles)


def _number(mention: str) -> str:
    """The document number of a mention ("877" of "công văn 877/TCT-CAT"), without leading zeros."""
    digits = re.search(r"\d+", mention)
    if digits is None:  # document_mentions only gives mentions with a number
        raise ValueError(f"no number in {mention!r}")
    return digits.group(0).lstrip("0")


def missing_documents(question: str, refs: list[str], hits: list[Hit]) -> list[str]:
    """Documents the question names (by number, or a law by name) that the library does not hold."""
    numbers = {r.split("/", 1)[0].lstrip("0") for r in refs}
    out = [m for m in document_mentions(question) if _number(m) not in numbers]
    known = {fold(x) for d in load_library().directives for x in [d.title, *d.aliases] if fold(x).startswith("luat ")}
    known |= {fold(h.meta.get("title", "")) for h in hits if fold(h.meta.get("title", "")).startswith("luat ")}
    for law in law_mentions(question):
        name = fold(law)
        # "Luật Căn cước thay thế …" names "Luật Căn cước"; a long name may be cut ("Luật Tổ chức chính quyền")
        if not any(f"{name} ".startswith(f"{k} ") or (k.startswith(name) and name.count(" ") >= 3) for k in known):
            out.append(law)
    return out


# --- LLM phrasing ---------------------------------------------------------------------------------------

_SYSTEM = ("Bạn là trợ lý cho cán bộ xã về Đề án 06. Chỉ trả lời dựa trên các đoạn trích được cung cấp, ngắn gọn "
           "(tối đa 4 câu), tiếng Việt có dấu. Mỗi ý phải ghi số hiệu văn bản trong ngoặc vuông, ví dụ [04/CT-TTg]. "
           "Không tự thêm văn bản, số liệu hay điều khoản không có trong đoạn trích. Nếu đoạn trích không trả lời "
           "được, hãy nói rõ là thư viện chưa có thông tin. Đoạn ghi là thực tiễn địa phương thì không được nói là "
           "nội dung của văn bản.")


def llm_answer(settings: Settings, question: str, cites: list[Citation], chat_model=None) -> str | None:
    """The LLM's answer if it only cites retrieved documents; None on failure, timeout or a bad citation."""
    allowed = {c.so_hieu for c in cites if c.so_hieu}
    passages = "\n\n".join(f"[{c.so_hieu or c.title}] {c.label} — {c.section}" + _llm_tag(c) + f"\n{c.excerpt}"
                             for c in cites)
    try:
        model = chat_model or llm.chat_model(settings)
        reply = model.invoke([("system", _SYSTEM), ("human", f"Đoạn trích:\n{passages}\n\nCâu hỏi: {question}")])
        text = str(reply.content).strip()
    except Exception:
        log.warning("LLM answer failed; using the extractive answer", exc_info=True)
        return None
    cited = set(_SO_HIEU_IN_TEXT.findall(text))
    if not text or not cited or not cited <= allowed:
        log.warning("LLM answer rejected: cites %s, retrieved %s", sorted(cited), sorted(allowed))
        return None
    return text


def _llm_tag(c: Citation) -> str:
    d = load_library().get(c.so_hieu)
    tags = ["thực tiễn địa phương, không phải nội dung văn bản"] if c.local else []
    if d and d.replaced_by:
        tags.append(f"đã được thay thế bởi {d.replaced_by}")
    return f" ({'; '.join(tags)})" if tags else ""


def compose(settings: Settings, question: str, hits: list[Hit], refs: list[str], library_titles: list[str],
            chat_model=None) -> Answer:
    missing = missing_documents(question, refs, hits)
    if missing and not refs:
        return not_in_library(missing, library_titles)
    if not answers(question, hits, named=bool(refs)):
        return not_found(question, library_titles)
    cites = citations_for(question, order(hits, question, refs))
    extra = f"\n\nThư viện chưa có văn bản: {', '.join(missing)}." if missing else ""
    if llm.configured(settings) or chat_model is not None:
        text = llm_answer(settings, question, cites, chat_model)
        if text:
            sources = "Nguồn: " + "; ".join(c.label for c in cites if c.label)
            after = "".join(f"\n\n{n}" for n in notes(question, cites))
            return Answer(f"{text}\n\n{sources}{after}{extra}", cites, by_llm=True)
    return Answer(extractive(question, cites, refs) + extra, cites)
