"""A whole report's text (pasted, or extracted from a DOCX/PDF) cut into the pieces the reader parses one by one.

Text from a PDF is wrapped at every visual line (often with blank lines between); text from a DOCX has one
paragraph per line with "[bookmark: …]" markers. A new piece starts where the report starts an item: a heading
number ("II.", "4.2.", "a)") or a bullet ("*", "-", "+", "."); wrapped lines join the item they continue. Lines of
bare page numbers are dropped. Tables ("TT/STT" header, then numbered rows spread over many lines) are kept apart:
a header and one piece per row.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# marker -> level: roman heading 1, "1." 2, "4.2." 3, "a)" 4, "*" 5, "-" 6, "+" 7, "." / "•" 8; plain text 9
_MARKERS = [
    (re.compile(r"^(?:[IVX]{1,4})\.\s"), 1),
    (re.compile(r"^(?:PHỤ LỤC|Phụ lục)\b"), 1),
    (re.compile(r"^\d{1,2}\.\s"), 2),
    (re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s"), 3),
    (re.compile(r"^[a-zđ]\)\s"), 4),
    (re.compile(r"^\*"), 5),
    (re.compile(r"^[-–]"), 6),
    (re.compile(r"^\+"), 7),
    (re.compile(r"^[.•]\s"), 8),
]
PLAIN = 9
HEADING_LEVELS = (1, 2, 3, 4)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_TABLE_HEADER = re.compile(r"^(?:STT|TT)(?:\s+\S|$)")
_ROW_START = re.compile(r"^(\d{1,2})(?:\s+(?=[^\W\d])|$)")  # "1 Đăng ký thường trú", or "5" alone before the name
_NAME = re.compile(r"^[^\W\d]")


@dataclass
class Piece:
    text: str
    level: int  # of its marker (PLAIN when none)
    table: str | None = None  # "header" or "row" inside a table
    row: int | None = None

    @property
    def heading(self) -> bool:
        return self.level in HEADING_LEVELS


def clean(text: str) -> str:
    """NFC, no DOCX bookmark markers, no carriage returns."""
    return _BOOKMARK.sub("", unicodedata.normalize("NFC", text)).replace("\r", "")


def level_of(line: str) -> int:
    return next((lvl for rx, lvl in _MARKERS if rx.match(line)), PLAIN)


def pieces(text: str) -> list[Piece]:
    out: list[Piece] = []
    table_row = 0  # the last row number of the open table; -1 inside its header; 0 = no table
    lines = [" ".join(raw.replace("|", " ").split()) for raw in clean(text).split("\n")]  # DOCX table cells
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        level = level_of(line)
        row = _ROW_START.match(line)
        named = row is not None and (row.end() < len(line) or (i + 1 < len(lines) and _NAME.match(lines[i + 1])))
        if table_row and row and named and table_row < int(row.group(1)) <= max(table_row, 0) + 5:
            table_row = int(row.group(1))
            out.append(Piece(line, PLAIN, "row", table_row))
            continue
        if _TABLE_HEADER.match(line):
            table_row = -1
            out.append(Piece(line, PLAIN, "header"))
            continue
        if level != PLAIN:
            table_row = 0
            out.append(Piece(line, level))
            continue
        if _PAGE_NUMBER.match(line) and not table_row:
            continue
        if out:
            out[-1].text += " " + line
        else:
            out.append(Piece(line, PLAIN))
    return out
