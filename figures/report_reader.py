"""Read a whole report (pasted, or the text of a DOCX/PDF) into its period and its figures, section by section,
for one confirmation in chat.

The text is cut into items (figures/report_text.py); each item is parsed with the catalogue section of the heading
it sits under (a heading about public services makes "Cấp thẻ CCCD: 00" the service, not the CCCD count) and
tables of service results are read row by row (figures/report_tables.py). The period is the one the title names;
a figure whose own clause or lead-in names another year ("Năm 2022: 6.065/6.588", "* Trong năm 2023 … như sau:")
carries that period. A figure repeated with the same value is kept once; different values for one indicator and
period are conflicts for the officer to settle; numbers that name nothing known are listed as unplaced.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from common import clock
from common.vnnum import fmt_num, fmt_pct
from common.vnnum import rate as vnrate
from common.vntext import syllables
from figures.lexicon import lexicon_for
from figures.parse import parse_message
from figures.parsed import ParseContext, ParsedFigure, Problem
from figures.periods import PeriodSpec, contains
from figures.report_tables import read_row, table_columns
from figures.report_text import PLAIN, Piece, pieces
from knowledge.catalogue import Catalogue, load_catalogue


@dataclass
class Found:
    figure: ParsedFigure
    period: PeriodSpec | None  # None = the report's own period
    line: str  # the report item it was read from


@dataclass
class SectionGroup:
    section: str  # catalogue section id
    name: str
    period: PeriodSpec | None  # None = the report's own period
    figures: list[ParsedFigure]


@dataclass
class Conflict:
    indicator: str
    period: PeriodSpec | None
    figures: list[ParsedFigure]  # one per distinct value, in report order


@dataclass
class ReportReading:
    period: PeriodSpec | None  # the period the title names; None when it names none (ask the officer)
    groups: list[SectionGroup] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # report text holding numbers that name nothing known
    problems: list[Problem] = field(default_factory=list)

    def figures(self) -> list[tuple[PeriodSpec | None, ParsedFigure]]:
        return [(g.period, f) for g in self.groups for f in g.figures]

    def as_json(self) -> dict:
        def period(p: PeriodSpec | None) -> dict | None:
            return p.as_dict() if p else None

        return {"period": period(self.period),
                "groups": [{"section": g.section, "name": g.name, "period": period(g.period),
                            "figures": [f.as_dict() for f in g.figures]} for g in self.groups],
                "conflicts": [{"indicator": c.indicator, "period": period(c.period),
                               "figures": [f.as_dict() for f in c.figures]} for c in self.conflicts],
                "unplaced": list(self.unplaced), "problems": [p.as_dict() for p in self.problems]}


@dataclass
class _Lead:
    level: int
    section: str | None
    period: PeriodSpec | None


def read_report(text: str, catalogue: Catalogue | None = None, context: ParseContext | None = None) -> ReportReading:
    """The period and figures of a whole report's text; see the module docstring."""
    cat = catalogue or load_catalogue()
    ctx = context or ParseContext()
    today = ctx.today or clock.today()
    items = pieces(text)
    period = _title_period(items, cat, ctx)
    kind = period.kind if period else ctx.period_kind
    found: list[Found] = []
    unplaced: list[str] = []
    problems: list[Problem] = []
    leads: list[_Lead] = []
    columns: list[str] = []
    for item in items:
        if item.table == "header":
            columns = table_columns(item.text)
            continue
        lead_period = next((lead.period for lead in reversed(leads) if lead.period), None)
        if item.table == "row":
            row = read_row(item.text, columns, cat, lexicon_for(cat), today, ctx.calendar)
            found += [Found(f, _own(lead_period, period), item.text) for f in row.figures]
            unplaced += [row.unplaced] if row.unplaced else []
            continue
        while leads and leads[-1].level >= item.level:
            leads.pop()
        section = next((lead.section for lead in reversed(leads) if lead.section), None)
        res = parse_message(item.text, cat, ParseContext(
            today=today, calendar=ctx.calendar, section=section, period_kind=kind, level=ctx.level,
            service_pair_measure=ctx.service_pair_measure))
        found += [Found(f, _own(f.period or lead_period, period), item.text) for f in res.figures]
        unplaced += res.unmatched
        problems += [p for p in res.problems if p.kind != "period_out_of_range"]
        if item.heading or (not res.figures and item.level != PLAIN):  # a heading or lead-in: it frames what follows
            frame = _lead_period(item, res.figures, res.period)
            leads.append(_Lead(item.level, heading_section(cat, item.text), frame))
    groups, conflicts = _group(cat, found)
    return ReportReading(period, groups, conflicts, unplaced, problems)


LEAD_IN_LENGTH = 250  # a lead-in ("* Trong năm 2023 kết quả … như sau:") is short; longer text is narrative


def _lead_period(item: Piece, figures: list[ParsedFigure], period: PeriodSpec | None) -> PeriodSpec | None:
    """The period a lead-in gives the items under it: only a short one ending in ":" that names it."""
    text = item.text.rstrip()
    return period if not figures and text.endswith(":") and len(text) <= LEAD_IN_LENGTH else None


REPORT_ITEMS = 6  # a message with this many report items (headings, bullets) is a pasted report, not a chat line


