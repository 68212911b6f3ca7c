"""Rows of a results table of the essential public services, as PDF text gives them:

    TT Thủ tục hành chính | Cơ quan chủ trì | Hồ sơ tiếp nhận | Hồ sơ giải quyết qua DVCTT | Tỷ lệ đạt được
    8 Đăng ký khai tử 3 Bộ Tư pháp 68 66 97%

The header names the columns (knowledge/parse_patterns.yaml `table_columns`); a row names its service, then the
level ("3") and the ministry, then the cells. Cells are read after the ministry, in the header's order; a row that
names no service, or has more cells than columns, is left unplaced rather than guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from common.vntext import syllables
from figures.lexicon import TOKEN_RE, Lexicon
from figures.parsed import ParsedFigure
from figures.patterns import load_patterns
from figures.periods import Calendar
from figures.scan import scan
from knowledge.catalogue import Catalogue

P = load_patterns()
RATE = "rate"


def table_columns(header: str) -> list[str]:
    """The columns a table header names, in order: e.g. ["tiep_nhan", "truc_tuyen", "rate"]; [] when it is not
    a table of service results (it must name received or online dossiers)."""
    words = syllables(header)
    hits: list[tuple[int, int, str]] = []  # -length, start, column: the longest phrases first
    for col, phrase in P.table_columns:
        n = len(phrase)
        hits += [(-n, i, col) for i in range(len(words) - n + 1) if tuple(words[i:i + n]) == phrase]
    taken: list[tuple[int, str]] = []
    used = [False] * len(words)
    for neg_len, start, col in sorted(hits):
        if not any(used[start:start - neg_len]):
            used[start:start - neg_len] = [True] * -neg_len
            taken.append((start, col))
    cols = [col for _, col in sorted(taken)]
    return cols if {"tiep_nhan", "truc_tuyen"} & set(cols) else []


@dataclass
class RowReading:
    figures: list[ParsedFigure]
    unplaced: str | None  # the row's text when it holds numbers that could not be placed


def read_row(row: str, columns: list[str], cat: Catalogue, lex: Lexicon, today: date,
             calendar: Calendar) -> RowReading:
    """Figures of one table row; `columns` from `table_columns`."""
    sc = scan(row, lex, today, calendar)
    values = sc.numbers
    named = [m for m in sc.mentions if m.entry.service or m.entry.ctx_service]
    if not columns or not named:
        return RowReading([], row if values else None)
    mention = named[0]
    svc_id = mention.entry.service or mention.entry.ctx_service or ""
    at = _ministry_at(sc.f, mention.end, syllables(cat.services[svc_id].ministry))
    cells = [n for n in values if at is not None and n.start > at]
    if not cells:
        return RowReading([], row if values and at is None else None)
    if len(cells) > len(columns):
        return RowReading([], row)
    figures: list[ParsedFigure] = []
    received = None
    for col, n in zip(columns, cells):
        if col == RATE:
            if figures and received:  # a share of nothing received is no rate
                figures[-1].rate = n.value
            continue
        ind = f"dvc.{svc_id}.{col}"
        if ind not in cat:
            continue
        if col == "tiep_nhan":
            received = n.value
        figures.append(ParsedFigure(ind, n.value, n.denominator, None, (n.start, n.end), row[n.start:n.end]))
    return RowReading(figures, None)


def _ministry_at(f: str, start: int, ministry: list[str]) -> int | None:
    """Where the service's ministry is written after its name: the whole name, else its first word (PDF text may
    split "Bộ 06 06 100% … Công an")."""
    toks = [(t.start(), t.group()) for t in TOKEN_RE.finditer(f, start)]
    words = [w for _, w in toks]
    for n in (len(ministry), 1):
        at = next((toks[i][0] for i in range(len(toks) - n + 1) if words[i:i + n] == ministry[:n]), None)
        if at is not None:
            return at
    return None
