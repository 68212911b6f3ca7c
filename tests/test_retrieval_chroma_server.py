"""CHROMA_URL: the same library against a Chroma server (chromadb's own `chroma run`, started here)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path):
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        pytest.skip("chromadb's `chroma` command is not installed")
    port = _free_port()
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_library_on_a_chroma_server(chroma_url, settings, library_vectors):
    from db import migrate
    from retrieval.library import Librarian

    remote = settings.model_copy(update={"chroma_url": chroma_url})
    remote.ensure_dirs()
    shutil.copyfile(library_vectors, remote.data_dir / "vector_cache.sqlite3")
    migrate.upgrade(remote.db_url)
    lib = Librarian(remote)
    first = lib.ensure_indexed()
    assert first.added >= 25 and first.embedded == 0
    assert not remote.chroma_dir.exists()  # nothing embedded locally
    assert lib.ensure_indexed() is None
    lib.vectors.delete(list(lib.vectors.ids())[:3])  # the server lost some chunks
    assert lib.ensure_indexed().added == 3  # noticed by count, repaired
    assert lib.ask("công văn 452 là gì?").citations[0].so_hieu == "452/TTg-KSTT"
    lib.close()
