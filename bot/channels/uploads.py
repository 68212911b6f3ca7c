"""Files officers send: only DOCX and PDF, size-limited, and a DOCX must not be a zip bomb.

`check_announced` runs before downloading (name and announced size), `download` streams the file and stops at
the size limit (a size may not be announced), `check_downloaded` runs on the bytes. Each returns None when the
file is acceptable, else the short Vietnamese answer for the officer.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

MAX_BYTES = 10 * 1024 * 1024  # what an officer may send
MAX_UNZIPPED = 100 * 1024 * 1024  # what a DOCX may expand to (declared sizes; zipfile enforces them on reading)
MAX_RATIO = 500  # for a large member: deflate tops out near 1000x, real XML stays well below
LARGE_MEMBER = 5 * 1024 * 1024  # a member smaller than this cannot be a bomb, whatever its ratio
MAX_MEMBERS = 10_000
ACCEPTED = {".docx", ".pdf"}

WRONG_TYPE = "Tôi chỉ nhận tệp Word (.docx) hoặc PDF. Tệp này chưa được lưu."
TOO_LARGE = f"Tệp quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB). Tệp này chưa được lưu."
EXPANDS = ("Tệp DOCX này khi giải nén ra quá lớn (có thể là tệp độc hại). Tệp này chưa được lưu; anh/chị vui lòng "
           "lưu lại bằng Word rồi gửi lại.")
BROKEN = "Tệp bị hỏng hoặc không đúng định dạng DOCX/PDF. Tệp này chưa được lưu."


class DownloadError(Exception):
    """The file could not be fetched (network, HTTP status); the message never holds the URL (it has the token)."""


def safe_name(name: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", Path(name or "tep").name, flags=re.UNICODE).strip("._") or "tep"
    return stem[:120]


def check_announced(name: str, size: int | None) -> str | None:
    if Path(name or "").suffix.lower() not in ACCEPTED:
        return WRONG_TYPE
    if size is not None and size > MAX_BYTES:
        return TOO_LARGE
    return None


async def download(url: str, dest: Path, timeout: float = 60.0) -> str | None:
    """Streams `url` to `dest`, giving up (TOO_LARGE, nothing kept) as soon as it passes MAX_BYTES."""
    parts = urlsplit(url)
    url = urlunsplit(parts._replace(path=quote(parts.path)))
    received = 0
    try:
        async with httpx.AsyncClient(timeout=timeout) as client, client.stream("GET", url) as r:
            if r.status_code != 200:
                raise DownloadError(f"file download answered HTTP {r.status_code}")
            with dest.open("wb") as out:
                async for chunk in r.aiter_bytes():
                    received += len(chunk)
                    if received > MAX_BYTES:
                        break
                    out.write(chunk)
    except httpx.HTTPError as e:
        dest.unlink(missing_ok=True)
        raise DownloadError(f"file download failed: {type(e).__name__}") from None
    if received > MAX_BYTES:
        dest.unlink(missing_ok=True)
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
    """A zip bomb is judged by what it expands to (in total, and per large member), not by how well a small
    part compresses: Word's repetitive XML parts of a few KB often compress more than 100x."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS or "word/document.xml" not in z.namelist():
                return BROKEN
            total = 0
            for i in infos:
                total += i.file_size
                large = i.file_size >= LARGE_MEMBER
                if total > MAX_UNZIPPED or (large and i.file_size > MAX_RATIO * max(i.compress_size, 1)):
                    return EXPANDS
    except (zipfile.BadZipFile, OSError):
        return BROKEN
    return None
