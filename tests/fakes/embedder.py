"""A deterministic stand-in for the e5 model in the fast tests: no model file, microseconds per text.

Each text becomes its folded syllables and syllable pairs hashed into 383 dimensions, plus a constant
component twice their weight, so cosine similarities fall where e5's do (unrelated Vietnamese text near
0.80, shared wording higher) and the answer's relevance thresholds behave as with the real model.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from retrieval.bm25 import terms

DIM = 384


class FakeEmbedder:
    model_id = "fake:hashed-terms"

    def __init__(self) -> None:
        self.calls = 0

    def embed_batch(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        self.calls += 1
        return np.array([_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)


def _vector(text: str) -> np.ndarray:
    words = np.zeros(DIM - 1, dtype=np.float32)
    for t in terms(text):
        words[zlib.crc32(t.encode()) % (DIM - 1)] += 1.0
    norm = np.linalg.norm(words)
    v = np.concatenate([[2.0], words / norm if norm else words])
    return v / np.linalg.norm(v)
