"""The library facade: keep the index in step with its sources, answer questions, add documents.

`ensure_indexed(settings)` runs at `baocao run` start-up: it compares a fingerprint of the wanted chunk ids
with the last indexed one and returns at once when nothing changed. Indexing is incremental by content hash
(chunk ids are hashes; vectors are cached by text hash), so an unchanged chunk is never embedded twice.
"""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from langchain_core.embeddings import Embeddings
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.errors import InvalidInput
from common.settings import Settings
from db.models import KnowledgeDocument, Report
from db.session import Database
from knowledge.directives import DOC_TYPE_NAMES
from retrieval.answer import Answer, compose
from retrieval.embeddings import CachedEmbeddings, VectorCache, make_embeddings
from retrieval.ingest import DocMeta, read_metadata, read_text
from retrieval.search import SearchIndex
from retrieval.sources import ChunkRecord, SourceDoc, file_docs, profile_docs, records, report_docs
from retrieval.store import make_client, make_store, open_collection

BATCH = 32
log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass
class SyncResult:
    added: int
    removed: int
    kept: int
    embedded: int  # passages that went through the model (the rest came from the vector cache)
    seconds: float


class Library:
    def __init__(self, settings: Settings, embeddings: Embeddings | None = None) -> None:
        self.settings = settings
        inner = embeddings or make_embeddings(settings)
        self.model_id = getattr(inner, "model_id", type(inner).__name__)
        self.embeddings = CachedEmbeddings(inner, VectorCache(settings.data_dir / "vector_cache.sqlite3",
                                                              self.model_id))
        self._client = None
        self._collection = None
        self._store = None
        self._index: SearchIndex | None = None
        self._db: Database | None = None
        self._lock = threading.RLock()
        self._checked = False  # ensure_indexed ran in this process
        self._stamp: tuple | None = None  # source_stamp() when the index was last brought up to date

    # --- parts, created on first use --------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    @property
    def collection(self):
        if self._collection is None:
            self._collection = open_collection(self.client, self.model_id)
        return self._collection

    @property
    def store(self):
        if self._store is None:
            self._store = make_store(self.client, self.embeddings, self.model_id)
        return self._store

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings.db_url)
        return self._db

    @property
    def state_path(self) -> Path:
        return self.settings.data_dir / "library_index.json"

    @contextmanager
    def _session(self, s: Session | None) -> Iterator[Session]:
        """The caller's session (the chat's transaction sees its own uncommitted rows) or a new one."""
        if s is not None:
            yield s
        else:
            with self.db.session() as own:
                yield own

    # --- indexing ------------------------------------------------------------------------------
    def sources(self, s: Session | None = None) -> list[SourceDoc]:
        with self._session(s) as ss:
            return profile_docs() + file_docs(ss) + report_docs(ss)

    def wanted(self, s: Session | None = None) -> list[ChunkRecord]:
        return [r for d in self.sources(s) for r in records(d)]

    @staticmethod
    def fingerprint(recs: list[ChunkRecord]) -> str:
        return hashlib.sha256("\n".join(sorted(r.id for r in recs)).encode()).hexdigest()

    def _state(self) -> dict:
        try:
            return json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def is_current(self, recs: list[ChunkRecord]) -> bool:
        st = self._state()
        if st.get("fingerprint") != self.fingerprint(recs) or st.get("model") != self.model_id:
            return False
        if self.settings.chroma_url:  # a server may have been reset behind our back
            return self.collection.count() == len(recs)
        return self.settings.chroma_dir.is_dir()

    def ensure_indexed(self, progress: Progress | None = None, s: Session | None = None) -> SyncResult | None:
        """Index what changed; None (and no Chroma start-up cost) when nothing did."""
        recs = self.wanted(s)
        self._checked = True
        if self.is_current(recs):
            return None
        return self.sync(progress=progress, recs=recs)

    def ready(self, s: Session | None = None) -> SearchIndex:
        """The search index, up to date with the database's sources (the chat calls this per question: a
        newly approved report or confirmed upload is indexed on the next question, otherwise it costs one query)."""
        with self._session(s) as ss:
            stamp = source_stamp(ss)
        if not self._checked or stamp != self._stamp:
            self.ensure_indexed(s=s)
            self._stamp = stamp
        return self.index

    def sync(self, rebuild: bool = False, progress: Progress | None = None,
             recs: list[ChunkRecord] | None = None, s: Session | None = None) -> SyncResult:
        with self._lock:
            t0, before = time.perf_counter(), self.embeddings.embedded
            recs = self.wanted(s) if recs is None else recs
            if rebuild:
                self.store.reset_collection()
                self._collection = None
            existing = set(self.collection.get(include=[])["ids"])
            wanted = {r.id: r for r in recs}
            stale = sorted(existing - set(wanted))
            if stale:
                self.store.delete(ids=stale)
            new = [r for r in recs if r.id not in existing]
            for i in range(0, len(new), BATCH):
                batch = new[i:i + BATCH]
                self.store.add_texts([r.text for r in batch], [r.meta for r in batch], ids=[r.id for r in batch])
                if progress:
                    progress(min(i + BATCH, len(new)), len(new))
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            self.state_path.write_text(json.dumps({"fingerprint": self.fingerprint(recs), "model": self.model_id,
                                                   "chunks": len(recs)}), encoding="utf-8")
            self._index = None
            return SyncResult(len(new), len(stale), len(recs) - len(new), self.embeddings.embedded - before,
                              time.perf_counter() - t0)

    # --- searching -----------------------------------------------------------------------------
    @property
    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                got = self.collection.get(include=["documents", "metadatas"])
                self._index = SearchIndex(got["ids"], got["documents"], got["metadatas"], self.collection,
                                          self.embeddings)
            return self._index

    def warm_up(self) -> None:
        """Load the search index and the model in the background, so the first question is answered fast."""
        try:
            self.index.embeddings.embed_query("khởi động")
        except Exception:
            log.warning("library warm-up failed", exc_info=True)

    def titles(self) -> list[str]:
        """'Quyết định 06/QĐ-TTg', ... for every document in the index, the most substantial first."""
        names: dict[str, str] = {}
        size: Counter = Counter()
        for m in self.index.metas:
            if m.get("so_hieu"):
                names[m["so_hieu"]] = f"{DOC_TYPE_NAMES.get(m.get('doc_type', ''), 'Văn bản')} {m['so_hieu']}"
                size[m["so_hieu"]] += 1
        return [names[sh] for sh, _ in size.most_common()]

    def ask(self, question: str, unit_id: int | None = None, chat_model=None,
            s: Session | None = None) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise InvalidInput("Anh/chị vui lòng nhập câu hỏi, ví dụ: /hoi Chỉ thị 04 yêu cầu cấp xã làm gì?")
        idx = self.ready(s)
        u = idx.understand(question)
        hits = idx.retrieve(u, k=8, unit_id=unit_id)
        return compose(self.settings, question, hits, u.refs, self.titles(), chat_model)

    # --- adding documents ----------------------------------------------------------------------
    def read_upload(self, path: Path) -> tuple[str, DocMeta]:
        """The text of a DOCX/PDF/TXT and the metadata printed on it (to be confirmed by the admin)."""
        text = read_text(path)
        if len(text.strip()) < 50:
            raise InvalidInput(f"Tệp {path.name} gần như không có chữ (có thể là bản scan); chưa thể thêm vào "
                               "thư viện.")
        return text, read_metadata(text)

    def add_file(self, path: Path, meta: DocMeta, provenance: str = "toan_van", unit_id: int | None = None,
                 added_by: int | None = None, confirmed: bool = True, sync: bool = True,
                 s: Session | None = None, file_name: str = "") -> KnowledgeDocument:
        """Copy the file into the data dir, record it in knowledge_documents and (if confirmed) index it."""
        if provenance not in ("toan_van", "bao_cao"):
            raise InvalidInput("Loại văn bản phải là toàn văn hoặc báo cáo.")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        dest = self.settings.data_dir / "library" / f"{digest[:24]}{path.suffix.lower()}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.exists():
            shutil.copyfile(path, dest)
        with self._session(s) as ss:
            row = ss.query(KnowledgeDocument).filter_by(content_hash=digest).one_or_none()
            if row is None:
                row = KnowledgeDocument(content_hash=digest)
                ss.add(row)
            row.so_hieu, row.doc_type, row.title = meta.so_hieu, meta.doc_type, meta.title or path.stem
            row.issued_on, row.issuer, row.provenance = meta.issued_on, meta.issuer, provenance
            row.unit_id, row.source_path, row.confirmed = unit_id, str(dest.resolve()), confirmed
            row.added_by, row.meta = added_by, {"file_name": file_name or path.name}
            ss.flush()
            if confirmed and sync:
                self.sync(s=ss)
        return row

    def close(self) -> None:
        with _libraries_lock:
            for key, lib in list(_libraries.items()):
                if lib is self:
                    del _libraries[key]
        if self._db is not None:
            self._db.dispose()
        self.embeddings.cache.close()


