"""Reading an uploaded document's text in a worker subprocess with time and memory limits.

A small PDF can take minutes and much memory to read (pages of heavy drawings); read in the bot's own process,
inside the update's database transaction, it blocked every officer. The channel reads the file before the
engine's transaction, in a child process (`python -m bot.channels.reading`) that limits itself with
resource.setrlimit (address space, CPU, output size) and is killed at the wall-clock limit. The child uses the
library's own reader (`retrieval.ingest.read_text`: DOCX in reading order, table cells kept, PDF, TXT) and
writes the text next to the file; PDFs carrying JavaScript are refused. `IncomingFile.text_path` or `.unreadable`
tells the flow the outcome.
"""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
from pathlib import Path

from bot.messages import IncomingFile

log = logging.getLogger(__name__)

READ_SECONDS = 60
MEMORY_BYTES = 1024 * 1024 * 1024
TEXT_BYTES = 64 * 1024 * 1024  # the largest text file the child may write

_REFUSED = 3  # exit status: the child printed a message for the officer
_NO_MEMORY = 4
TIMED_OUT = ("Tệp này cần quá nhiều thời gian để đọc (hơn {seconds} giây), thường do có nhiều hình vẽ. Tệp chưa "
             "được lưu; anh/chị vui lòng gửi bản DOCX hoặc bản PDF chỉ gồm chữ.")
TOO_HEAVY = ("Tệp này cần quá nhiều bộ nhớ để đọc nên chưa được lưu. Anh/chị vui lòng gửi bản DOCX hoặc bản PDF "
             "nhẹ hơn.")
SCRIPTED = ("Tệp PDF này có chứa mã JavaScript nên không được nhận, vì lý do an toàn. Anh/chị vui lòng gửi bản "
            "DOCX hoặc in lại thành PDF thông thường.")
BROKEN = "Không đọc được tệp {name}: tệp bị hỏng hoặc không đúng định dạng. Tệp chưa được lưu."


def read_document(f: IncomingFile, seconds: int = READ_SECONDS, memory: int = MEMORY_BYTES) -> None:
    """Reads `f.path` in a worker; sets `f.text_path` (UTF-8 text) or `f.unreadable` (why not, in Vietnamese)."""
    if f.path is None:
        raise ValueError("read_document needs a downloaded file")
    src = Path(f.path)
    out = src.with_name(src.name + ".txt")
    cmd = [sys.executable, "-m", "bot.channels.reading", str(src), str(out), str(memory), str(seconds)]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:  # run() has killed the child
        log.warning("reading %s gave up after %ss", f.name, seconds)
        out.unlink(missing_ok=True)
        f.unreadable = TIMED_OUT.format(seconds=seconds)
        return
    if proc.returncode == 0:
        f.text_path = out
        return
    out.unlink(missing_ok=True)
    if proc.returncode == _REFUSED:
        f.unreadable = proc.stdout.decode("utf-8", errors="replace").strip()
    elif proc.returncode == _NO_MEMORY:
        f.unreadable = TOO_HEAVY
    elif proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        f.unreadable = TIMED_OUT.format(seconds=seconds)
    else:
        log.warning("reading %s failed (status %s): %s", f.name, proc.returncode,
                    proc.stderr.decode("utf-8", errors="replace")[-2000:])
        f.unreadable = BROKEN.format(name=f.name)
    log.info("upload %s not read: %s", f.name, f.unreadable)


# --- the worker (child process) -------------------------------------------------------------------------

def _limit(memory: int, seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (TEXT_BYTES, TEXT_BYTES))


def has_javascript(path: Path) -> bool:
    """True when anything reachable in the PDF is a JavaScript action or name tree (/JS, /JavaScript)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(str(path))
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if "/JS" in obj or "/JavaScript" in obj or obj.get("/S") == "/JavaScript":
                return True
            stack.extend(dict.values(obj))  # unresolved: references are followed once, through `seen`
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return False


def _main(argv: list[str]) -> int:
    src, out, memory, seconds = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
    _limit(memory, seconds)
    from common.errors import OfficerError
    from retrieval.ingest import read_text

    try:
        if src.suffix.lower() == ".pdf" and _scripted(src):
            sys.stdout.write(SCRIPTED)
            return _REFUSED
        out.write_text(read_text(src), encoding="utf-8")
    except OfficerError as e:
        sys.stdout.write(e.message_vi)
        return _REFUSED
    except MemoryError:
        return _NO_MEMORY
    return 0


def _scripted(src: Path) -> bool:
    try:
        return has_javascript(src)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - a PDF pypdf cannot walk: read_text reports it as broken
        return False


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
