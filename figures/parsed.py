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
    section: str | None = None  # catalogue section of the report heading the text sits under (report reader)
    period_kind: str | None = None  # kind of the report being filled: bounds plausible values ("tuan")
    level: str | None = None  # the unit's level ("xa", "huyen", "tinh"): bounds plausible values
    # what "x/y" means after a service name: x is this measure, y the dossiers received (default: catalogue's)
    service_pair_measure: str | None = None


@dataclass
class ParsedFigure:
    indicator: str
    value: float
    denominator: float | None = None
    rate: float | None = None  # stated by the officer, never computed here
    span: tuple[int, int] | None = None
    text: str = ""
    guess: bool = False  # the name was matched only through a typo correction: ask before storing
    period: PeriodSpec | None = None  # a period named in the figure's own clause ("năm 2022: 6.065/6.588")

    def as_dict(self) -> dict:
        out = FigureInput(self.indicator, self.value, self.denominator, self.rate).as_dict()
        if self.span is not None:
            out["span"] = list(self.span)
        if self.guess:
            out["guess"] = True
        return out


@dataclass
class Problem:
    """Something the officer typed that was read but cannot be stored as it is."""

    kind: str  # unreadable | out_of_range | zero_denominator | period_out_of_range
    text: str  # the fragment of the message
    message: str  # Vietnamese, for the officer
    indicator: str | None = None

    def as_dict(self) -> dict:
        out = {"kind": self.kind, "text": self.text, "message": self.message}
        if self.indicator:
            out["indicator"] = self.indicator
        return out


@dataclass
class ParseResult:
    figures: list[ParsedFigure] = field(default_factory=list)
    period: PeriodSpec | None = None
    unmatched: list[str] = field(default_factory=list)
    is_question: bool = False
    problems: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict:
        figures = []
        for f in self.figures:
            d = f.as_dict()
            if f.period is not None and f.period != self.period:
                d["period"] = f.period.as_dict()
            figures.append(d)
        return {"figures": figures,
                "period": self.period.as_dict() if self.period else None,
                "unmatched": list(self.unmatched),
                "is_question": self.is_question,
                "problems": [p.as_dict() for p in self.problems]}
