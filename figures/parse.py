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
from figures.parsed import ParseContext, ParsedFigure, ParseResult, Problem
from figures.patterns import load_patterns
from figures.plausible import period_problem, range_problem, unreadable
from figures.resolve import assign
from figures.scan import scan
from knowledge.catalogue import Catalogue, load_catalogue

__all__ = ["ParseContext", "ParseResult", "ParsedFigure", "Problem", "parse_correction", "parse_message"]
P = load_patterns()


def parse_message(text: str, catalogue: Catalogue | None = None, context: ParseContext | None = None) -> ParseResult:
    """Figures, period and leftovers of one message. Spans index the NFC form of `text` (what chat apps send)."""
    text = unicodedata.normalize("NFC", text)
    cat = catalogue or load_catalogue()
    ctx = context or ParseContext()
    today = ctx.today or clock.today()
    sc = scan(text, lexicon_for(cat), today, ctx.calendar)
    problems = [period_problem(p, today, sc.text[a:b]) for p, (a, b) in sc.rejected_periods]
    if sc.is_question:
        return ParseResult(period=sc.period, is_question=True, problems=problems)
    figures, unmatched = assign(sc, cat, ctx)
    problems += [unreadable(frag) for frag in sc.malformed]
    kind = ctx.period_kind or (sc.period.kind if sc.period else None)
    kept = []
    for f in figures:  # "3 tỷ", "1e20", "33/0": read, but refused with the reason
        problem = range_problem(cat, f.indicator, f.value, f.denominator, period_kind=kind, level=ctx.level,
                                text=f.text)
        if problem is None:
            kept.append(f)
        else:
            problems.append(problem)
    unmatched = sc.malformed + unmatched
    greeting = not kept and not unmatched and not problems and bool(P.greeting.search(sc.f))
    return ParseResult(kept, sc.period, unmatched, is_question=greeting, problems=problems)


def parse_correction(text: str, catalogue: Catalogue | None = None,
                     context: ParseContext | None = None) -> list[ParsedFigure] | None:
    """Figures to set from "sửa cấp mới thành 35", "cap moi la 35 chu khong phai 33"; None if not a correction."""
    plain = as_plain_figures(unicodedata.normalize("NFC", text))
    return None if plain is None else parse_message(plain, catalogue, context).figures