def source_stamp(s: Session) -> tuple:
    """Changes whenever a report is approved or a document confirmed (what the index reads from the DB)."""
    reports = s.execute(select(func.count(Report.id), func.max(Report.approved_at))
                        .where(Report.status == "approved")).one()
    docs = s.execute(select(func.count(KnowledgeDocument.id), func.max(KnowledgeDocument.id))
                     .where(KnowledgeDocument.confirmed.is_(True))).one()
    return tuple(reports) + tuple(docs)


_libraries: dict[tuple, Library] = {}
_libraries_lock = threading.Lock()


def get_library(settings: Settings) -> Library:
    """One Library per configuration and process (the chat and the CLI share it)."""
    key = (str(settings.data_dir.resolve()), settings.chroma_url, settings.embedding_backend,
           settings.embedding_model, settings.db_url)
    with _libraries_lock:
        if key not in _libraries:
            _libraries[key] = Library(settings)
        return _libraries[key]


def ensure_indexed(settings: Settings, progress: Progress | None = None, warm_up: bool = True) -> SyncResult | None:
    """Called by `baocao run` at start-up: index what changed, then warm the index up in the background."""
    lib = get_library(settings)
    result = lib.ensure_indexed(progress)
    if warm_up:
        threading.Thread(target=lib.warm_up, name="library-warm-up", daemon=True).start()
    return result


def parse_date(text: str) -> date | None:
    """'11/02/2024' or '2024-02-11' -> date; None for empty text."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"Ngày không hợp lệ: {text!r} (ví dụ đúng: 11/02/2024).")
