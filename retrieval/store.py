"""The Chroma vector store, embedded and persistent or a server at CHROMA_URL: every read and write goes
through `VectorStore`.

The collection is created with no embedding function of Chroma's own (our embedder supplies every
vector), so Chroma never tries to download its default model. One collection per embedding model, so
switching EMBEDDING_BACKEND never mixes vector spaces. Reads of ids are paged: one unpaged `get` of a large
collection fails in SQLite ("too many SQL variables" above 32,766 passages).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from urllib.parse import urlparse

import numpy as np

from common.settings import Settings

COLLECTION_PREFIX = "thu_vien"
PAGE = 5000  # ids per read (well under SQLite's 32,766 variables)
_METADATA = {"hnsw:space": "cosine"}


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
            self._collection = self.client.get_or_create_collection(self.name, embedding_function=None,
                                                                     metadata=_METADATA)
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
