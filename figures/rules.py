"""Data-driven comparison rules from knowledge/rules.yaml: left side, operator, right side, severity,
message template. A rule is evaluated only when every one of its terms has a value."""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from common.vntext import lower_first
from common.yamlfile import read_yaml
from figures.checks import EPS, CheckInput, Finding, num
from knowledge.catalogue import load_catalogue

RULES_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "rules.yaml"
PROFILE = "profile."
# EPS keeps float noise from tipping a comparison
OPS = {"<=": lambda a, b: a <= b + EPS, "<": lambda a, b: a < b - EPS, ">=": lambda a, b: a >= b - EPS,
       ">": lambda a, b: a > b + EPS, "==": lambda a, b: abs(a - b) <= EPS}


class ValidationRule(BaseModel):
    id: str
    left: list[str] = Field(min_length=1)
    op: Literal["<=", "<", "==", ">=", ">"]
    right: list[str] = Field(min_length=1)
    severity: Literal["error", "warning"]
    message: str
    suggestion: str = ""


class RulesFile(BaseModel):
    profile_fields: dict[str, str]
    rules: list[ValidationRule]

    @model_validator(mode="after")
    def _known_terms(self) -> RulesFile:
        cat = load_catalogue()
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate rule ids")
        for r in self.rules:
            for t in [*r.left, *r.right]:
                ok = t[len(PROFILE):] in self.profile_fields if t.startswith(PROFILE) else t in cat
                if not ok:
                    raise ValueError(f"rule {r.id}: unknown term {t!r}")
            try:
                r.message.format(left="", right="", left_names="", right_names="", difference="")
                r.suggestion.format(left="", right="", left_names="", right_names="", difference="")
            except (KeyError, IndexError) as e:
                raise ValueError(f"rule {r.id}: unknown placeholder {e}") from e
        return self


@lru_cache(maxsize=2)
def load_rules(path: Path = RULES_PATH) -> RulesFile:
    return RulesFile.model_validate(read_yaml(path))


def extra_rules(cx: CheckInput, rules: RulesFile | None = None) -> Iterator[Finding]:
    rf = rules or load_rules()
    for r in rf.rules:
        left, right = _side(cx, r.left), _side(cx, r.right)
        if left is None or right is None or OPS[r.op](left, right):
            continue
        fields = {"left": num(left), "right": num(right), "difference": num(abs(left - right)),
                  "left_names": _names(cx, rf, r.left), "right_names": _names(cx, rf, r.right)}
        yield Finding(r.id, r.severity, [t for t in [*r.left, *r.right] if not t.startswith(PROFILE)],
                      r.message.format(**fields), r.suggestion.format(**fields), (left, right))


def _side(cx: CheckInput, terms: list[str]) -> float | None:
    total = 0.0
    for t in terms:
        v = cx.profile.get(t[len(PROFILE):]) if t.startswith(PROFILE) else cx.value(t)
        if v is None:
            return None
        total += v
    return total


def _names(cx: CheckInput, rf: RulesFile, terms: list[str]) -> str:
    return " + ".join(rf.profile_fields[t[len(PROFILE):]] if t.startswith(PROFILE) else lower_first(cx.name(t))
                      for t in terms)
