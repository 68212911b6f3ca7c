"""The narrative parts of a report and the heading words of figure sections (knowledge/templates/parts.yaml).

The single source for part keys, their usual headings, the questions asked in chat and the words that recognise
them in a heading; report structures, the chat flow and the draft summary all read it from here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from common.vntext import fold
from common.yamlfile import read_yaml

PARTS_PATH = Path(__file__).with_name("templates") / "parts.yaml"


class NarrativePart(BaseModel):
    key: str
    title: str
    ask: str
    short: str
    words: list[str] = Field(default_factory=list)
    list_below: bool = False  # numbered lines under this heading in a past report are the officer's list
    figures: bool = False  # figure sections may sit in or under this part


class PartsFile(BaseModel):
    parts: list[NarrativePart]
    sections: dict[str, list[str]]
    services: list[str]

    @model_validator(mode="after")
    def _unique_keys(self) -> PartsFile:
        keys = [p.key for p in self.parts]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate narrative part keys")
        return self


def words_of(text: str) -> str:
    """' cong tac chi dao trien khai ': folded, punctuation as spaces, padded for whole-word matching."""
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split()) + " "


def names(heading: str, phrases: list[str]) -> bool:
    """Whether one of `phrases` occurs in `heading` as whole words (diacritics and punctuation ignored)."""
    h = words_of(heading)
    return any(words_of(p) in h for p in phrases if p.strip())


class Vocabulary:
    def __init__(self, data: PartsFile):
        self.parts = {p.key: p for p in data.parts}
        self.section_words = data.sections
        self.service_words = data.services

    def part_for(self, heading: str) -> NarrativePart | None:
        """The narrative part a heading names (most specific first, as the file lists them)."""
        return next((p for p in self.parts.values() if names(heading, p.words)), None)

    def sections_for(self, heading: str, section_names: dict[str, str]) -> list[str]:
        """Catalogue section ids a heading names, by section name or heading words."""
        return [sid for sid, name in section_names.items() if names(heading, [name, *self.section_words.get(sid, [])])]

    def names_services(self, heading: str) -> bool:
        return names(heading, self.service_words)


@lru_cache(maxsize=2)
def load_vocabulary(path: Path = PARTS_PATH) -> Vocabulary:
    return Vocabulary(PartsFile.model_validate(read_yaml(path)))
