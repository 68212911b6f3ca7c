"""Keeping the index in step with its sources, one source at a time.

Each source (a profile, a confirmed file, an approved report) has a cheap version (retrieval/sources.py);
the index remembers the version it holds. A sync reads, chunks and embeds only the sources whose version
is new, and drops the passages of sources that are gone: an approval costs one report, whatever the corpus.
Vectors come from the content-hash cache when the text was ever embedded. Chroma is written first, then
the on-disk index in one transaction, so a crash in between is repaired by the next sync (upserts).
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from retrieval import forms, lexical
from retrieval.embeddings import CachedEmbedder
from retrieval.index_db import LIBRARY, IndexDB, Passage, SourceRow
from retrieval.sources import ChunkRecord, SourceDoc, load_sources, records, source_versions
from retrieval.store import VectorStore

EMBED_BATCH = 32
WRITE_BATCH = 2000  # passages per index transaction (one postings segment)
MANAGED = ("profile", "file", "report")  # key prefixes synced from the database; others come from index_sources
log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass
class SyncResult:
    added: int
    removed: int
    kept: int
    embedded: int  # passages that went through the model (the rest came from the vector cache)
    seconds: float


@dataclass(frozen=True)
class Plan:
    remove: list[str]  # source keys whose passages go (gone, or changed)
    add: dict[str, str]  # source key -> version, to read and index (new, or changed)

    def __bool__(self) -> bool:
        return bool(self.remove or self.add)


class Indexer:
    def __init__(self, db: IndexDB, vectors: Callable[[], VectorStore], embedder: CachedEmbedder) -> None:
        self.db, self._vectors, self.embedder = db, vectors, embedder
        self._lock = threading.Lock()  # one sync at a time
        self._thread: threading.Thread | None = None
        self._again = threading.Event()
        self._stopping = threading.Event()  # closing: a sync stops before its next embedding batch

    @property
    def vectors(self) -> VectorStore:
        return self._vectors()

    def plan(self, s: Session) -> Plan:
        return self._plan({v.key: v.version for v in source_versions(s)})

    def _plan(self, wanted: dict[str, str]) -> Plan:
        held = {k: v for k, v in self.db.source_versions().items() if k.split(":", 1)[0] in MANAGED}
        changed = [k for k, v in wanted.items() if k in held and held[k] != v]
        return Plan(remove=[k for k in held if k not in wanted] + changed,
                    add={k: v for k, v in wanted.items() if held.get(k) != v})

    def _read(self, s: Session) -> tuple[dict[str, str], list[SourceDoc]]:
        """What the database wants indexed, and the sources new to the index, read before the sync lock: every
        caller holds the database before the lock (on SQLite a transaction is its write lock), never after."""
        wanted = {v.key: v.version for v in source_versions(s)}
        plan = self._plan(wanted)
        return wanted, load_sources(s, set(plan.add)) if plan.add else []

    def vectors_current(self, check_count: bool) -> bool:
        """Chroma holds what the index holds: same model and (for a server, which may be reset behind our
        back) the same count. Embedded Chroma is only checked for existence: opening it costs start-up time."""
        if self.db.get_meta("model") not in ("", self.embedder.model_id):
            return False
        return self.vectors.count() == self.db.count() if check_count else True

    def sync(self, s: Session, repair: bool = False, progress: Progress | None = None) -> SyncResult:
        return self._apply(*self._read(s), repair, progress)

    def _apply(self, wanted: dict[str, str], docs: list[SourceDoc], repair: bool,
               progress: Progress | None) -> SyncResult:
        with self._lock:  # planned under the lock: a sync that waited sees what the one before it did
            t0, before = time.perf_counter(), self.embedder.embedded
            plan, have = self._plan(wanted), {d.key for d in docs}
            # what another sync did since `wanted` was read is not undone: a source it indexed is not added
            # twice, and one it changed again is left for the next sync (its new text was not read here)
            removed = self._remove([k for k in plan.remove if k not in wanted or k in have])
            added = self._add([d for d in docs if d.key in plan.add], plan.add, progress)
            if repair and not self._stopping.is_set():
                added += self.repair()
            with self.db.write() as c:
                self.db.set_meta(c, "model", self.embedder.model_id)
            total = self.db.count()
            return SyncResult(added, removed, total - added, self.embedder.embedded - before,
                              time.perf_counter() - t0)

    def index_sources(self, docs: list[SourceDoc], version: str, progress: Progress | None = None) -> SyncResult:
        """Index documents that are not database sources (the benchmark's synthetic corpus) under `version`;
        those already held at that version are kept."""
        with self._lock:
            t0, before = time.perf_counter(), self.embedder.embedded
            held = self.db.source_versions()
            todo = [d for d in docs if held.get(d.key) != version]
            added = self._add(todo, {d.key: version for d in todo}, progress)
            return SyncResult(added, 0, self.db.count() - added, self.embedder.embedded - before,
                              time.perf_counter() - t0)

    def _remove(self, keys: list[str]) -> int:
        n = 0
        for key in keys:
            ids = self.db.chunk_ids(key)
            if ids:
                self.vectors.delete(ids)
            with self.db.write() as c:
                gone = self.db.remove_source(c, key)
                _unindex(c, gone)
            n += len(gone)
        return n

    def _add(self, docs: list[SourceDoc], versions: dict[str, str], progress: Progress | None) -> int:
        todo = [(d, _unique(records(d))) for d in docs]
        total, done = sum(len(r) for _, r in todo), 0
        group: list[tuple[SourceDoc, list[ChunkRecord]]] = []
        for i, item in enumerate(todo):
            group.append(item)
            if sum(len(r) for _, r in group) >= WRITE_BATCH or i == len(todo) - 1:
                written = self._write(group, versions, done, total, progress)
                if written is None:  # stopped: the sources not written are planned again at the next start
                    break
                done, group = written, []
        return done

    def _write(self, group: list[tuple[SourceDoc, list[ChunkRecord]]], versions: dict[str, str], done: int,
               total: int, progress: Progress | None) -> int | None:
        """Embed and write one group in one transaction; None when told to stop first (the vectors made so far
        stay in the vector cache for the next start)."""
        recs = [r for _, rs in group for r in rs]
        vecs = []
        for i in range(0, len(recs), EMBED_BATCH):
            if self._stopping.is_set():
                return None
            vecs.append(self.embedder.embed_batch([r.text for r in recs[i:i + EMBED_BATCH]]))
            if progress:
                progress(done + min(i + EMBED_BATCH, len(recs)), total)
        if recs:
            self.vectors.upsert([r.id for r in recs], _stack(vecs), [r.text for r in recs], [r.meta for r in recs])
        with self.db.write() as c:
            new: list[tuple[int, int, Counter]] = []
            for doc, rs in group:
                _unindex(c, self.db.remove_source(c, doc.key))  # a stale version, if the last sync broke off
                row = _source_row(doc, versions.get(doc.key, ""), len(rs))
                counts = [lexical.term_counts(r.text, doc.so_hieu) for r in rs]
                ids = self.db.add_passages(c, row, [(r.id, r.text, r.meta, sum(n.values()))
                                                    for r, n in zip(rs, counts)])
                new += [(pid, row.unit_id, n) for pid, n in zip(ids, counts)]
            lexical.add(c, new)
            forms.add(c, forms.count(r.text for r in recs))
        return done + len(recs)

    def repair(self) -> int:
        """Make Chroma hold exactly the index's passages (read in pages); the number of passages re-added."""
        held = set(self.vectors.ids())
        wanted = self.db.chunk_ids()
        extra = sorted(held - set(wanted))
        if extra:
            self.vectors.delete(extra)
        missing = [cid for cid in wanted if cid not in held]
        for i in range(0, len(missing), WRITE_BATCH):
            part = self.db.passages(chunk_ids=missing[i:i + WRITE_BATCH])
            vecs = [self.embedder.embed_batch([p.text for p in part[j:j + EMBED_BATCH]])
                    for j in range(0, len(part), EMBED_BATCH)]
            self.vectors.upsert([p.chunk_id for p in part], _stack(vecs), [p.text for p in part],
                                [p.meta for p in part])
        return len(missing)

    def reset(self) -> None:
        self.vectors.reset()
        with self.db.write() as c:
            for (key,) in c.execute("SELECT key FROM sources").fetchall():
                self.db.remove_source(c, key)
            c.execute("DELETE FROM postings")
            c.execute("DELETE FROM segments")
            c.execute("DELETE FROM dfs")
            c.execute("DELETE FROM forms")

    # --- in the background ---------------------------------------------------------------------
    def sync_soon(self, session: Callable[[], AbstractContextManager[Session]]) -> None:
        """Sync in a background thread (one at a time; a request during a sync runs another after it), so
        the question that noticed an approval or upload does not wait for its embedding."""
        self._again.set()
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._run, args=(session,), name="library-sync", daemon=True)
        self._thread.start()

    def _run(self, session: Callable[[], AbstractContextManager[Session]]) -> None:
        while self._again.is_set():
            self._again.clear()
            try:
                with session() as s:  # read, then let go: officers' updates do not wait for the embedding
                    wanted, docs = self._read(s)
                if self._plan(wanted):
                    self._apply(wanted, docs, False, None)
            except Exception:
                log.exception("background library sync failed")

    def stop(self) -> None:
        """Stop syncing before the next embedding batch: the process is leaving (a group is written whole or
        not at all)."""
        self._stopping.set()

    def wait(self, timeout: float | None = None) -> None:
        t = self._thread
        if t is not None:
            t.join(timeout)


def _unindex(c: sqlite3.Connection, gone: list[Passage]) -> None:
    lexical.remove(c, [(p.id, p.meta.get("unit_id", LIBRARY), set(lexical.term_counts(p.text, p.meta["so_hieu"])))
                       for p in gone])
    forms.add(c, forms.count(p.text for p in gone), sign=-1)


def _unique(recs: list[ChunkRecord]) -> list[ChunkRecord]:
    """A chunk repeated word for word in one document is indexed once (its id is its content hash)."""
    first: dict[str, ChunkRecord] = {}
    for r in recs:
        first.setdefault(r.id, r)
    return list(first.values())


def _stack(vecs: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(vecs) if vecs else np.empty((0, 0), dtype=np.float32)


def _source_row(doc: SourceDoc, version: str, chunks: int) -> SourceRow:
    return SourceRow(doc.key, version, doc.unit_id if doc.unit_id is not None else LIBRARY, doc.so_hieu,
                     doc.doc_type, doc.issued_on.isoformat() if doc.issued_on else "", doc.provenance,
                     "|".join(doc.aliases), chunks)
