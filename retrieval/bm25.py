"""BM25 over diacritic-free syllables and syllable bigrams.

Vietnamese words are one to three syllables; bigrams ("du_lieu", "dan_cu") recover most two-syllable words
without a word segmenter, and folding makes "du lieu dan cu" match "dữ liệu dân cư". Scores of each term
are precomputed per document at build time, so a query is a handful of numpy additions.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from common.vntext import syllables

K1, B = 1.2, 0.75


def terms(text: str) -> list[str]:
    syl = syllables(text)
    return syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:])]


class BM25:
    def __init__(self, docs: list[str]) -> None:
        self.size = len(docs)
        counts = [Counter(terms(d)) for d in docs]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        avg = float(lengths.mean()) if self.size else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, c in enumerate(counts):
            for t, tf in c.items():
                postings[t].append((i, tf))
        self._index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for t, plist in postings.items():
            ids = np.fromiter((i for i, _ in plist), dtype=np.int32, count=len(plist))
            tf = np.fromiter((f for _, f in plist), dtype=np.float32, count=len(plist))
            idf = math.log(1 + (self.size - len(plist) + 0.5) / (len(plist) + 0.5))
            norm = K1 * (1 - B + B * lengths[ids] / avg)
            self._index[t] = (ids, (idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32))

    def known(self, term: str) -> bool:
        return term in self._index

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for t in set(terms(query)):
            hit = self._index.get(t)
            if hit is not None:
                out[hit[0]] += hit[1]
        return out

    def top(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        s = self.scores(query)
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        k = min(k, self.size)
        if k <= 0:
            return []
        idx = np.argpartition(-s, k - 1)[:k]
        idx = idx[np.argsort(-s[idx])]
        return [(int(i), float(s[i])) for i in idx if s[i] > 0]
