"""BM25 postings on disk, grown incrementally: (term, scope) -> segments of packed (passage id, tf, length).

A scope is the unit a passage belongs to (-1 for the library every unit sees), so a question reads only the
postings of the library and of the asking unit. Adding passages appends one segment per touched (term,
scope); when a key holds more than MAX_SEGMENTS, its smaller segments are merged (the large base stays).
Removing passages rewrites the keys they touch. Document frequencies are global, as the ranking was
before: a query's weights do not depend on which unit asks.

Measured against SQLite FTS5 (bm25() over an OR of the question's ~20 terms) at 100k passages: FTS5 took
0.3-1.5 s a question (it ranks every matching row), this takes milliseconds (numpy over a few blobs).
"""
from __future__ import annotations

import sqlite3
from array import array
from collections import Counter, defaultdict

import numpy as np

from retrieval.bm25 import terms, weights

MAX_SEGMENTS = 8
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL, scope INTEGER NOT NULL, seg INTEGER NOT NULL,
    docs BLOB NOT NULL, tfs BLOB NOT NULL, lens BLOB NOT NULL, PRIMARY KEY (term, scope, seg)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dfs (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segments (
    term TEXT NOT NULL, scope INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (term, scope)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS segments_over ON segments (n) WHERE n > {MAX_SEGMENTS};
"""
_ID, _TF = np.int32, np.uint16


def lexical_text(text: str, so_hieu: str) -> str:
    """What BM25 reads. A document's number is matched by query understanding, not by words: "năm 2022" must
    not favour every chunk of 59/2022/NĐ-CP."""
    return text.replace(so_hieu, " ") if so_hieu else text


def term_counts(text: str, so_hieu: str) -> Counter:
    return Counter(terms(lexical_text(text, so_hieu)))


def add(c: sqlite3.Connection, docs: list[tuple[int, int, Counter]]) -> None:
    """Index (passage id, scope, term counts) triples in one new segment per (term, scope)."""
    if not docs:
        return
    by_key: dict[tuple[str, int], list[tuple[int, int, int]]] = defaultdict(list)
    df: Counter = Counter()
    for pid, scope, counts in docs:
        length = sum(counts.values())
        for t, tf in counts.items():
            by_key[(t, scope)].append((pid, tf, length))
            df[t] += 1
    seg = min(pid for pid, _, _ in docs)  # passage ids are never reused, so neither are segment numbers
    c.executemany("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?)",
                  ((t, scope, seg, *_pack(rows)) for (t, scope), rows in by_key.items()))
    c.executemany("INSERT INTO segments VALUES (?, ?, 1) ON CONFLICT (term, scope) DO UPDATE SET n = n + 1",
                  by_key)
    _add_df(c, df)
    for key in c.execute(f"SELECT term, scope FROM segments WHERE n > {MAX_SEGMENTS}").fetchall():
        _compact(c, key)


def remove(c: sqlite3.Connection, docs: list[tuple[int, int, set[str]]]) -> None:
    """Unindex (passage id, scope, its terms) triples: every key they touch is rewritten without them."""
    gone_by_key: dict[tuple[str, int], set[int]] = defaultdict(set)
    df: Counter = Counter()
    for pid, scope, ts in docs:
        for t in ts:
            gone_by_key[(t, scope)].add(pid)
            df[t] -= 1
    for (t, scope), gone in gone_by_key.items():
        docs_, tfs, lens = _read(c, t, scope)
        keep = ~np.isin(docs_, np.fromiter(gone, dtype=_ID, count=len(gone)))
        c.execute("DELETE FROM postings WHERE term = ? AND scope = ?", (t, scope))
        c.execute("DELETE FROM segments WHERE term = ? AND scope = ?", (t, scope))
        if keep.any():
            c.execute("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?)",
                      (t, scope, 0, docs_[keep].tobytes(), tfs[keep].tobytes(), lens[keep].tobytes()))
            c.execute("INSERT INTO segments VALUES (?, ?, 1)", (t, scope))
    _add_df(c, df)
    c.execute("DELETE FROM dfs WHERE df <= 0")


def _pack(rows: list[tuple[int, int, int]]) -> tuple[bytes, bytes, bytes]:
    ids, tfs, lens = zip(*rows)
    return (array("i", ids).tobytes(), array("H", (min(x, 65535) for x in tfs)).tobytes(),
            array("H", (min(x, 65535) for x in lens)).tobytes())


def _unpack(docs: bytes, tfs: bytes, lens: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.frombuffer(docs, _ID), np.frombuffer(tfs, _TF), np.frombuffer(lens, _TF)


def _read(c: sqlite3.Connection, term: str, scope: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = [_unpack(*r) for r in c.execute("SELECT docs, tfs, lens FROM postings WHERE term = ? AND scope = ?",
                                             (term, scope))]
    if not parts:
        return np.empty(0, _ID), np.empty(0, _TF), np.empty(0, _TF)
    return tuple(np.concatenate(x) for x in zip(*parts))  # type: ignore[return-value]


def _add_df(c: sqlite3.Connection, df: Counter) -> None:
    c.executemany("INSERT INTO dfs VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                  df.items())


def _compact(c: sqlite3.Connection, key: tuple[str, int]) -> None:
    segs = c.execute("SELECT seg, length(docs) FROM postings WHERE term = ? AND scope = ? ORDER BY 2 DESC",
                     key).fetchall()
    if len(segs) <= MAX_SEGMENTS:
        return
    small = [s for s, _ in segs[1:]]
    marks = ",".join("?" * len(small))
    rows = c.execute(f"SELECT docs, tfs, lens FROM postings WHERE term = ? AND scope = ? AND seg IN ({marks})",
                     (*key, *small)).fetchall()
    merged = [np.concatenate(x) for x in zip(*(_unpack(*r) for r in rows))]
    c.execute(f"DELETE FROM postings WHERE term = ? AND scope = ? AND seg IN ({marks})", (*key, *small))
    c.execute("INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?)", (*key, max(small), *(a.tobytes() for a in merged)))
    c.execute("UPDATE segments SET n = 2 WHERE term = ? AND scope = ?", key)


def top(c: sqlite3.Connection, question: str, scope: list[int], k: int, totals: tuple[int, int],
        only: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The k best (passage id, BM25 score) of the question among the scope's passages (and `only` ids)."""
    n, total_length = totals
    qterms = sorted(set(terms(question)))
    if not n or not qterms or k <= 0:
        return []
    tmarks, smarks = ",".join("?" * len(qterms)), ",".join("?" * len(scope))
    dfs = dict(c.execute(f"SELECT term, df FROM dfs WHERE term IN ({tmarks})", qterms))
    rows = c.execute(f"SELECT term, docs, tfs, lens FROM postings WHERE term IN ({tmarks}) AND scope IN ({smarks})",
                     (*qterms, *scope)).fetchall()
    if not rows:
        return []
    parts = [(t, *_unpack(*r)) for t, *r in rows]
    acc = np.zeros(max(int(p[1].max()) for p in parts) + 1, dtype=np.float32)
    avg = total_length / n
    for t, docs, tfs, lens in parts:
        acc[docs] += weights(tfs, lens, dfs.get(t, len(docs)), n, avg)  # ids are unique within a segment
    if only is not None:
        keep = np.zeros_like(acc, dtype=bool)
        keep[only[only < len(acc)]] = True
        acc[~keep] = 0.0
    hit = np.flatnonzero(acc > 0)
    if len(hit) > k:
        hit = hit[np.argpartition(-acc[hit], k - 1)[:k]]
    hit = hit[np.argsort(-acc[hit], kind="stable")]
    return [(int(i), float(acc[i])) for i in hit]
