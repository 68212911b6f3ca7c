"""What the library indexes: our profiles, official full texts recorded in knowledge_documents, and units'
approved past reports, each turned into chunk records (id = content hash, search text, metadata).

`source_versions` lists every source with a version string, without reading or chunking anything: the index
compares it with what it holds and reads only the sources that are new or changed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import KnowledgeDocument, Report, Unit
from knowledge.catalogue import CATALOGUE_PATH
from knowledge.directives import DOC_TYPE_NAMES, load_library, profile_paths
from retrieval.reports import approved_reports

if TYPE_CHECKING:
    from retrieval.chunking import Chunk

TITLE_IN_HEADER = 160  # chars of the title repeated in every chunk's search text
_HERE = Path(__file__).resolve().parent


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


@dataclass(frozen=True)
class SourceVersion:
    key: str
    version: str
    unit_id: int | None


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


def all_sources(s: Session) -> list[SourceDoc]:
    return profile_docs() + file_docs(s) + report_docs(s)


def profile_docs() -> list[SourceDoc]:
    from retrieval.chunking import chunk_sections

    return [SourceDoc(f"profile:{d.so_hieu}", d.so_hieu, d.doc_type, d.title, d.issued_on, d.issuer, d.provenance,
                      chunk_sections([(s.heading, s.text) for s in d.sections]), aliases=tuple(d.aliases))
            for d in load_library().directives]


def _file_rows(s: Session, hashes: set[str] | None = None) -> list[KnowledgeDocument]:
    q = select(KnowledgeDocument).where(KnowledgeDocument.confirmed.is_(True), KnowledgeDocument.source_path != "")
    if hashes is not None:
        q = q.where(KnowledgeDocument.content_hash.in_(sorted(hashes)))
    return [row for row in s.scalars(q).all() if Path(row.source_path).is_file()]


def file_docs(s: Session, hashes: set[str] | None = None) -> list[SourceDoc]:
    """Confirmed official texts and reports added with `baocao index add` or uploaded by an admin."""
    lib = load_library()
    out = []
    for row in _file_rows(s, hashes):
        profile = lib.get(row.so_hieu) if row.so_hieu else None
        out.append(SourceDoc(f"file:{row.content_hash}", row.so_hieu, row.doc_type, row.title, row.issued_on,
                             row.issuer, row.provenance, _file_chunks(row.source_path, row.content_hash),
                             row.unit_id, tuple(profile.aliases) if profile else ()))
    return out


@lru_cache(maxsize=512)
def _file_chunks(path: str, content_hash: str) -> list[Chunk]:
    """Parsing a PDF takes a while: once per file content and process (the hash is part of the key)."""
    from retrieval.chunking import chunk_text
    from retrieval.ingest import read_text

    return chunk_text(read_text(Path(path)))


def report_docs(s: Session, ids: set[int] | None = None) -> list[SourceDoc]:
    from retrieval.chunking import chunk_text

    return [SourceDoc(r.key, "", "bao_cao", r.title, r.issued_on, r.issuer, "bao_cao", chunk_text(r.text), r.unit_id)
            for r in approved_reports(s, ids)]


def load_sources(s: Session, keys: set[str]) -> list[SourceDoc]:
    """The named sources only (the ones an incremental sync must read)."""
    out = [d for d in profile_docs() if d.key in keys] if any(k.startswith("profile:") for k in keys) else []
    hashes = {k.split(":", 1)[1] for k in keys if k.startswith("file:")}
    reports = {int(k.split(":", 1)[1]) for k in keys if k.startswith("report:")}
    return out + (file_docs(s, hashes) if hashes else []) + (report_docs(s, reports) if reports else [])


def _digest(*parts: object) -> str:
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()[:24]


@lru_cache(maxsize=1)
def _format() -> str:
    """Changes when the code or data that shape chunk records do (an upgrade re-indexes what it affects)."""
    files = [_HERE / "sources.py", _HERE / "chunking.py", _HERE / "reports.py", CATALOGUE_PATH, *profile_paths()]
    return _digest(*(hashlib.sha256(p.read_bytes()).hexdigest() for p in files))


def source_versions(s: Session) -> list[SourceVersion]:
    """Every source the index should hold, with a version that changes whenever its records would."""
    fmt = _format()
    out = [SourceVersion(f"profile:{d.so_hieu}", fmt, None) for d in load_library().directives]
    for row in _file_rows(s):
        out.append(SourceVersion(f"file:{row.content_hash}", _digest(fmt, row.so_hieu, row.doc_type, row.title,
                                                                     row.issued_on, row.issuer, row.provenance),
                                 row.unit_id))
    rows = s.execute(select(Report.id, Report.approved_at, Report.unit_id, Unit.name).join(Unit)
                     .where(Report.status == "approved").order_by(Report.id))
    out += [SourceVersion(f"report:{rid}", _digest(fmt, approved, name), unit) for rid, approved, unit, name in rows]
    return out
