"""The on-disk search index: one SQLite file under DATA_DIR holding the passages (text and metadata), the
sources they came from (with a version, so unchanged sources are never re-read), BM25 postings
(retrieval/lexical.py) and the diacritic forms (retrieval/forms.py).

It is derived data, like the vector cache: `baocao index --rebuild` recreates it from the sources. Every
write is one transaction and bumps `generation`, which readers use to drop what they cached; readers never
hold the whole corpus in memory, they ask for the rows a question needs. One connection per thread (WAL:
a question reads while the background sync writes).
"""
from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from common.vntext import syllables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, version TEXT NOT NULL, unit_id INTEGER NOT NULL,
    so_hieu TEXT NOT NULL, doc_type TEXT NOT NULL, date TEXT NOT NULL, provenance TEXT NOT NULL,
    aliases TEXT NOT NULL, chunks INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, chunk_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, unit_id INTEGER NOT NULL,
    so_hieu TEXT NOT NULL, length INTEGER NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL, meta TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_source ON passages (source);
CREATE INDEX IF NOT EXISTS passages_document ON passages (so_hieu, unit_id);
"""
LIBRARY = -1  # unit_id of passages every unit sees (directives, official texts)


@dataclass(frozen=True)
class SourceRow:
    """What the index remembers of one source document (a profile, an uploaded file, an approved report)."""
    key: str
    version: str
    unit_id: int
    so_hieu: str = ""
    doc_type: str = ""
    date: str = ""
    provenance: str = ""
    aliases: str = ""
    chunks: int = 0


@dataclass(frozen=True)
class Passage:
    id: int
    chunk_id: str
    text: str
    meta: dict
    folded: str = ""  # the text's diacritic-free syllables, space-separated


_PASSAGE = "SELECT id, chunk_id, text, meta, folded FROM passages"


def _passage(row: tuple) -> Passage:
    return Passage(row[0], row[1], row[2], json.loads(row[3]), row[4])


class IndexDB:
    def __init__(self, path: Path, schemas: Iterable[str] = ()) -> None:
        self.path = path
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()  # one writer at a time within the process; SQLite locks across processes
        path.parent.mkdir(parents=True, exist_ok=True)
        schema = "\n".join((_SCHEMA, *schemas))
        version = zlib.crc32(schema.encode()) & 0x7FFFFFFF
        c = self.conn()
        if c.execute("PRAGMA user_version").fetchone()[0] != version and c.execute(
                "SELECT count(*) FROM sqlite_master").fetchone()[0]:
            self.close()  # written by another version of this code: derived data, so start afresh
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            c = self.conn()
        c.executescript(schema)  # idempotent; executescript commits by itself
        c.execute(f"PRAGMA user_version = {version}")
        c.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = c
            self._conns.append(c)
        return c

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; readers see all of it or none of it."""
        with self._lock:
            c = self.conn()
            c.execute("BEGIN IMMEDIATE")
            try:
                yield c
                c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @staticmethod
    def set_meta(c: sqlite3.Connection, key: str, value: str) -> None:
        c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get_meta("generation", "0"))

    # --- sources -------------------------------------------------------------------------------
    def source_versions(self) -> dict[str, str]:
        return dict(self.conn().execute("SELECT key, version FROM sources"))

    def documents(self) -> list[SourceRow]:
        """Sources that carry a document number, in the order they were indexed (profiles first)."""
        rows = self.conn().execute("SELECT key, version, unit_id, so_hieu, doc_type, date, provenance, aliases, "
                                   "chunks FROM sources WHERE so_hieu != '' ORDER BY id")
        return [SourceRow(*r) for r in rows]

    def units(self) -> set[int]:
        return {r[0] for r in self.conn().execute("SELECT DISTINCT unit_id FROM sources")}

    def latest_report(self, scope: list[int]) -> str:
        marks = ",".join("?" * len(scope))
        row = self.conn().execute(f"SELECT max(date) FROM sources WHERE provenance = 'bao_cao' AND date != '' "
                                  f"AND unit_id IN ({marks})", scope).fetchone()
        return row[0] or ""

    # --- passages ------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.get_meta("passages", "0"))

    def chunk_ids(self, source: str | None = None) -> list[str]:
        if source is None:
            return [r[0] for r in self.conn().execute("SELECT chunk_id FROM passages ORDER BY id")]
        return [r[0] for r in self.conn().execute("SELECT chunk_id FROM passages WHERE source = ?", (source,))]

    def passages(self, ids: Iterable[int] = (), chunk_ids: Iterable[str] = ()) -> list[Passage]:
        ids, chunk_ids = list(ids), list(chunk_ids)
        out: list[Passage] = []
        for column, keys in (("id", ids), ("chunk_id", chunk_ids)):
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                rows = self.conn().execute(f"{_PASSAGE} WHERE {column} IN ({','.join('?' * len(part))})", part)
                out.extend(map(_passage, rows))
        return out

    def ids_of_documents(self, so_hieu: list[str], scope: list[int]) -> list[int]:
        q = (f"SELECT id FROM passages WHERE so_hieu IN ({','.join('?' * len(so_hieu))}) "
             f"AND unit_id IN ({','.join('?' * len(scope))})")
        return [r[0] for r in self.conn().execute(q, [*so_hieu, *scope])]

    def add_passages(self, c: sqlite3.Connection, source: SourceRow, records: list[tuple[str, str, dict, int]]
                     ) -> list[int]:
        """Store (chunk id, text, metadata, BM25 length) rows of one source; their new ids, in order."""
        ids = []
        for chunk_id, text, meta, length in records:
            cur = c.execute("INSERT INTO passages (chunk_id, source, unit_id, so_hieu, length, text, folded, meta) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (chunk_id, source.key, source.unit_id, source.so_hieu, length, text,
                             " ".join(syllables(text)), json.dumps(meta, ensure_ascii=False)))
            ids.append(cast(int, cur.lastrowid))
        c.execute("INSERT OR REPLACE INTO sources (key, version, unit_id, so_hieu, doc_type, date, provenance, "
                  "aliases, chunks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (source.key, source.version, source.unit_id, source.so_hieu, source.doc_type, source.date,
                   source.provenance, source.aliases, len(records)))
        self._add_counts(c, len(records), sum(r[3] for r in records))
        return ids

    def remove_source(self, c: sqlite3.Connection, key: str) -> list[Passage]:
        """Forget one source and its passages; the removed passages (the caller unindexes them)."""
        gone = [_passage(r) for r in c.execute(f"{_PASSAGE} WHERE source = ? ORDER BY id", (key,))]
        length = c.execute("SELECT coalesce(sum(length), 0) FROM passages WHERE source = ?", (key,)).fetchone()[0]
        c.execute("DELETE FROM passages WHERE source = ?", (key,))
        c.execute("DELETE FROM sources WHERE key = ?", (key,))
        self._add_counts(c, -len(gone), -length)
        return gone

    def _add_counts(self, c: sqlite3.Connection, passages: int, length: int) -> None:
        for key, delta in (("passages", passages), ("length", length)):
            c.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                      "CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)", (key, str(delta)))

    def totals(self) -> tuple[int, int]:
        """(passages, sum of their BM25 lengths): the corpus statistics BM25 needs."""
        return int(self.get_meta("passages", "0")), int(self.get_meta("length", "0"))

    def max_id(self) -> int:
        return self.conn().execute("SELECT coalesce(max(id), 0) FROM passages").fetchone()[0]

    def close(self) -> None:
        for c in self._conns:
            c.close()
        self._conns.clear()
        self._local = threading.local()
