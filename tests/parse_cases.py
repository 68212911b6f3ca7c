"""The labelled parser set (tests/data/parse_cases.yaml) and its scoring, shared by tests and bench/bench_parse.py."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from common.vntext import strip_diacritics
from figures.parse import ParseContext, ParseResult, parse_message
from figures.periods import PeriodSpec

CASES_PATH = Path(__file__).with_name("data") / "parse_cases.yaml"
DEFAULT_TODAY = date(2024, 3, 5)
_GOLD = re.compile(r"^\s*([a-z0-9_.]+)\s*=\s*([\d.]+)(?:/([\d.]+))?(?:\s*@([\d.]+))?\s*$")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")

Key = tuple[str, float, float | None, float | None]


@dataclass
class Case:
    text: str
    figures: list[Key]
    never: list[str] = field(default_factory=list)
    context: str | None = None
    today: date = DEFAULT_TODAY
    period: PeriodSpec | None = None
    question: bool = False
    known_miss: str = ""


def gold_key(spec: str) -> Key:
    m = _GOLD.match(spec)
    if not m:
        raise ValueError(f"bad gold figure {spec!r}")
    ind, v, d, r = m.groups()
    return ind, float(v), float(d) if d else None, float(r) if r else None


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    out = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        p = raw.get("period")
        out.append(Case(
            text=raw["text"], figures=[gold_key(s) for s in raw.get("figures") or []], never=raw.get("never") or [],
            context=raw.get("context"), today=raw.get("today") or DEFAULT_TODAY,
            period=PeriodSpec(p["kind"], p["start"], p["end"]) if p else None, question=bool(raw.get("question")),
            known_miss=raw.get("known_miss") or ""))
    return out


def run_case(case: Case, fold: bool = False) -> ParseResult:
    text = strip_diacritics(case.text) if fold else case.text
    return parse_message(text, context=ParseContext(last_indicator=case.context, today=case.today))


def predicted_keys(result: ParseResult) -> list[Key]:
    return [(f.indicator, f.value, f.denominator, f.rate) for f in result.figures]


def never_values(case: Case) -> set[float]:
    vals: set[float] = set()
    for s in case.never:
        for raw in _DIGITS.findall(s):
            vals.add(float(raw.replace(".", "").replace(",", ".")) if "." in raw and len(raw.split(".")[-1]) == 3
                     else float(raw.replace(",", ".")))
            vals.update(float(d) for d in re.findall(r"\d+", raw))
    return vals


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    from_never: int = 0  # figures made out of dates, document numbers, areas ...
    period_ok: int = 0
    period_total: int = 0
    question_ok: int = 0
    question_total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(cases: list[Case], fold: bool = False) -> Score:
    s = Score()
    for case in cases:
        result = run_case(case, fold)
        pred, gold = Counter(predicted_keys(result)), Counter(case.figures)
        tp = sum((pred & gold).values())
        s.tp += tp
        s.fp += sum(pred.values()) - tp
        s.fn += sum(gold.values()) - tp
        gold_values = {k[1] for k in case.figures}
        banned = never_values(case) - gold_values
        s.from_never += sum(1 for k in pred.elements() if k[1] in banned)
        if case.period:
            s.period_total += 1
            s.period_ok += result.period == case.period
        s.question_total += 1
        s.question_ok += result.is_question == case.question
        if pred != gold or (case.period and result.period != case.period) or result.is_question != case.question:
            s.errors.append(f"{case.text!r}\n   missing {sorted((gold - pred).elements())}\n"
                            f"   extra   {sorted((pred - gold).elements(), key=str)}\n"
                            f"   period {result.period} question {result.is_question}")
    return s
