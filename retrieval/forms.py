"""The diacritic restorer's vocabulary, counted on disk and kept up to date passage by passage.

For each folded word ("dan") and word pair ("dan cu") the index counts every accented form it has seen
("dân", "dẫn"; "dân cư"); a question typed without accents gets the most frequent one. Adding or removing
a passage adds or subtracts its counts, so the restorer never needs a rebuild.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping

from retrieval.query import DiacriticRestorer, form_counts

SCHEMA = """
CREATE TABLE IF NOT EXISTS forms (
    id INTEGER PRIMARY KEY, folded TEXT NOT NULL, form TEXT NOT NULL, n INTEGER NOT NULL, UNIQUE (folded, form));
"""


def count(texts: Iterable[str]) -> Counter:
    """(folded, form) counts of words and of pairs (pairs are space-joined: words never hold a space)."""
    out: Counter = Counter()
    for text in texts:
        uni, bi = form_counts(text)
        out.update(uni)
        out.update({(" ".join(f), " ".join(w)): n for (f, w), n in bi.items()})
    return out


def add(c: sqlite3.Connection, counts: Counter, sign: int = 1) -> None:
    c.executemany("INSERT INTO forms (folded, form, n) VALUES (?, ?, ?) ON CONFLICT (folded, form) "
                  "DO UPDATE SET n = n + excluded.n", ((f, w, sign * n) for (f, w), n in counts.items()))
    if sign < 0:
        c.execute("DELETE FROM forms WHERE n <= 0")


class _MostFrequent(Mapping):
    """folded -> its most frequent form, read from the table on demand (ties: the form seen first)."""

    def __init__(self, conn: Callable[[], sqlite3.Connection], pairs: bool) -> None:
        self._conn, self._pairs = conn, pairs

    def __getitem__(self, key):
        folded = " ".join(key) if self._pairs else key
        row = self._conn().execute("SELECT form FROM forms WHERE folded = ? ORDER BY n DESC, id LIMIT 1",
                                   (folded,)).fetchone()
        if row is None:
            raise KeyError(key)
        return tuple(row[0].split(" ")) if self._pairs else row[0]

    def __iter__(self) -> Iterator:
        space = "instr(folded, ' ') > 0" if self._pairs else "instr(folded, ' ') = 0"
        for (f,) in self._conn().execute(f"SELECT DISTINCT folded FROM forms WHERE {space}"):
            yield tuple(f.split(" ")) if self._pairs else f

    def __len__(self) -> int:
        return sum(1 for _ in self)


def restorer(conn: Callable[[], sqlite3.Connection]) -> DiacriticRestorer:
    return DiacriticRestorer.from_forms(_MostFrequent(conn, pairs=False), _MostFrequent(conn, pairs=True))
