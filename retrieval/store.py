"""The Chroma vector store, embedded and persistent or a server at CHROMA_URL: every read and write goes
through `VectorStore`.

The collection is created with no embedding function of Chroma's own (our embedder supplies every
vector), so Chroma never tries to download its default model. One collection per embedding model, so
switching EMBEDDING_BACKEND never mixes vector spaces. Reads of ids are paged: one unpaged `get` of a large
collection fails in SQLite ("too many SQL variables" above 32,766 passages).

Chroma saves its HNSW index every `SYNC_THRESHOLD` written vectors; a process opening the collection replays
into it every vector written since (in the first operation). Chroma's default, 1,000, left the demo's 948
passages to be replayed by every `baocao ask` (0.17 s); at 100 the replay takes ~10 ms, and an index of 100,000
passages is saved once per ~100 new ones (a few approvals) instead of per 1,000.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from urllib.parse import urlparse

import numpy as np

from common.settings import Settings

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "thu_vien"
PAGE = 5000  # ids per read (well under SQLite's 32,766 variables)
SYNC_THRESHOLD = 100
_METADATA = {"hnsw:space": "cosine", "hnsw:sync_threshold": SYNC_THRESHOLD}


def collection_name(model_id: str) -> str:
    return f"{COLLECTION_PREFIX}_{hashlib.sha256(model_id.encode()).hexdigest()[:10]}"


def make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        https = u.scheme == "https"
        return chromadb.HttpClient(host=u.hostname or "localhost", port=u.port or (443 if https else 8000), ssl=https,
                                   settings=chroma_settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class VectorStore:
    def __init__(self, client, model_id: str) -> None:
        self.client, self.name = client, collection_name(model_id)
        self._collection = None

    @property
    def collection(self):
        if self._collection is None:
            collection = self.client.get_or_create_collection(self.name, embedding_function=None,
                                                               metadata=_METADATA)
            hnsw = (getattr(collection, "configuration", None) or {}).get("hnsw") or {}
            if hnsw.get("sync_threshold", SYNC_THRESHOLD) != SYNC_THRESHOLD:  # created with Chroma's default
                from chromadb.errors import ChromaError

                try:
                    collection.modify(configuration={"hnsw": {"sync_threshold": SYNC_THRESHOLD}})
                except ChromaError:  # seen once: "database is locked"; the next process tries again
                    log.info("Chroma's sync threshold not changed this time", exc_info=True)
            self._collection = collection
        return self._collection

    def count(self) -> int:
        return self.collection.count()

    def ids(self, page: int = PAGE) -> Iterator[str]:
        """Every id in the collection, read `page` at a time."""
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            yield from got
            if len(got) < page:
                return
            offset += page

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, texts: Sequence[str], metas: Sequence[dict]) -> None:
        for i in range(0, len(ids), PAGE):
            self.collection.upsert(ids=list(ids[i:i + PAGE]), embeddings=np.asarray(vectors[i:i + PAGE]),
                                   documents=list(texts[i:i + PAGE]), metadatas=list(metas[i:i + PAGE]))

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), PAGE):
            self.collection.delete(ids=list(ids[i:i + PAGE]))

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(id, cosine similarity) of the k nearest passages matching `where`."""
        res = self.collection.query(query_embeddings=[np.asarray(vector)], n_results=k, where=where,
                                    include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    def reset(self) -> None:
        try:
            self.client.delete_collection(self.name)
        except Exception:  # noqa: BLE001 - absent already (chromadb raises its own NotFound types)
            pass
        self._collection = None
