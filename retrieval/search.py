"""Hybrid retrieval: BM25 and dense (Chroma) candidates fused by reciprocal rank fusion, then a light rerank.

Document references in the question ("chỉ thị 04") filter to that document when the library holds it; a
task question's indicator links (knowledge/indicators.yaml `directives`) boost the linked documents; an
official full text outranks our summary of the same document.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from langchain_core.embeddings import Embeddings

from common.vntext import fold
from knowledge.catalogue import load_catalogue
from retrieval.bm25 import BM25, terms
from retrieval.query import DiacriticRestorer, DocRef, content_terms, find_references, padded_words

RRF_K = 60
CANDIDATES = 40
# Rerank bonuses, on the RRF scale (rank 1 = 1/61 = 0.0164, rank 2 = 0.0161, rank 10 = 0.0141): small
# nudges that break near-ties, except the report penalty, which keeps own reports out of directive answers.
TASK_BOOST = 0.0003  # the document is linked to an indicator the question names
NAMED_BOOST = 0.0003  # the question names the document by an alias ("Luật Cư trú")
FULL_TEXT_BOOST = 0.0004  # an official full text outranks our summary
HEADING_BOOST = 0.0006  # times the mean overlap of question and section heading
REPORT_SHIFT = 0.02  # own reports: pushed below directives unless the question asks what the unit reported
RECENCY_BOOST = 0.003  # then the latest report first ("tháng trước"), without overriding the period kind
REPORT_CUES = ("bao cao", "ky truoc", "thang truoc", "tuan truoc", "nam truoc", "minh")


@dataclass
class Hit:
    id: str
    text: str  # chunk text without its header
    meta: dict
    score: float  # fused score after rerank
    dense: float = 0.0  # cosine similarity, 0 when the chunk was not a dense candidate
    lexical: float = 0.0  # BM25
    coverage: float = 0.0  # share of the question's content words found in the chunk


@dataclass
class Understood:
    question: str
    restored: str  # with diacritics put back, for the dense model
    refs: list[str] = field(default_factory=list)  # so_hieu named by number: results are filtered to them
    named: list[str] = field(default_factory=list)  # so_hieu named by an alias ("Đề án 06"): a boost only
    task_docs: list[str] = field(default_factory=list)  # so_hieu linked to indicators the question names


class SearchIndex:
    def __init__(self, ids: list[str], texts: list[str], metas: list[dict], collection,
                 embeddings: Embeddings) -> None:
        """`collection`: the chromadb collection holding the same chunks' vectors."""
        self.ids, self.texts, self.metas = ids, texts, metas
        self.pos = {cid: i for i, cid in enumerate(ids)}
        self.collection, self.embeddings = collection, embeddings
        # A document's number is matched by query understanding, not by words: "năm 2022" must not favour
        # every chunk of 59/2022/NĐ-CP.
        self.bm25 = BM25([t.replace(m["so_hieu"], " ") if m.get("so_hieu") else t for t, m in zip(texts, metas)])
        self.restorer = DiacriticRestorer(texts)
        self.folded_terms = [set(terms(t)) for t in texts]
        self.docs = _doc_refs(metas)
        self.unit_ids = np.array([m.get("unit_id", -1) for m in metas], dtype=np.int64)
        self.so_hieu = np.array([m.get("so_hieu", "") for m in metas], dtype=object)
        self._task_aliases = _task_aliases()
        self.latest_report = max((m["date"] for m in metas if m.get("provenance") == "bao_cao" and m.get("date")),
                                 default="")

    # --- understanding -------------------------------------------------------------------------
    def understand(self, question: str) -> Understood:
        q = padded_words(question)
        task_docs: list[str] = []
        for alias, docs in self._task_aliases:
            if alias in q:
                task_docs += [d for d in docs if d not in task_docs]
        refs = find_references(question, self.docs, aliases=False)
        named = [d for d in find_references(question, self.docs) if d not in refs]
        return Understood(question, self.restorer.restore(question), refs, named, task_docs)

    # --- retrieval -----------------------------------------------------------------------------
    def allowed(self, u: Understood, unit_id: int | None) -> np.ndarray:
        """Library documents and the asking unit's own reports; only the named documents when there are any."""
        mask = (self.unit_ids == -1) | (self.unit_ids == (unit_id if unit_id is not None else -2))
        if u.refs:
            ref_mask = np.isin(self.so_hieu, u.refs)
            if (ref_mask & mask).any():
                mask &= ref_mask
        return mask

    def lexical(self, u: Understood, mask: np.ndarray, k: int = CANDIDATES) -> list[tuple[int, float]]:
        return self.bm25.top(u.question, k, mask)

    def dense(self, u: Understood, mask: np.ndarray, k: int = CANDIDATES) -> list[tuple[int, float]]:
        vec = self.embeddings.embed_query(u.restored)
        where = _where(u, mask, self)
        res = self.collection.query(query_embeddings=[vec], n_results=min(k, len(self.ids)), where=where,
                                    include=["distances"])
        out = []
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            i = self.pos.get(cid)
            if i is not None and mask[i]:
                out.append((i, 1.0 - float(dist)))
        return out

    def search(self, question: str, k: int = 5, unit_id: int | None = None, method: str = "hybrid") -> list[Hit]:
        """Best chunks first. method: hybrid; for the benchmark also bm25, dense, rrf (fusion without rerank)."""
        return self.retrieve(self.understand(question), k, unit_id, method)

    def retrieve(self, u: Understood, k: int = 5, unit_id: int | None = None, method: str = "hybrid") -> list[Hit]:
        if not self.ids:
            return []
        question = u.question
        mask = self.allowed(u, unit_id)
        lex = self.lexical(u, mask) if method in ("hybrid", "rrf", "bm25") else []
        den = self.dense(u, mask) if method in ("hybrid", "rrf", "dense") else []
        fused: dict[int, float] = {}
        for ranked in (lex, den):
            for rank, (i, _) in enumerate(ranked):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        lex_s, den_s = dict(lex), dict(den)
        qterms = set(content_terms(u.question))
        wants_reports = any(c in fold(question) for c in REPORT_CUES)
        hits = []
        for i, score in fused.items():
            meta = self.metas[i]
            cov = len(qterms & self.folded_terms[i]) / len(qterms) if qterms else 0.0
            if method == "hybrid":
                score += self._rerank_bonus(u, meta, qterms, wants_reports)
            body = self.texts[i][meta.get("body_start", 0):]
            hits.append(Hit(self.ids[i], body, meta, score, den_s.get(i, 0.0), lex_s.get(i, 0.0), cov))
        hits.sort(key=lambda h: -h.score)
        return hits[:k]

    def _rerank_bonus(self, u: Understood, meta: dict, qterms: set[str], wants_reports: bool) -> float:
        bonus = 0.0
        if meta.get("so_hieu") in u.task_docs:
            bonus += TASK_BOOST
        if meta.get("so_hieu") in u.named:
            bonus += NAMED_BOOST
        if meta.get("provenance") == "toan_van":
            bonus += FULL_TEXT_BOOST
        if meta.get("provenance") == "bao_cao":
            if not wants_reports:
                bonus -= REPORT_SHIFT
            elif meta.get("date") and self.latest_report:
                # "tháng trước mình báo cáo ...": the most recent report first
                age = (date.fromisoformat(self.latest_report) - date.fromisoformat(meta["date"])).days
                bonus += RECENCY_BOOST * max(0.0, 1 - age / 60)
        heading = set(terms(meta.get("section", "")))
        if qterms and heading:
            # how much of the question the heading covers, and how much of the heading the question names
            shared = len(qterms & heading)
            bonus += HEADING_BOOST * (shared / len(qterms) + shared / len(heading)) / 2
        return bonus


