"""BM25 over diacritic-free syllables and syllable bigrams: the terms and the weight formula.

Vietnamese words are one to three syllables; bigrams ("du_lieu", "dan_cu") recover most two-syllable words
without a word segmenter, and folding makes "du lieu dan cu" match "dữ liệu dân cư". The postings live on
disk (retrieval/lexical.py); a query weighs only the postings of its own terms.
"""
from __future__ import annotations

import math

import numpy as np

from common.vntext import syllables

K1, B = 1.2, 0.75


def terms(text: str) -> list[str]:
    syl = syllables(text)
    return syl + [f"{a}_{b}" for a, b in zip(syl, syl[1:])]


def idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def weights(tf: np.ndarray, lengths: np.ndarray, df: int, n: int, avg_length: float) -> np.ndarray:
    """BM25 weight of one term in each document holding it (term frequencies and document lengths given)."""
    tf = tf.astype(np.float32)
    norm = K1 * (1 - B + B * lengths.astype(np.float32) / avg_length)
    return (idf(df, n) * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