def looks_like_report(text: str) -> bool:
    """Whether a message is a pasted report (read it with read_report and confirm once) rather than a chat line."""
    items = pieces(text)
    return sum(1 for p in items if p.level != PLAIN or p.table) >= REPORT_ITEMS or len(text) > 3000


def heading_section(cat: Catalogue, heading: str) -> str | None:
    """The catalogue section whose heading words a heading holds (the longest match wins)."""
    words = syllables(heading)
    best: tuple[int, str] | None = None
    for s in cat.sections:
        for phrase in s.heading_words:
            key = syllables(phrase)
            n = len(key)
            if any(words[i:i + n] == key for i in range(len(words) - n + 1)) and (best is None or n > best[0]):
                best = (n, s.id)
    return best[1] if best else None


def _title_period(items: list[Piece], cat: Catalogue, ctx: ParseContext) -> PeriodSpec | None:
    """The period named before the report's first heading (its title and opening)."""
    for item in items:
        if item.heading or item.table:
            return None
        period = parse_message(item.text, cat, ParseContext(today=ctx.today, calendar=ctx.calendar)).period
        if period is not None:
            return period
    return None


def _own(named: PeriodSpec | None, report: PeriodSpec | None) -> PeriodSpec | None:
    """The period a figure belongs to when it is not the report's: a year or month named for it, not a date range
    inside the report's period ("từ ngày 06/01/2022 đến ngày 16/12/2022" in the 2022 report)."""
    if named is None or named == report:
        return None
    if named.kind == "dot_xuat" and report is not None and contains(report, named):
        return None
    return named


def _group(cat: Catalogue, found: list[Found]) -> tuple[list[SectionGroup], list[Conflict]]:
    by_key: dict[tuple[str, PeriodSpec | None], list[ParsedFigure]] = {}
    for fd in found:
        same = by_key.setdefault((fd.figure.indicator, fd.period), [])
        twin = next((f for f in same if (f.value, f.denominator) == (fd.figure.value, fd.figure.denominator)), None)
        if twin is None:
            same.append(fd.figure)
        elif twin.rate is None:  # the same figure restated; keep the stated rate if one of them has it
            twin.rate = fd.figure.rate
    conflicts = [Conflict(ind, p, fs) for (ind, p), fs in by_key.items() if len(fs) > 1]
    order = {s.id: i for i, s in enumerate(cat.sections)}
    groups: dict[tuple[str, PeriodSpec | None], SectionGroup] = {}
    for (ind, p), fs in by_key.items():
        if len(fs) > 1:
            continue
        meta = cat.get(ind)
        sid = meta.section if meta else ""
        section = cat.section(sid)
        groups.setdefault((sid, p), SectionGroup(sid, section.name if section else sid, p, [])).figures.append(fs[0])
    ordered = sorted(groups.values(), key=lambda g: (g.period is not None, g.period.start if g.period else None,
                                                     order.get(g.section, len(order))))
    return ordered, conflicts


def summary_text(reading: ReportReading, cat: Catalogue | None = None) -> str:
    """The reading as one message for the officer to confirm: figures by section, conflicts, what was not placed."""
    cat = cat or load_catalogue()
    count = sum(len(g.figures) for g in reading.groups)
    head = f"Đọc được {count} số liệu"
    head += f" của báo cáo {reading.period.label}." if reading.period else " (chưa rõ kỳ báo cáo: anh/chị cho biết kỳ)."
    lines = [head]
    for g in reading.groups:
        lines.append(f"■ {g.name}" + (f" — {g.period.label}" if g.period else ""))
        lines += [f"• {figure_text(cat, f)}" + (" (đoán, cần xác nhận)" if f.guess else "") for f in g.figures]
    if reading.conflicts:
        lines.append("Một chỉ tiêu có hai số khác nhau, anh/chị chọn giúp:")
        for c in reading.conflicts:
            meta = cat.get(c.indicator)
            shown = " hay ".join(_value(f) for f in c.figures)
            lines.append(f"• {meta.name if meta else c.indicator}: {shown}?")
    if reading.unplaced:
        first = [u if len(u) <= 60 else u[:57] + "…" for u in reading.unplaced[:5]]
        lines.append(f"Chưa xếp được {len(reading.unplaced)} đoạn có số (không lưu): "
                     + "; ".join(f"«{u}»" for u in first) + ("; …" if len(reading.unplaced) > 5 else ""))
    lines += [p.message for p in reading.problems]
    return "\n".join(lines)


def figure_text(cat: Catalogue, f: ParsedFigure) -> str:
    """"Cập nhật CMND 9 số: 866/1.714 trường hợp (50,5%)": a pair with its rate computed; a rate the report
    states is shown as stated ("đạt 100%")."""
    meta = cat.get(f.indicator)
    unit = f" {meta.unit}" if meta and meta.unit != "%" else ("%" if meta else "")
    if f.rate is not None:
        rate = f" (đạt {fmt_num(f.rate, 2)}%)"
    else:
        share = vnrate(f.value, f.denominator) if f.denominator is not None else None
        rate = f" ({fmt_pct(share)})" if share is not None else ""
    return f"{meta.name if meta else f.indicator}: {_value(f)}{unit}{rate}"


def _value(f: ParsedFigure) -> str:
    return fmt_num(f.value, 2) + (f"/{fmt_num(f.denominator, 2)}" if f.denominator is not None else "")
