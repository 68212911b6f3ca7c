"""What a draft is made of, as plain values: read from REPORT.json (scripts) or from the database (chat).

REPORT.json: {"unit": {"name", "level", "parent_name"?, "parent_level"?, "place"}, "period": {"kind", "start",
"end"}, "report_date", "request"?, "figures": [...], "history": [{"period", "figures"}], "narrative"?: {...},
"signer": {"authority", "title", "name"}, "recipients": [...]}; optional "appendix" (bool), "subject" (the subject
line of a review report, e.g. "Kết quả sơ kết 02 năm thực hiện Đề án 06") and "structure" (the report's structure
as an outline, drafting/structure.py; the built-in default when absent).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from drafting.structure import Structure, parse_outline
from figures.periods import PeriodSpec
from figures.types import FigureInput, PeriodFigures


@dataclass
class UnitInfo:
    name: str  # "xã Hòa An"
    level: str = "xa"
    place: str = ""  # date line: "Hòa An"
    agency: str = ""  # "ỦY BAN NHÂN DÂN XÃ HÒA AN"
    parent_agency: str = ""  # "UBND HUYỆN MINH GIANG", as the unit's admin set it (may be empty)
    parent_name: str = ""  # "huyện Minh Giang": the parent unit, if any
    parent_level: str = ""  # tinh | huyen

    def __post_init__(self) -> None:
        if not self.agency:
            self.agency = f"ỦY BAN NHÂN DÂN {self.name}".upper()  # units report as their People's Committee
        if not self.place:
            self.place = self.name.split(" ", 1)[-1]

    @property
    def short_agency(self) -> str:
        """How the unit names itself in the text: "UBND xã Hòa An"."""
        return f"UBND {self.name}"


@dataclass
class Signer:
    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN"
    title: str = ""  # "CHỦ TỊCH" or "PHÓ CHỦ TỊCH"
    name: str = ""

    def lines(self) -> list[str]:
        """Authority lines: a deputy signs "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH"."""
        out = [self.authority.upper()] if self.authority else []
        title = self.title.upper()
        if title.startswith("PHÓ "):
            out.append(f"KT. {title[4:]}")
        if title:
            out.append(title)
        return out


@dataclass
class DraftInput:
    unit: UnitInfo
    current: PeriodFigures
    report_date: date
    history: list[PeriodFigures] = field(default_factory=list)  # prior periods (any order)
    request: str = ""  # "Công văn số … ngày … của … về việc …"
    narrative: dict[str, str] = field(default_factory=dict)
    signer: Signer = field(default_factory=Signer)
    recipients: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # indicator -> reason kept on a check finding
    appendix: bool = True
    subject: str = ""  # override of the generated subject line (review reports)
    doc_symbol: str = "BC-UBND"
    structure: Structure | None = None  # the unit's report structure; None = the built-in default
    source_note: str = ""  # where the figures come from (a province's roll-up), for a part marked "nguồn số liệu"

    @property
    def period(self) -> PeriodSpec:
        return self.current.period

    @classmethod
    def from_json(cls, d: dict) -> DraftInput:
        """Parse REPORT.json; raises ValueError with the offending field on malformed input."""
        try:
            u = d["unit"]
            parent_name = str(u.get("parent_name") or "")
            unit = UnitInfo(name=str(u["name"]), level=str(u.get("level") or "xa"), place=str(u.get("place") or ""),
                            agency=str(u.get("agency") or ""), parent_agency=str(u.get("parent_agency") or ""),
                            parent_name=parent_name, parent_level=str(u.get("parent_level") or level_of(parent_name)))
            period = PeriodSpec.from_dict(d["period"])
            figures = [FigureInput.from_dict(f) for f in d.get("figures", [])]
            history = [PeriodFigures.from_dict(h) for h in d.get("history", [])]
            report_date = date.fromisoformat(str(d.get("report_date") or period.end.isoformat()))
            sg = d.get("signer") or {}
            signer = Signer(str(sg.get("authority") or ""), str(sg.get("title") or ""), str(sg.get("name") or ""))
        except KeyError as e:
            raise ValueError(f"missing field {e.args[0]!r}") from None
        narrative = {k: str(v) for k, v in (d.get("narrative") or {}).items() if isinstance(v, str)}
        structure = parse_outline(str(d["structure"])) if d.get("structure") else None
        return cls(unit=unit, current=PeriodFigures(period, figures), report_date=report_date, history=history,
                   request=str(d.get("request") or ""), narrative=narrative, signer=signer,
                   recipients=[str(r) for r in d.get("recipients", [])],
                   notes={f.indicator: f.note for f in figures if f.note},
                   appendix=bool(d.get("appendix", True)), subject=str(d.get("subject") or ""), structure=structure)


def level_of(unit_name: str) -> str:
    """The level a unit's name says: 'tỉnh Hậu Giang' -> tinh; 'huyện …', 'quận …', 'thị xã …', 'thành phố …'
    (a provincial city) -> huyen; otherwise xa."""
    head = unit_name.strip().lower()
    if head.startswith("tỉnh"):
        return "tinh"
    if head.startswith(("huyện", "quận", "thị xã", "thành phố")):
        return "huyen"
    return "xa" if head else ""
