"""The Chroma vector store (through langchain_chroma): embedded and persistent, or a server at CHROMA_URL.

The collection is created with no embedding function of Chroma's own (our Embeddings class supplies every
vector), so Chroma never tries to download its default model. One collection per embedding model, so
switching EMBEDDING_BACKEND never mixes vector spaces.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from common.settings import Settings

if TYPE_CHECKING:
    from langchain_chroma import Chroma

COLLECTION_PREFIX = "thu_vien"


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


_METADATA = {"hnsw:space": "cosine"}


def open_collection(client, model_id: str):
    """The raw collection, for the question path (no langchain import: the first answer comes sooner)."""
    return client.get_or_create_collection(collection_name(model_id), embedding_function=None, metadata=_METADATA)


def make_store(client, embeddings: Embeddings, model_id: str) -> Chroma:
    """langchain's vector store over the same collection, for indexing."""
    from langchain_chroma import Chroma

    return Chroma(collection_name=collection_name(model_id), embedding_function=embeddings, client=client,
                  collection_metadata=_METADATA)
