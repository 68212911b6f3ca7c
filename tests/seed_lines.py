"""The labelled seed-report lines (tests/data/seed_lines.yaml) and their scoring, shared by tests and
bench/bench_parse.py. A figure read is right when the labels list it (indicator, value, denominator, stated rate and,
where the label names one, year); wrong when they do not (and it is not optional); a label nobody read is missed."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from common import clock
from figures.lexicon import lexicon_for
from figures.parse import ParseContext, ParsedFigure, parse_message
from figures.periods import Calendar, PeriodSpec
from figures.report_reader import ReportReading, read_report
from figures.report_tables import read_row, table_columns
from knowledge.catalogue import load_catalogue

LINES_PATH = Path(__file__).with_name("data") / "seed_lines.yaml"
_REPO = Path(__file__).resolve().parents[1]
# ../shared/seeds next to the checkout (a worktree sits one level deeper)
SEEDS_DIR = next((d for d in (_REPO.parent / "shared" / "seeds", _REPO.parents[1] / "shared" / "seeds")
                  if d.is_dir()), _REPO.parent / "shared" / "seeds")
_GOLD = re.compile(r"^\s*([a-z0-9_.]+)\s*=\s*([\d.]+)(?:/([\d.]+))?(?:\s*@([\d.]+))?(?:\s+in\s+(\d{4}))?\s*$")

Key = tuple[str, float, float | None, float | None]


@dataclass(frozen=True)
class Gold:
    key: Key
    year: int | None = None  # the year the figure is of, when the line names it

    def matches(self, key: Key, year: int | None, exact: bool = True) -> bool:
        """Same figure; with exact=False the stated rate may differ."""
        same = self.key == key if exact else self.key[:3] == key[:3]
        return same and (self.year is None or self.year == year)


def gold(spec: str) -> Gold:
    m = _GOLD.match(spec)
    if not m:
        raise ValueError(f"bad gold figure {spec!r}")
    ind, v, d, r, y = m.groups()
    return Gold((ind, float(v), float(d) if d else None, float(r) if r else None), int(y) if y else None)


@dataclass
class Line:
    seed: str
    text: str
    figures: list[Gold]
    optional: list[Gold] = field(default_factory=list)
    section: str | None = None
    under: str | None = None
    table: str | None = None
    heldout: bool = False


@dataclass
class Seed:
    id: str
    path: Path
    period: PeriodSpec | None


def load_lines(path: Path = LINES_PATH) -> tuple[dict[str, Seed], list[Line]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    seeds = {}
    for sid, s in raw["seeds"].items():
        p = s.get("period")
        seeds[sid] = Seed(sid, SEEDS_DIR / s["file"], PeriodSpec(p["kind"], p["start"], p["end"]) if p else None)
    lines = [Line(seed=r["seed"], text=r["text"], figures=[gold(g) for g in r.get("figures") or []],
                  optional=[gold(g) for g in r.get("optional") or []], section=r.get("section"),
                  under=r.get("under"), table=r.get("table"), heldout=bool(r.get("heldout")))
             for r in raw["lines"]]
    return seeds, lines


def year_of(f: ParsedFigure, fallback: PeriodSpec | None) -> int | None:
    p = f.period or fallback
    return p.start.year if p is not None and p.kind == "nam" else None


def read_line(line: Line) -> tuple[list[ParsedFigure], PeriodSpec | None]:
    """What the reader makes of one line: a table row through the table reader, anything else through the parser
    with the heading's section."""
    cat = load_catalogue()
    if line.table:
        row = read_row(line.text, table_columns(line.table), cat, lexicon_for(cat), clock.today(), Calendar())
        return row.figures, None
    res = parse_message(line.text, cat, ParseContext(section=line.section))
    return res.figures, res.period


