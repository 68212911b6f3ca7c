"""Sentence patterns written by a person for each indicator (knowledge/templates/sentences.yaml), validated at load."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from common.vntext import lower_first
from common.yamlfile import read_yaml
from knowledge.catalogue import Indicator

PATTERNS_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "templates" / "sentences.yaml"


class Pattern(BaseModel):
    pattern: str
    label: str = ""  # the part's name inside its parent's sentence
    pair: str = ""  # what x and y mean
    # the clause inside another figure's sentence: a remainder after its part ("còn {value} trường hợp chưa cập
    # nhật"), a figure counted in another unit after the one it was given with ("có {value} lượt người dự")
    joined: str = ""
    example: dict = Field(default_factory=dict)  # read by the tests only
    expected: str = ""

    @field_validator("pattern", "joined")
    @classmethod
    def _has_value(cls, v: str) -> str:
        if v and "{value}" not in v:
            raise ValueError(f"pattern without {{value}}: {v!r}")
        return v

    def clause(self, ind: Indicator, value: str) -> str:
        text = self.pattern.format(value=value, name=ind.name, unit=ind.unit)
        return text.replace("(lũy kế) (lũy kế)", "(lũy kế)")  # a generic pattern on a name that says it

    def joined_clause(self, ind: Indicator, value: str) -> str:
        if self.joined:
            return self.joined.format(value=value, name=ind.name, unit=ind.unit)
        return lower_first(self.clause(ind, value))


class ServicePatterns(BaseModel):
    received: str
    online: str
    pair: str
    pair_meaning: str
    statuses: dict[str, str]
    examples: list[dict] = Field(default_factory=list)


class Generic(BaseModel):
    flow: Pattern
    cumulative: Pattern


class Patterns(BaseModel):
    generic: Generic
    indicators: dict[str, Pattern]
    services: ServicePatterns

    @property
    def service_pair(self) -> str:
        return self.services.pair_meaning

    def of(self, ind: Indicator) -> Pattern:
        own = self.indicators.get(ind.id)
        if own is not None:
            return own
        return self.generic.cumulative if ind.kind == "cumulative" else self.generic.flow


@lru_cache(maxsize=2)
def load_patterns(path: Path = PATTERNS_PATH) -> Patterns:
    return Patterns.model_validate(read_yaml(path))
