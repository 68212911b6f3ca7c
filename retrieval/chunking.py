"""Structure-aware chunking of Vietnamese legal and report text.

Our parser finds the boundaries (Phần/Chương/Mục/Điều, roman headings "I.", numbered "1." / "1.1.", points
"a)", Phụ lục); langchain's splitter only enforces the size limit inside a section. Every chunk keeps its
section path ("II. KẾT QUẢ... > 1. Công tác chỉ đạo").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

MAX_CHARS = 900
OVERLAP = 120
HEADING_CHARS = 90  # a heading in the path is cut here: khoản/points are often whole sentences

# (rank, pattern): a heading of rank r closes every open section of rank >= r.
_HEADINGS: list[tuple[int, re.Pattern]] = [
    (0, re.compile(r"^(PHẦN|Phần)\s+([IVXLC]+|\d+|THỨ\s+\w+|thứ\s+\w+)\b")),
    (0, re.compile(r"^(PHỤ LỤC|Phụ lục)\b")),
    (1, re.compile(r"^(CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b")),
    (2, re.compile(r"^(MỤC|Mục)\s+\d+\b")),
    (3, re.compile(r"^Điều\s+\d+\s*[.:]")),
    (3, re.compile(r"^[IVX]{1,5}\s*[.\-–]\s+\S")),
    (4, re.compile(r"^([1-9]\d?)\s*[.)]\s+\S")),
    (5, re.compile(r"^[1-9]\d?\.[1-9]\d?\.?\s+\S")),
    (6, re.compile(r"^[1-9]\d?\.[1-9]\d?\.[1-9]\d?\.?\s+\S")),
    (7, re.compile(r"^[a-zđ]\)\s+\S")),
]


@dataclass(frozen=True)
class Chunk:
    section: str  # "II. KẾT QUẢ CÁC MẶT CÔNG TÁC > 1. Công tác chỉ đạo, triển khai"
    text: str
    ordinal: int  # position in the document


def heading_rank(line: str) -> int | None:
    """The structural rank of `line` if it opens a section, else None."""
    best = None
    for rank, pattern in _HEADINGS:
        if pattern.match(line):
            best = rank if best is None else max(best, rank)  # "1.1." also matches "1." patterns' prefix
    return best


def _short(line: str) -> str:
    return line if len(line) <= HEADING_CHARS else line[:HEADING_CHARS].rsplit(" ", 1)[0] + "…"


@dataclass
class _Section:
    path: tuple[str, ...]
    lines: list[str]


def split_sections(text: str) -> list[_Section]:
    """Consecutive sections in document order; text before the first heading gets an empty path."""
    stack: list[tuple[int, str]] = []
    sections = [_Section((), [])]
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        rank = heading_rank(line)
        if rank is not None:
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, _short(line)))
            sections.append(_Section(tuple(h for _, h in stack), []))
        sections[-1].lines.append(line)
    return [s for s in sections if s.lines]


_splitter = RecursiveCharacterTextSplitter(chunk_size=MAX_CHARS, chunk_overlap=OVERLAP,
                                           separators=["\n", ". ", "; ", ", ", " ", ""])


def chunk_text(text: str) -> list[Chunk]:
    """Chunks of at most MAX_CHARS (plus a word), each inside one section."""
    out: list[Chunk] = []
    pending: _Section | None = None
    for sec in split_sections(text):
        if pending is not None:  # a heading with no body of its own is kept as context for its first child
            if len(sec.path) > len(pending.path) and sec.path[:len(pending.path)] == pending.path:
                sec = _Section(sec.path, pending.lines + sec.lines)
            else:
                out.extend(_sized(pending, len(out)))
            pending = None
        if len(sec.lines) == 1 and heading_rank(sec.lines[0]) is not None and len(sec.lines[0]) < HEADING_CHARS:
            pending = sec
            continue
        out.extend(_sized(sec, len(out)))
    if pending is not None:
        out.extend(_sized(pending, len(out)))
    return out


def _sized(sec: _Section, start: int) -> list[Chunk]:
    body = "\n".join(sec.lines)
    path = " > ".join(sec.path)
    return [Chunk(path, piece, start + i) for i, piece in enumerate(_splitter.split_text(body))]


def chunk_sections(sections: list[tuple[str, str]]) -> list[Chunk]:
    """Chunks of (heading, text) pairs already structured (our directive profiles)."""
    out: list[Chunk] = []
    for heading, text in sections:
        for piece in _splitter.split_text(" ".join(text.split())):
            out.append(Chunk(heading, piece, len(out)))
    return out
