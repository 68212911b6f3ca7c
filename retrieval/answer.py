"""Answers with citations: extractive by default, optionally phrased by an LLM from the retrieved passages.

The extractive answer quotes the most relevant sentences of the best passages and names each document
(number, date, issuer, section). An LLM answer is accepted only if every document number it cites is among
the retrieved passages (checked here, in code); on any failure or timeout the extractive answer is used.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from common.settings import Settings
from knowledge.directives import DOC_TYPE_NAMES, citation_label
from retrieval.bm25 import terms
from retrieval.query import content_terms, is_governance_question, is_what_is_question
from retrieval.search import Hit

log = logging.getLogger(__name__)

MIN_COVERAGE = 0.5  # share of the question's content words the best passage must contain,
MIN_DENSE_WITH_WORDS = 0.80  # together with this cosine similarity;
MIN_DENSE = 0.87  # or this similarity alone (e5 puts unrelated Vietnamese text at 0.80-0.84)
EXCERPT_CHARS = 320
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZÀ-Ỹ(\"“0-9-])|\n+")
_SO_HIEU_IN_TEXT = re.compile(r"\b\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]*(?:-[A-ZĐa-z0-9]+)*")


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

    def as_dict(self) -> dict:
        return {"so_hieu": self.so_hieu, "title": self.title, "date": self.date, "section": self.section,
                "excerpt": self.excerpt, "score": round(self.score, 4)}


@dataclass
class Answer:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    found: bool = True
    by_llm: bool = False

    def as_dict(self) -> dict:
        return {"answer": self.answer, "citations": [c.as_dict() for c in self.citations]}


def is_relevant(hits: list[Hit], refs: list[str]) -> bool:
    if not hits:
        return False
    top = hits[0]
    if refs and top.meta.get("so_hieu") in refs:
        return True
    dense = max(h.dense for h in hits[:3])  # the fused winner may have come from BM25 alone
    return (top.coverage >= MIN_COVERAGE and dense >= MIN_DENSE_WITH_WORDS) or dense >= MIN_DENSE


def best_sentences(question: str, text: str, n: int = 2) -> str:
    """The `n` sentences of `text` sharing most words with the question, in their original order."""
    q = set(terms(" ".join(content_terms(question))))
    sents = [s.strip() for s in _SENTENCE_END.split(text) if s and len(s.strip()) > 15]
    if not sents:
        return text[:EXCERPT_CHARS]
    scored = sorted(range(len(sents)), key=lambda i: (-len(q & set(terms(sents[i]))), i))[:n]
    out = " ".join(sents[i] for i in sorted(scored))
    return out if len(out) <= EXCERPT_CHARS else out[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def to_citation(hit: Hit, question: str) -> Citation:
    m = hit.meta
    issued = date.fromisoformat(m["date"]) if m.get("date") else None
    report = m.get("provenance") == "bao_cao"
    label = m.get("title", "") if report else citation_label(
        m.get("doc_type", ""), m.get("so_hieu", ""), issued, m.get("issuer", ""), m.get("title", ""))
    return Citation(m.get("so_hieu", ""), m.get("title", ""), f"{issued:%d/%m/%Y}" if issued else "",
                    m.get("section", ""), best_sentences(question, hit.text, 3 if report else 2),
                    hit.score, label, m.get("provenance", ""), m.get("doc_type", ""))


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


def extractive(question: str, cites: list[Citation], refs: list[str] = ()) -> str:
    lines = []
    if refs and cites and cites[0].so_hieu in refs and is_what_is_question(question):
        lines.append(subject_line(cites[0]))
    for c in cites[:2]:
        where = f"mục \"{c.section}\"" if c.section else ""
        note = "; ".join(x for x in (where, _provenance_note(c)) if x)
        lines.append(f"Theo {c.label}" + (f" ({note})" if note else "") + f":\n“{c.excerpt}”")
    if is_governance_question(question):
        docs = [c for c in cites if c.provenance != "bao_cao" and c.so_hieu]
        if docs:
            lines.append("Văn bản điều chỉnh: " + "; ".join(c.label for c in docs[:3]) + ".")
    return "\n\n".join(lines)


def not_found(question: str, library_titles: list[str]) -> Answer:
    topic = question.strip().rstrip("?").strip()
    held = ", ".join(library_titles[:8]) + (" …" if len(library_titles) > 8 else "")
    return Answer(f"Tôi chưa tìm thấy văn bản nào nói về “{topic}” trong thư viện. "
                  f"Thư viện hiện có: {held}.", [], found=False)


# --- LLM phrasing ---------------------------------------------------------------------------------------

_SYSTEM = ("Bạn là trợ lý cho cán bộ xã về Đề án 06. Chỉ trả lời dựa trên các đoạn trích được cung cấp, ngắn gọn "
           "(tối đa 4 câu), tiếng Việt có dấu. Mỗi ý phải ghi số hiệu văn bản trong ngoặc vuông, ví dụ [04/CT-TTg]. "
           "Không tự thêm văn bản, số liệu hay điều khoản không có trong đoạn trích. Nếu đoạn trích không trả lời "
           "được, hãy nói rõ là thư viện chưa có thông tin.")


def llm_answer(settings: Settings, question: str, cites: list[Citation], chat_model=None) -> str | None:
    """The LLM's answer if it only cites retrieved documents; None on failure, timeout or a bad citation."""
    allowed = {c.so_hieu for c in cites if c.so_hieu}
    passages = "\n\n".join(f"[{c.so_hieu or c.title}] {c.label} — {c.section}\n{c.excerpt}" for c in cites)
    try:
        model = chat_model or _chat_model(settings)
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


def _chat_model(settings: Settings):
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none"
    return ChatOpenAI(base_url=settings.llm_base_url, api_key=key, model=settings.llm_model or "default",
                      timeout=settings.llm_timeout_seconds, max_retries=0, temperature=0)


def compose(settings: Settings, question: str, hits: list[Hit], refs: list[str], library_titles: list[str],
            chat_model=None) -> Answer:
    if not is_relevant(hits, refs):
        return not_found(question, library_titles)
    cites = citations_for(question, hits)
    if settings.llm_base_url or chat_model is not None:
        text = llm_answer(settings, question, cites, chat_model)
        if text:
            sources = "Nguồn: " + "; ".join(c.label for c in cites if c.label)
            return Answer(f"{text}\n\n{sources}", cites, by_llm=True)
    return Answer(extractive(question, cites, refs), cites)
