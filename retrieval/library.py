"""The library facade: the search index kept in step with its sources, questions answered, documents added.

`Librarian` owns the parts (embedder and vector cache, the on-disk index, Chroma, opened on first use) and
wires them: indexing.py keeps the index current, search.py searches it, documents.py adds uploads. At
start-up and before each question a cheap stamp says whether anything changed; an approval or upload is
indexed in the background while the question is answered from the index as it was.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.errors import InvalidInput
from common.settings import Settings
from db.models import KnowledgeDocument, Report
from db.session import Database
from knowledge.directives import DOC_TYPE_NAMES
from retrieval import documents, forms, lexical
from retrieval.answer import Answer, compose
from retrieval.embeddings import CachedEmbedder, Embedder, VectorCache, make_embedder
from retrieval.index_db import IndexDB
from retrieval.indexing import Indexer, Progress, SyncResult
from retrieval.ingest import DocMeta
from retrieval.search import SearchIndex
from retrieval.store import VectorStore, make_client

log = logging.getLogger(__name__)


class Librarian:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        inner = embedder or make_embedder(settings)
        self.model_id = inner.model_id
        self.embedder = CachedEmbedder(inner, VectorCache(settings.data_dir / "vector_cache.sqlite3", self.model_id))
        self.index_db = IndexDB(settings.data_dir / "search_index.sqlite3", (lexical.SCHEMA, forms.SCHEMA))
        self.indexer = Indexer(self.index_db, lambda: self.vectors, self.embedder)
        self.index = SearchIndex(self.index_db, lambda: self.vectors, self.embedder)
        self._client = None
        self._vectors: VectorStore | None = None
        self._db: Database | None = None
        self._open = threading.Lock()
        self._stamp: tuple | None = None  # source_stamp() when the index was last known current
        self._behind = False  # the sources changed since: sync after the current answer
        self._indexed = threading.Event()  # set once start()'s indexing is over (its warm-up may go on)
        self._indexed.set()

    # --- parts, created on first use --------------------------------------------------------------
    @property
    def client(self):
        with self._open:
            if self._client is None:
                self._client = make_client(self.settings)
            return self._client

    @property
    def vectors(self) -> VectorStore:
        if self._vectors is None:
            self._vectors = VectorStore(self.client, self.model_id)
        return self._vectors

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings.db_url)
        return self._db

    @contextmanager
    def _session(self, s: Session | None) -> Iterator[Session]:
        """The caller's session (the chat's transaction sees its own uncommitted rows) or a new one."""
        if s is not None:
            yield s
        else:
            with self.db.session() as own:
                yield own

    # --- keeping the index current ---------------------------------------------------------------
    def ensure_indexed(self, progress: Progress | None = None, s: Session | None = None) -> SyncResult | None:
        """Index what changed; None (and no Chroma start-up cost) when nothing did."""
        with self._session(s) as ss:
            stamp, plan = source_stamp(ss), self.indexer.plan(ss)
            if self.settings.chroma_url:  # a server may have been reset behind our back
                vectors_ok = self.indexer.vectors_current(check_count=True)
            else:
                vectors_ok = self.settings.chroma_dir.is_dir() and self.indexer.vectors_current(check_count=False)
            result = None
            if plan or not vectors_ok:
                result = self.indexer.sync(ss, repair=not vectors_ok, progress=progress)  # re-planned, locked
        self._stamp = stamp
        return result

    def ready(self, s: Session | None = None) -> SearchIndex:
        """The search index. The chat calls this per question: it costs one query when nothing changed; a
        newly approved report or confirmed upload is indexed in the background once the question that
        noticed it is answered (the first call in a process brings the index up to date first)."""
        with self._session(s) as ss:
            stamp = source_stamp(ss)
        if self._stamp is None:
            self.ensure_indexed(s=s)
        elif stamp != self._stamp:
            self._stamp, self._behind = stamp, True
        return self.index

    def sync(self, rebuild: bool = False, progress: Progress | None = None, s: Session | None = None,
             repair: bool = False) -> SyncResult:
        """Index what changed now; `repair` also compares Chroma with the index, `rebuild` starts afresh."""
        if rebuild:
            self.indexer.reset()
        with self._session(s) as ss:
            return self.indexer.sync(ss, repair=repair or rebuild, progress=progress)

    def start(self) -> None:
        """`baocao run`: bring the index up to date and warm the model up, in the background."""
        self._indexed.clear()
        threading.Thread(target=self._start, name="library-start", daemon=True).start()

    def _start(self) -> None:
        try:
            try:
                self.ensure_indexed()
            finally:
                self._indexed.set()
            self.embedder.embed_query("khởi động")  # read-only: the process may leave without waiting for it
            self.vectors.count()
        except Exception:
            log.warning("library start-up failed", exc_info=True)

    # --- asking --------------------------------------------------------------------------------
    def titles(self) -> list[str]:
        """'Quyết định 06/QĐ-TTg', ... for every document in the index, the most substantial first."""
        names: dict[str, str] = {}
        size: Counter = Counter()
        for d in self.index.documents:
            names[d.so_hieu] = f"{DOC_TYPE_NAMES.get(d.doc_type, 'Văn bản')} {d.so_hieu}"
            size[d.so_hieu] += d.chunks
        return [names[sh] for sh, _ in size.most_common()]

    def ask(self, question: str, unit_id: int | None = None, chat_model=None,
            s: Session | None = None) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise InvalidInput("Anh/chị vui lòng nhập câu hỏi, ví dụ: /hoi Chỉ thị 04 yêu cầu cấp xã làm gì?")
        self.ready(s)
        answer = self.answer(question, unit_id, chat_model)
        if self._behind:
            self._behind = False
            self.indexer.sync_soon(self.db.session)
        return answer

    def answer(self, question: str, unit_id: int | None = None, chat_model=None) -> Answer:
        """The answer from the index as it is (`ask` first brings it up to date)."""
        u = self.index.understand(question)
        hits = self.index.retrieve(u, k=8, unit_id=unit_id)
        return compose(self.settings, question, hits, u.refs, self.titles(), chat_model)

    def retriever(self, unit_id: int | None = None, k: int = 8):
        """The hybrid search as a LangChain retriever (retrieval/retriever.py)."""
        from retrieval.retriever import HybridRetriever

        return HybridRetriever(index=self.ready(), unit_id=unit_id, k=k)

    # --- adding documents ----------------------------------------------------------------------
    @staticmethod
    def read_upload(path: Path) -> tuple[str, DocMeta]:
        return documents.read_upload(path)

    def add_file(self, path: Path, meta: DocMeta, provenance: str = "toan_van", unit_id: int | None = None,
                 added_by: int | None = None, confirmed: bool = True, sync: bool = True,
                 s: Session | None = None, file_name: str = "") -> KnowledgeDocument:
        """Copy the file into the data dir, record it in knowledge_documents and (if confirmed) index it."""
        with self._session(s) as ss:
            row = documents.store_file(ss, self.settings.data_dir / "library", path, meta, provenance, unit_id,
                                       added_by, confirmed, file_name)
            if confirmed and sync:
                self.sync(s=ss)
        return row

    def close(self) -> None:
        """Stop indexing at the next embedding batch (the rest is indexed at the next start), then release
        everything. A warm-up still running only reads, so nothing waits for it."""
        with _librarians_lock:
            for key, lib in list(_librarians.items()):
                if lib is self:
                    del _librarians[key]
        self.indexer.stop()
        self._indexed.wait()
        self.indexer.wait()
        if self._db is not None:
            self._db.dispose()
        self.index_db.close()
        self.embedder.cache.close()


def source_stamp(s: Session) -> tuple:
    """Changes whenever a report is approved or a document confirmed (what the index reads from the DB)."""
    reports = s.execute(select(func.count(Report.id), func.max(Report.approved_at))
                        .where(Report.status == "approved")).one()
    docs = s.execute(select(func.count(KnowledgeDocument.id), func.max(KnowledgeDocument.id))
                     .where(KnowledgeDocument.confirmed.is_(True))).one()
    return tuple(reports) + tuple(docs)


_librarians: dict[tuple, Librarian] = {}
_librarians_lock = threading.Lock()


def get_library(settings: Settings) -> Librarian:
    """One Librarian per configuration and process (the chat and the CLI share it)."""
    key = (str(settings.data_dir.resolve()), settings.chroma_url, settings.embedding_backend,
           settings.embedding_model, settings.db_url)
    with _librarians_lock:
        if key not in _librarians:
            _librarians[key] = Librarian(settings)
        return _librarians[key]


def close_all() -> None:
    """At exit: let background syncs finish before the interpreter goes (see bot/cli.py)."""
    for lib in list(_librarians.values()):
        lib.close()
