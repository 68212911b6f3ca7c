"""Vietnamese free-text figure parser: "cấp CCCD 60, trong đó cấp mới 33, đổi 11, lại 16" -> figures.

Deterministic and explainable (no model), in four passes over a folded copy of the NFC text (diacritic-free,
lower-case, same length, so every span points back into the message): figures/scan.py reads the period, masks
never-figures, finds catalogue phrases (exact, then typo-tolerant) and numbers; figures/resolve.py labels each
number with the indicator named around it. Patterns and word lists are data (knowledge/parse_patterns.yaml);
corrections ("sửa ... thành ...") are in figures/corrections.py.
"""
from __future__ import annotations

import unicodedata

from common import clock
from figures.corrections import as_plain_figures
from figures.lexicon import lexicon_for
from figures.parsed import ParseContext, ParsedFigure, ParseResult
from figures.patterns import load_patterns
from figures.resolve import assign
from figures.scan import scan
from knowledge.catalogue import Catalogue, load_catalogue

__all__ = ["ParseContext", "ParseResult", "ParsedFigure", "parse_correction", "parse_message"]
P = load_patterns()


def parse_message(text: str, catalogue: Catalogue | None = None, context: ParseContext | None = None) -> ParseResult:
    """Figures, period and leftovers of one message. Spans index the NFC form of `text` (what chat apps send)."""
    text = unicodedata.normalize("NFC", text)
    cat = catalogue or load_catalogue()
    ctx = context or ParseContext()
    sc = scan(text, lexicon_for(cat), ctx.today or clock.today(), ctx.calendar)
    if sc.is_question:
        return ParseResult(period=sc.period, is_question=True)
    figures, unmatched = assign(sc, cat, ctx)
    unmatched = sc.malformed + unmatched
    greeting = not figures and not unmatched and bool(P.greeting.search(sc.f))
    return ParseResult(figures, sc.period, unmatched, is_question=greeting)


def parse_correction(text: str, catalogue: Catalogue | None = None,
                     context: ParseContext | None = None) -> list[ParsedFigure] | None:
    """Figures to set from "sửa cấp mới thành 35", "cap moi la 35 chu khong phai 33"; None if not a correction."""
    plain = as_plain_figures(unicodedata.normalize("NFC", text))
    return None if plain is None else parse_message(plain, catalogue, context).figures
