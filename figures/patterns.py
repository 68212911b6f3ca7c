"""The parser's patterns and word lists, read once from knowledge/parse_patterns.yaml and compiled."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from common.vntext import syllables
from common.yamlfile import read_yaml

PATTERNS_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "parse_patterns.yaml"


class _ZeroPhrase(BaseModel):
    regex: str
    at: Literal["tail", "all"]


class _Correction(BaseModel):
    cue: str
    not_but: str
    verb_to: str
    to: str


class _PatternsFile(BaseModel):
    number: str
    never: list[str]
    zero_phrases: list[_ZeroPhrase]
    question: str
    greeting: str
    hard_boundary: str
    soft_boundary: str
    no_span: str
    filler: list[str]
    scope_reach: int
    unit_syllables: list[str]
    glued_units: list[str]
    sound_alike: list[tuple[str, str]]
    stop_phrases: list[str]
    cumulative_phrases: list[str]
    remainder_phrases: list[str]
    place_words: list[str]
    correction: _Correction
    table_columns: dict[str, list[str]]


@dataclass(frozen=True)
class Patterns:
    number: str  # the regex source of a number, for building others
    never: tuple[re.Pattern, ...]
    zero_phrases: tuple[tuple[re.Pattern, str], ...]
    question: re.Pattern
    greeting: re.Pattern
    hard: re.Pattern
    soft: re.Pattern
    no_span: frozenset[str]
    filler: frozenset[str]
    scope_reach: int
    unit_syllables: frozenset[str]
    glued_units: frozenset[str]
    sound_alike: tuple[tuple[str, str], ...]
    stop_phrases: tuple[str, ...]
    cumulative_phrases: tuple[str, ...]
    remainder_phrases: tuple[str, ...]
    place_words: tuple[tuple[str, ...], ...]  # folded syllables
    correction_cue: re.Pattern
    not_but: re.Pattern
    verb_to: re.Pattern
    to: re.Pattern
    table_columns: tuple[tuple[str, tuple[str, ...]], ...]  # (column, header phrase as folded syllables)


@lru_cache(maxsize=2)
def load_patterns(path: Path = PATTERNS_PATH) -> Patterns:
    raw = _PatternsFile.model_validate(read_yaml(path))

    def rx(source: str) -> re.Pattern:
        return re.compile(source.replace("{NUM}", raw.number))

    c = raw.correction
    return Patterns(
        number=raw.number, never=tuple(rx(p) for p in raw.never),
        zero_phrases=tuple((rx(z.regex), z.at) for z in raw.zero_phrases),
        question=rx(raw.question), greeting=rx(raw.greeting), hard=rx(raw.hard_boundary), soft=rx(raw.soft_boundary),
        no_span=frozenset(raw.no_span), filler=frozenset(raw.filler), scope_reach=raw.scope_reach,
        unit_syllables=frozenset(raw.unit_syllables), glued_units=frozenset(raw.glued_units),
        sound_alike=tuple(raw.sound_alike), stop_phrases=tuple(raw.stop_phrases),
        cumulative_phrases=tuple(raw.cumulative_phrases), remainder_phrases=tuple(raw.remainder_phrases),
        place_words=tuple(tuple(syllables(w)) for w in raw.place_words),
        correction_cue=rx(c.cue), not_but=rx(c.not_but),
        verb_to=rx(c.verb_to), to=rx(c.to),
        table_columns=tuple((col, tuple(syllables(p))) for col, ps in raw.table_columns.items() for p in ps))
