"""Plain value types shared by the parser, the checks engine and drafting (no database types here)."""
from __future__ import annotations

from dataclasses import dataclass, field

from figures.periods import PeriodSpec


@dataclass
class FigureInput:
    """One indicator's figure as given by an officer or a script.

    `rate` is the percentage the officer *stated* ("đạt 94,4%"), kept as given and never recomputed.
    """

    indicator: str
    value: float
    denominator: float | None = None
    rate: float | None = None
    note: str = ""

    @classmethod
    def from_dict(cls, d: dict) -> FigureInput:
        def num(key: str) -> float | None:
            v = d.get(key)
            if v is None:
                return None
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"{key} of {d.get('indicator')!r} must be a number")
            return float(v)

        if not isinstance(d.get("indicator"), str) or not d["indicator"]:
            raise ValueError("figure without indicator")
        value = num("value")
        if value is None:
            raise ValueError(f"figure {d['indicator']!r} without value")
        return cls(d["indicator"], value, num("denominator"), num("rate"), str(d.get("note") or ""))

    def as_dict(self) -> dict:
        out: dict = {"indicator": self.indicator, "value": self.value}
        if self.denominator is not None:
            out["denominator"] = self.denominator
        if self.rate is not None:
            out["rate"] = self.rate
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class PeriodFigures:
    period: PeriodSpec
    figures: list[FigureInput] = field(default_factory=list)

    def by_indicator(self) -> dict[str, FigureInput]:
        return {f.indicator: f for f in self.figures}

    @classmethod
    def from_dict(cls, d: dict) -> PeriodFigures:
        return cls(PeriodSpec.from_dict(d["period"]), [FigureInput.from_dict(f) for f in d.get("figures", [])])
