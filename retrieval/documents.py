"""Adding documents to the library: read an upload's text and printed metadata, store the file and its
`knowledge_documents` row (indexing is the caller's next step, once the admin confirmed)."""
from __future__ import annotations

import hashlib
import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from common.errors import InvalidInput
from db.models import KnowledgeDocument
from retrieval.ingest import DocMeta, read_metadata, read_text

PROVENANCES = ("toan_van", "bao_cao")


def read_upload(path: Path) -> tuple[str, DocMeta]:
    """The text of a DOCX/PDF/TXT and the metadata printed on it (to be confirmed by the admin)."""
    text = read_text(path)
    if len(text.strip()) < 50:
        raise InvalidInput(f"Tệp {path.name} gần như không có chữ (có thể là bản scan); chưa thể thêm vào "
                           "thư viện.")
    return text, read_metadata(text)


def store_file(s: Session, library_dir: Path, path: Path, meta: DocMeta, provenance: str = "toan_van",
               unit_id: int | None = None, added_by: int | None = None, confirmed: bool = True,
               file_name: str = "") -> KnowledgeDocument:
    """Copy the file into the library folder (named by its content hash) and record it."""
    if provenance not in PROVENANCES:
        raise InvalidInput("Loại văn bản phải là toàn văn hoặc báo cáo.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    dest = library_dir / f"{digest[:24]}{path.suffix.lower()}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.exists():
        shutil.copyfile(path, dest)
    row = s.query(KnowledgeDocument).filter_by(content_hash=digest).one_or_none()
    if row is None:
        row = KnowledgeDocument(content_hash=digest)
        s.add(row)
    row.so_hieu, row.doc_type, row.title = meta.so_hieu, meta.doc_type, meta.title or path.stem
    row.issued_on, row.issuer, row.provenance = meta.issued_on, meta.issuer, provenance
    row.unit_id, row.source_path, row.confirmed = unit_id, str(dest.resolve()), confirmed
    row.added_by, row.meta = added_by, {"file_name": file_name or path.name}
    s.flush()
    return row


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
