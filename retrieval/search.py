"""Hybrid retrieval: BM25 and dense (Chroma) candidates fused by reciprocal rank fusion, then a light rerank.

Document references in the question ("chỉ thị 04") filter to that document when the library holds it; a
task question's indicator links (knowledge/indicators.yaml `directives`) boost the linked documents; an
official full text outranks our summary of the same document. A question sees the library and the asking
unit's own reports. Nothing is held per passage in memory: BM25 reads the postings of the question's terms
from the on-disk index, Chroma answers the dense half, and only the candidates' rows are read.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from common.vntext import fold
from knowledge.catalogue import load_catalogue
from retrieval import forms, lexical
from retrieval.bm25 import terms
from retrieval.embeddings import CachedEmbedder
from retrieval.index_db import LIBRARY, IndexDB, Passage, SourceRow
from retrieval.query import DocRef, content_terms, find_references, padded_words
from retrieval.store import VectorStore

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
    def __init__(self, db: IndexDB, vectors: Callable[[], VectorStore], embedder: CachedEmbedder) -> None:
        """`vectors`: opens the Chroma collection holding the same passages' vectors (on first use)."""
        self.db, self._vectors, self.embedder = db, vectors, embedder
        self.restorer = forms.restorer(db.conn)
        self._generation = -1
        self._documents: list[SourceRow] = []
        self._docs: list[DocRef] = []
        self._units: set[int] = set()

    def _refresh(self) -> None:
        """Re-read the (small) per-document summary after the index changed."""
        gen = self.db.generation()
        if gen != self._generation:
            self._documents = self.db.documents()
            self._docs = _doc_refs(self._documents)
            self._units = self.db.units()
            self._generation = gen

    @property
    def docs(self) -> list[DocRef]:
        """The numbered documents the index holds (for reference matching)."""
        self._refresh()
        return self._docs

    @property
    def documents(self) -> list[SourceRow]:
        self._refresh()
        return self._documents

    def __len__(self) -> int:
        return self.db.count()

    # --- understanding -------------------------------------------------------------------------
    def understand(self, question: str) -> Understood:
        q = padded_words(question)
        task_docs: list[str] = []
        for alias, docs in _task_aliases():
            if alias in q:
                task_docs += [d for d in docs if d not in task_docs]
        refs = find_references(question, self.docs, aliases=False)
        named = [d for d in find_references(question, self.docs) if d not in refs]
        return Understood(question, self.restorer.restore(question), refs, named, task_docs)

    # --- retrieval -----------------------------------------------------------------------------
    @staticmethod
    def scope(unit_id: int | None) -> list[int]:
        """Library documents and the asking unit's own reports."""
        return [LIBRARY] if unit_id is None else [LIBRARY, unit_id]

    def named_ids(self, u: Understood, scope: list[int]) -> np.ndarray | None:
        """Only the named documents' passages when the question names some the scope holds, else None."""
        if not u.refs:
            return None
        ids = self.db.ids_of_documents(u.refs, scope)
        return np.array(ids, dtype=np.int64) if ids else None

    def lexical(self, u: Understood, scope: list[int], only: np.ndarray | None,
                k: int = CANDIDATES) -> list[tuple[int, float]]:
        return lexical.top(self.db.conn(), u.question, scope, k, self.db.totals(), only)

    def dense(self, u: Understood, scope: list[int], named: bool, k: int = CANDIDATES) -> list[tuple[str, float]]:
        vec = self.embedder.embed_query(u.restored)
        return self._vectors().query(vec, min(k, len(self)), self._where(u, scope, named))

    def _where(self, u: Understood, scope: list[int], named: bool) -> dict | None:
        """The Chroma filter for the scope (left out when nothing lies outside it) and the named documents."""
        self._refresh()
        conds: list[dict] = []
        if named:
            conds.append({"so_hieu": {"$in": u.refs}})
        if self._units - set(scope):
            conds.append({"unit_id": {"$in": scope}})
        return None if not conds else conds[0] if len(conds) == 1 else {"$and": conds}

    def search(self, question: str, k: int = 5, unit_id: int | None = None, method: str = "hybrid") -> list[Hit]:
        """Best chunks first. method: hybrid; for the benchmark also bm25, dense, rrf (fusion without rerank)."""
        return self.retrieve(self.understand(question), k, unit_id, method)

    def retrieve(self, u: Understood, k: int = 5, unit_id: int | None = None, method: str = "hybrid") -> list[Hit]:
        if not len(self):
            return []
        question, scope = u.question, self.scope(unit_id)
        only = self.named_ids(u, scope)
        lex = self.lexical(u, scope, only) if method in ("hybrid", "rrf", "bm25") else []
        den = self.dense(u, scope, only is not None) if method in ("hybrid", "rrf", "dense") else []
        rows = self.db.passages(ids=[i for i, _ in lex], chunk_ids=[c for c, _ in den])
        by_id = {p.id: p for p in rows}
        by_chunk = {p.chunk_id: p for p in rows}
        dense_ids = [(by_chunk[c].id, sim) for c, sim in den if c in by_chunk]  # a passage being removed: skipped
        fused: dict[int, float] = {}
        for ranked in (lex, dense_ids):
            for rank, (i, _) in enumerate(ranked):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        lex_s, den_s = dict(lex), dict(dense_ids)
        qterms = set(content_terms(u.question))
        wants_reports = any(c in fold(question) for c in REPORT_CUES)
        latest = self.db.latest_report(scope) if method == "hybrid" and wants_reports else ""
        scored = []
        for i, score in fused.items():
            if method == "hybrid":
                score += self._rerank_bonus(u, by_id[i].meta, qterms, wants_reports, latest)
            scored.append((score, i))
        scored.sort(key=lambda x: -x[0])
        return [_hit(by_id[i], score, den_s.get(i, 0.0), lex_s.get(i, 0.0), qterms) for score, i in scored[:k]]

    @staticmethod
    def _rerank_bonus(u: Understood, meta: dict, qterms: set[str], wants_reports: bool, latest_report: str) -> float:
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
            elif meta.get("date") and latest_report:
                # "tháng trước mình báo cáo ...": the most recent report first
                age = (date.fromisoformat(latest_report) - date.fromisoformat(meta["date"])).days
                bonus += RECENCY_BOOST * max(0.0, 1 - age / 60)
        heading = set(terms(meta.get("section", "")))
        if qterms and heading:
            # how much of the question the heading covers, and how much of the heading the question names
            shared = len(qterms & heading)
            bonus += HEADING_BOOST * (shared / len(qterms) + shared / len(heading)) / 2
        return bonus


def _hit(p: Passage, score: float, dense: float, lex: float, qterms: set[str]) -> Hit:
    cov = len(qterms & set(p.folded.split())) / len(qterms) if qterms else 0.0
    return Hit(p.chunk_id, p.text[p.meta.get("body_start", 0):], p.meta, score, dense, lex, cov)


def _doc_refs(documents: list[SourceRow]) -> list[DocRef]:
    seen: dict[str, DocRef] = {}
    for d in documents:
        if d.so_hieu not in seen:
            year = int(d.date[:4]) if d.date else None
            seen[d.so_hieu] = DocRef(d.so_hieu, d.doc_type, year, tuple(a for a in d.aliases.split("|") if a))
    return list(seen.values())


@lru_cache(maxsize=1)
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
