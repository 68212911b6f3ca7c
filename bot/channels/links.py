"""Signed, expiring download links for files under the data dir (Zalo cannot receive files, so drafts and
charts go out as links served by the app at PUBLIC_BASE_URL).

A link is  {PUBLIC_BASE_URL}/dl/{expires}/{signature}/{path relative to DATA_DIR}  where the signature is
HMAC-SHA256(secret, "expires/path"). The secret is DOWNLOAD_LINK_SECRET, or one generated once and kept in
the data dir, so links survive restarts.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from common import clock
from common.settings import Settings

SERVED_SUFFIXES = {".docx", ".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".csv"}
_SECRET_FILE = ".download-link-secret"


class LinkError(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def link_secret(settings: Settings) -> bytes:
    if settings.download_link_secret is not None and settings.download_link_secret.get_secret_value():
        return settings.download_link_secret.get_secret_value().encode()
    path = settings.data_dir / _SECRET_FILE
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()


def _signature(secret: bytes, expires: int, rel: str) -> str:
    mac = hmac.new(secret, f"{expires}/{rel}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def make_link(settings: Settings, path: Path, now: float | None = None) -> str:
    """An absolute URL for a file inside the data dir, valid for DOWNLOAD_LINK_TTL_HOURS."""
    if not settings.public_base_url:
        raise LinkError(500, "PUBLIC_BASE_URL is not set")
    rel = Path(path).resolve().relative_to(settings.data_dir.resolve()).as_posix()
    expires = int((now or clock.timestamp()) + settings.download_link_ttl_hours * 3600)
    sig = _signature(link_secret(settings), expires, rel)
    return f"{settings.public_base_url.rstrip('/')}/dl/{expires}/{sig}/{quote(rel)}"


def resolve_link(settings: Settings, expires: str, sig: str, rel: str, now: float | None = None) -> Path:
    """The file a link points to; LinkError(403) for a bad signature, 410 when expired, 404 when gone."""
    if not expires.isdigit():
        raise LinkError(403, "bad link")
    expected = _signature(link_secret(settings), int(expires), rel)
    if not hmac.compare_digest(expected.encode(), sig.encode()):
        raise LinkError(403, "bad signature")
    if int(expires) < (now or clock.timestamp()):
        raise LinkError(410, "link expired")
    root = settings.data_dir.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root) or target.suffix.lower() not in SERVED_SUFFIXES or not target.is_file():
        raise LinkError(404, "not found")
    return target
