"""The report body, laid out by the unit's report structure (drafting/structure.py).

Each part gets its heading (numbered in the structure's style), the officer's text for it (Report.narrative under
the part's key), the figure sentences of its catalogue sections and, where the structure puts them, the essential
public services. A part with neither text nor figures is left out and the rest are renumbered. Every part is a
"slot" the officer can address in chat ("sửa mục 3: …", "thêm vào kiến nghị: …").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from common.vntext import fold
from drafting.inputs import DraftInput
from drafting.sentences import SentenceWriter
from drafting.structure import (
    ROMAN,
    SERVICES_SECTION,
    Part,
    Services,
    Structure,
    default_structure,
    number_label,
    resolve_title,
    style_at,
)
from knowledge.catalogue import Catalogue

SERVICES_LEAD = "Kết quả thực hiện các dịch vụ công thiết yếu"


@dataclass(frozen=True)
class Block:
    kind: str  # h1 | h2 | h3 | p
    text: str


@dataclass(frozen=True)
class Slot:
    key: str
    title: str
    number: str = ""  # as shown in the draft: "III", "2.1"; empty when the part is not in the draft


@dataclass
class Section:
    """One shown part, for the version summary: its heading, the officer's text and the figures written in it."""

    key: str
    heading: str
    text: str
    figures: list[str]


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)  # the parts shown, in order
    sections: list[Section] = field(default_factory=list)
    writer: SentenceWriter = field(kw_only=True)  # always set: the body's sentences come from it


def _rest_parts(st: Structure, cat: Catalogue) -> list[Part]:
    """The catalogue sections a structure places nowhere, as parts."""
    placed = st.placed_sections()
    return [Part(title=s.name, key=s.id, figures=[s.id]) for s in cat.sections if s.id not in placed]


def _service_ids(spec: Services, cat: Catalogue) -> list[str]:
    """The services a block lists: those the unit named, else all (of its ministry)."""
    return list(spec.labels) or [s.id for s in cat.services.values()
                                 if not spec.ministry or fold(s.ministry) == fold(spec.ministry)]


def all_slots(cat: Catalogue, st: Structure, period) -> list[Slot]:
    """Every part a draft may have (shown or not), for matching an officer's "thêm vào <tên mục>"."""
    keys = {p.key for p in st.walk()}
    return [Slot(p.key, resolve_title(p.title, period)) for p in st.walk()] + \
           [Slot(p.key, p.title) for p in _rest_parts(st, cat) if p.key not in keys]


def find_slot(cat: Catalogue, period, shown: list[Slot], ref: str, st: Structure | None = None) -> Slot | None:
    """A slot by the number shown in the draft ("3", "III", "2.1") or by (part of) its title."""
    r = fold(ref).removeprefix("muc ").strip().rstrip(".")
    for s in shown:
        if r and r in (s.number.lower(), str(ROMAN.index(s.number) + 1) if s.number in ROMAN else ""):
            return s
    for s in all_slots(cat, st or default_structure(), period):
        t = fold(s.title)
        if r and (r == t or r in t or t.startswith(r)):
            return s
    return None


def _paragraphs(text: str) -> list[Block]:
    return [Block("p", line.strip()) for line in (text or "").splitlines() if line.strip()]


def _bullets(sentences: list[str], mark: str = "-") -> list[Block]:
    return [Block("p", f"{mark} {s}") for s in sentences]


class _Layout:
    def __init__(self, inp: DraftInput, cat: Catalogue, st: Structure, w: SentenceWriter):
        self.inp, self.cat, self.st, self.w = inp, cat, st, w
        self.body = Body(writer=w)
        # services a block of the structure lists; the others go where the TTHC section goes
        self.reserved = {sid for p in st.walk() if p.services is not None for sid in _service_ids(p.services, cat)}
        self.claimed: set[str] = set()  # services written by an earlier block

    def services(self, part: Part) -> list[Block]:
        spec = part.services
        if spec is not None:
            ids = _service_ids(spec, self.cat)
        elif SERVICES_SECTION in part.figures:
            spec = Services()
            ids = [sid for sid in self.cat.services if sid not in self.reserved]
        else:
            return []
        lines = []
        pairs = False
        for sid in ids:
            if sid in self.claimed:
                continue
            line = self.w.service_sentence(self.cat.services[sid], spec.labels.get(sid, ""), as_pair=bool(spec.pair))
            if line is not None:
                self.claimed.add(sid)
                lines.append(line.text)
                pairs |= line.pair
        if not lines:
            return []
        meaning = spec.pair or self.w.patterns.service_pair
        lead = f"- {SERVICES_LEAD}" + (f" ({meaning})" if pairs else "") + ":"
        return [Block("p", lead), *_bullets(lines, "+")]

    def part(self, part: Part, path: tuple[int, ...]) -> list[Block]:
        """The part's blocks (heading first), or [] when it has nothing to say."""
        before = set(self.w.used)
        own = _paragraphs(self.inp.narrative.get(part.key, ""))
        source = _paragraphs(self.inp.source_note) if part.source else []
        figures = [b for g in part.groups for b in _bullets(self.w.group_sentences(g))]
        figures += [b for sec in part.figures for b in _bullets(self.w.section_sentences(sec))]
        figures += self.services(part)
        children: list[Block] = []
        slots_at = len(self.body.slots)
        n = 0
        for child in [*part.parts, *(_rest_parts(self.st, self.cat) if part.rest else [])]:
            blocks = self.part(child, (*path, n + 1))
            if blocks:
                n += 1
                children += blocks
        content = own + figures + children
        if not content:
            return []
        depth = len(path) - 1
        title = resolve_title(part.title, self.inp.period)
        label = number_label(self.st.numbering, path)
        heading = title.upper() if style_at(self.st.numbering, depth) == "roman" else title
        number = label.rstrip(".)") if depth == 0 else ".".join(str(i) for i in path)
        self.body.slots.insert(slots_at, Slot(part.key, title, number))
        self.body.sections.insert(slots_at, Section(part.key, f"{label} {title}", "\n".join(b.text for b in own),
                                                    sorted(self.w.used - before)))
        return [Block(("h1", "h2", "h3")[min(depth, 2)], f"{label} {heading}"), *source, *own, *figures, *children]


def build_body(inp: DraftInput, cat: Catalogue) -> Body:
    st = inp.structure or default_structure()
    w = SentenceWriter(cat, inp.current, inp.history, inp.notes)
    layout = _Layout(inp, cat, st, w)
    n = 0
    for part in st.parts:
        blocks = layout.part(part, (n + 1,))
        if blocks:
            n += 1
            layout.body.blocks += blocks
    unknown = sorted(f.indicator for f in inp.current.figures if f.indicator not in cat.indicators)
    if unknown:
        w.warnings.append("Chỉ tiêu không có trong danh mục, không đưa vào dự thảo: " + ", ".join(unknown))
    unwritten = sorted(i for i in w.figs if i in cat.indicators and i not in w.used)
    if unwritten:
        w.warnings.append("Số liệu chưa được đưa vào dự thảo: " + ", ".join(unwritten))
    return layout.body
