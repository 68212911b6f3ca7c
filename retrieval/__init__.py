"""Directive library retrieval: chunking, embeddings, Chroma + BM25 hybrid search, answers with citations.

Entry points live in retrieval.library (`ensure_indexed`, `get_library`) and retrieval.citecheck.
"""
