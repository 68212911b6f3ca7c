"""Files officers send: only DOCX and PDF, size-limited, and a DOCX must not be a zip bomb.

`check_announced` runs before downloading (name and announced size); `check_downloaded` runs on the bytes.
Each returns None when the file is acceptable, else the short Vietnamese answer for the officer.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024  # what an officer may send
MAX_UNZIPPED = 50 * 1024 * 1024  # what a DOCX may expand to
MAX_RATIO = 100  # per member: real documents compress ~2-20x, bombs ~1000x
MAX_MEMBERS = 2000
ACCEPTED = {".docx", ".pdf"}

WRONG_TYPE = "Tôi chỉ nhận tệp Word (.docx) hoặc PDF. Tệp này chưa được lưu."
TOO_LARGE = f"Tệp quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB). Tệp này chưa được lưu."
BROKEN = "Tệp bị hỏng hoặc không đúng định dạng DOCX/PDF. Tệp này chưa được lưu."


def safe_name(name: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", Path(name or "tep").name, flags=re.UNICODE).strip("._") or "tep"
    return stem[:120]


def check_announced(name: str, size: int | None) -> str | None:
    if Path(name or "").suffix.lower() not in ACCEPTED:
        return WRONG_TYPE
    if size is not None and size > MAX_BYTES:
        return TOO_LARGE
    return None


def check_downloaded(path: Path) -> str | None:
    if path.stat().st_size > MAX_BYTES:
        return TOO_LARGE
    if path.suffix.lower() == ".pdf":
        with path.open("rb") as f:
            return None if f.read(5) == b"%PDF-" else BROKEN
    return _check_docx(path)


def _check_docx(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS or "word/document.xml" not in z.namelist():
                return BROKEN
            total = 0
            for i in infos:
                total += i.file_size
                if total > MAX_UNZIPPED or (i.compress_size and i.file_size / i.compress_size > MAX_RATIO):
                    return TOO_LARGE
    except (zipfile.BadZipFile, OSError):
        return BROKEN
    return None