@dataclass
class Score:
    right: int = 0
    rate_differs: int = 0  # right indicator and value, stated rate read differently (or not at all)
    wrong: int = 0
    wrong_indicator: int = 0  # the value belongs to no labelled figure of this indicator
    missed: int = 0
    guesses: int = 0
    lines: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0


def score_figures(s: Score, label: str, figures: list[Gold], optional: list[Gold],
                  got: list[tuple[Key, int | None, bool]]) -> None:
    """Match what was read against the labels, one to one; `got` = (key, year, guess)."""
    todo = list(figures)
    extra = []
    unmatched = []
    for key, year, guess in got:
        s.guesses += guess
        hit = next((g for g in todo if g.matches(key, year)), None)
        if hit is not None:
            todo.remove(hit)
            s.right += 1
        elif not any(g.matches(key, year) for g in optional):
            unmatched.append((key, year))
    for key, year in unmatched:
        hit = next((g for g in todo if g.matches(key, year, exact=False)), None)
        if hit is not None:
            todo.remove(hit)
            s.right += 1
            s.rate_differs += 1
        else:
            extra.append(key)
    s.wrong += len(extra)
    labelled = Counter(g.key[0] for g in figures + optional)
    s.wrong_indicator += sum(1 for k in extra if not labelled[k[0]])
    s.missed += len(todo)
    if extra or todo:
        s.errors.append(f"{label}\n   missed {[g.key + (g.year,) for g in todo]}\n   wrong  {extra}")


def _under(line: Line) -> PeriodSpec | None:
    return parse_message(line.under).period if line.under else None


def report_gold(seed: Seed, lines: list[Line]) -> tuple[list[Gold], list[Gold], dict[Gold, PeriodSpec | None]]:
    """The distinct figures a whole seed report holds, by the labels of its lines, with the period each is of
    (None: the report's own)."""
    figures: dict[Gold, PeriodSpec | None] = {}
    optional: list[Gold] = []
    for line in (ln for ln in lines if ln.seed == seed.id):
        for g in line.figures:
            figures[g] = PeriodSpec("nam", date(g.year, 1, 1), date(g.year, 12, 31)) if g.year else _under(line)
        optional += line.optional
    return list(figures), optional, figures


def score_report(seed: Seed, lines: list[Line]) -> tuple[Score, ReportReading]:
    """Read the whole seed file and match its figures (conflicts included) against the labels."""
    reading = read_report(seed.path.read_text(encoding="utf-8"))
    gold_figures, optional, periods = report_gold(seed, lines)
    s = Score(lines=1)
    got = [(f, p) for p, f in reading.figures()] + [(f, c.period) for c in reading.conflicts for f in c.figures]
    todo = list(gold_figures)
    extra = []
    for f, p in got:
        key = (f.indicator, f.value, f.denominator, f.rate)
        s.guesses += f.guess
        hit = next((g for g in todo if g.key[:3] == key[:3] and periods[g] == p), None)
        if hit is not None:
            todo.remove(hit)
            s.right += 1
            s.rate_differs += hit.key[3] != key[3]
        elif not any(g.key[:3] == key[:3] for g in optional):
            extra.append((key, p.label if p else None))
    s.wrong = len(extra)
    labelled = {g.key[0] for g in gold_figures + optional}
    s.wrong_indicator = sum(1 for k, _ in extra if k[0] not in labelled)
    s.missed = len(todo)
    if extra or todo:
        s.errors.append(f"seed {seed.id}\n   missed {[g.key + (periods[g].label if periods[g] else None,) for g in todo]}"
                        f"\n   wrong  {extra}")
    return s, reading


def score_lines(lines: list[Line]) -> Score:
    s = Score()
    for line in lines:
        figures, period = read_line(line)
        s.lines += 1
        got = [((f.indicator, f.value, f.denominator, f.rate), year_of(f, period), f.guess) for f in figures]
        score_figures(s, f"[{line.seed}] {line.text[:110]!r}", line.figures, line.optional, got)
    return s
