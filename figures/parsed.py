"""What the parser returns (and the context it is given); plain values, shared by its modules."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from figures.periods import Calendar, PeriodSpec
from figures.types import FigureInput


@dataclass
class ParseContext:
    last_indicator: str | None = None  # what the dialogue just asked for: a bare "60" answers it
    today: date | None = None
    calendar: Calendar = field(default_factory=Calendar)


@dataclass
class ParsedFigure:
    indicator: str
    value: float
    denominator: float | None = None
    rate: float | None = None  # stated by the officer, never computed here
    span: tuple[int, int] | None = None
    text: str = ""

    def as_dict(self) -> dict:
        out = FigureInput(self.indicator, self.value, self.denominator, self.rate).as_dict()
        if self.span is not None:
            out["span"] = list(self.span)
        return out


@dataclass
class ParseResult:
    figures: list[ParsedFigure] = field(default_factory=list)
    period: PeriodSpec | None = None
    unmatched: list[str] = field(default_factory=list)
    is_question: bool = False

    def as_json(self) -> dict:
        return {"figures": [f.as_dict() for f in self.figures],
                "period": self.period.as_dict() if self.period else None,
                "unmatched": list(self.unmatched),
                "is_question": self.is_question}
