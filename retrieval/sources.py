"""What the library indexes: our profiles, official full texts recorded in knowledge_documents, and units'
approved past reports, each turned into chunk records (id = content hash, search text, metadata)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import KnowledgeDocument
from knowledge.directives import DOC_TYPE_NAMES, load_library
from retrieval.chunking import Chunk, chunk_sections, chunk_text
from retrieval.ingest import read_text
from retrieval.reports import approved_reports

TITLE_IN_HEADER = 160  # chars of the title repeated in every chunk's search text


@dataclass
class SourceDoc:
    key: str  # "profile:04/CT-TTg", "file:<content hash>", "report:12"
    so_hieu: str
    doc_type: str
    title: str
    issued_on: date | None
    issuer: str
    provenance: str  # tom_tat | toan_van | bao_cao
    chunks: list[Chunk]
    unit_id: int | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ChunkRecord:
    id: str
    text: str  # header + chunk text: what is embedded and what BM25 reads
    meta: dict


def header(doc: SourceDoc, section: str) -> str:
    kind = DOC_TYPE_NAMES.get(doc.doc_type, "Văn bản")
    title = doc.title if len(doc.title) <= TITLE_IN_HEADER else doc.title[:TITLE_IN_HEADER].rsplit(" ", 1)[0] + "…"
    name = f"{kind} {doc.so_hieu}" if doc.so_hieu else kind
    return f"{name}: {title}." + (f" {section}." if section else "") + "\n"


def records(doc: SourceDoc) -> list[ChunkRecord]:
    out = []
    for c in doc.chunks:
        head = header(doc, c.section)
        text = head + c.text
        cid = hashlib.sha256(f"{doc.key}\n{doc.provenance}\n{doc.unit_id}\n{text}".encode()).hexdigest()[:40]
        out.append(ChunkRecord(cid, text, {
            "doc_key": doc.key, "so_hieu": doc.so_hieu, "doc_type": doc.doc_type, "title": doc.title,
            "date": doc.issued_on.isoformat() if doc.issued_on else "", "issuer": doc.issuer,
            "provenance": doc.provenance, "unit_id": doc.unit_id if doc.unit_id is not None else -1,
            "section": c.section, "ordinal": c.ordinal, "body_start": len(head),
            "aliases": "|".join(doc.aliases),
        }))
    return out


def profile_docs() -> list[SourceDoc]:
    return [SourceDoc(f"profile:{d.so_hieu}", d.so_hieu, d.doc_type, d.title, d.issued_on, d.issuer, d.provenance,
                      chunk_sections([(s.heading, s.text) for s in d.sections]), aliases=tuple(d.aliases))
            for d in load_library().directives]


def file_docs(s: Session) -> list[SourceDoc]:
    """Confirmed official texts and reports added with `baocao index add` or uploaded by an admin."""
    lib = load_library()
    out = []
    rows = s.scalars(select(KnowledgeDocument).where(KnowledgeDocument.confirmed.is_(True),
                                                     KnowledgeDocument.source_path != "")).all()
    for row in rows:
        path = Path(row.source_path)
        if not path.is_file():
            continue
        profile = lib.get(row.so_hieu) if row.so_hieu else None
        out.append(SourceDoc(f"file:{row.content_hash}", row.so_hieu, row.doc_type, row.title, row.issued_on,
                             row.issuer, row.provenance, _file_chunks(str(path), row.content_hash), row.unit_id,
                             tuple(profile.aliases) if profile else ()))
    return out


@lru_cache(maxsize=512)
def _file_chunks(path: str, content_hash: str) -> list[Chunk]:
    """Parsing a PDF takes a while: once per file content and process (the hash is part of the key)."""
    return chunk_text(read_text(Path(path)))


def report_docs(s: Session) -> list[SourceDoc]:
    return [SourceDoc(r.key, "", "bao_cao", r.title, r.issued_on, r.issuer, "bao_cao", chunk_text(r.text), r.unit_id)
            for r in approved_reports(s)]