def _where(u: Understood, mask: np.ndarray, index: SearchIndex) -> dict | None:
    """The Chroma filter equivalent to `mask` for the common cases (reference filter, unit scope)."""
    if mask.all():
        return None
    allowed_docs = sorted({index.metas[i]["so_hieu"] for i in np.flatnonzero(mask)})
    if u.refs and set(allowed_docs) <= set(u.refs):
        return {"so_hieu": {"$in": allowed_docs}}
    units = sorted({int(index.unit_ids[i]) for i in np.flatnonzero(mask)})
    return {"unit_id": {"$in": units}}


def _doc_refs(metas: list[dict]) -> list[DocRef]:
    seen: dict[str, DocRef] = {}
    for m in metas:
        sh = m.get("so_hieu")
        if sh and sh not in seen:
            year = int(m["date"][:4]) if m.get("date") else None
            aliases = tuple(a for a in m.get("aliases", "").split("|") if a)
            seen[sh] = DocRef(sh, m.get("doc_type", ""), year, aliases)
    return list(seen.values())


def _task_aliases() -> list[tuple[str, list[str]]]:
    """(folded alias, directive so_hieu) for indicator aliases of two syllables or more."""
    cat = load_catalogue()
    out = []
    for ind in cat.indicators.values():
        if not ind.directives:
            continue
        for alias in [ind.name, *ind.aliases]:
            a = padded_words(alias)
            if len(a.split()) >= 2:
                out.append((a, list(ind.directives)))
    return out
