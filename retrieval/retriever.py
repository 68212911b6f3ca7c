"""The hybrid search as a LangChain retriever, so it plugs into any LangChain chain (a prompt and a chat
model after it, for instance). Imported only where a chain is built: langchain_core's retriever module
brings its tracing stack along, which would double the start-up of `baocao ask`."""
from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.search import Hit, SearchIndex


class HybridRetriever(BaseRetriever):
    """BM25 + dense + rerank over the library and the asking unit's own reports."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: SearchIndex
    unit_id: int | None = None
    k: int = 8

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun
                                ) -> list[Document]:
        return [to_document(h) for h in self.index.search(query, k=self.k, unit_id=self.unit_id)]


def to_document(hit: Hit) -> Document:
    """The passage body, with its metadata and scores (score, dense, lexical, coverage)."""
    return Document(id=hit.id, page_content=hit.text, metadata={**hit.meta, "score": hit.score, "dense": hit.dense,
                                                                "lexical": hit.lexical, "coverage": hit.coverage})
