"""A unit's report structure learned from one of its past reports (text of a DOCX/PDF/TXT).

The numbered headings (I., 1., 1.1., a)) are the parts, in their order and numbering style. Each is matched to
the vocabulary (knowledge/templates/parts.yaml): a part officers write is asked in chat, a heading naming a figure
section gets that section's figures, one naming public services gets the services block, and the figure sections
named nowhere go under the results part ("số liệu còn lại"). Period words in headings become "{trong kỳ}" /
"{kỳ tới}". The result is an outline for the admin to confirm or edit, never applied unseen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafting.structure import IN_PERIOD, LETTERS, NEXT_PERIOD, ROMAN, Structure, heading_depth, numbered, parse_outline
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.report_parts import NarrativePart, Vocabulary, load_vocabulary, words_of

RESULTS = "ket_qua"
MAX_HEADING = 250  # characters; a longer numbered line is a paragraph of a list
_TAG = re.compile(r"\[bookmark: [^\]]*\]")
_END = ("noi nhan", "tren day la", "phu luc")
_NEXT = re.compile(r"\b(trong\s+)?(tuần|tháng|quý|thời gian|năm)\s+tới\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(trong\s+)?năm\s+\d{4}\b", re.IGNORECASE)
_IN = re.compile(r"\btrong\s+(tuần|tháng|quý)\b(?!\s+tới)", re.IGNORECASE)
_SENTENCES = re.compile(r"[.;]\s+[A-ZÀ-Ỹ]")


@dataclass
class _Heading:
    depth: int
    style: str
    number: str
    title: str
    known: NarrativePart | None
    parent: _Heading | None
    children: list[_Heading] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)

    def ancestors(self):
        h = self.parent
        while h is not None:
            yield h
            h = h.parent


def _lines(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        line = " ".join(_TAG.sub("", raw).split())
        if not line:
            continue
        if words_of(line).strip().startswith(_END):
            break
        out.append(line)
    return out


def _headings(lines: list[str], vocab: Vocabulary) -> list[_Heading]:
    found: list[_Heading] = []
    top = ""
    for i, line in enumerate(lines):
        heading = numbered(line)
        if heading is None:
            continue
        style, title = heading
        for nxt in lines[i + 1:i + 4]:  # a heading wrapped onto the next lines of a PDF's text
            if not nxt[:1].islower() or title.rstrip().endswith((":", ".")) or numbered(nxt):
                break
            title = f"{title} {nxt}"
        title = title.strip().rstrip(" :.")
        if len(title) > MAX_HEADING or _SENTENCES.search(title) or not title[:1].isupper():
            continue
        depth = heading_depth(style, line, top or style, found)
        if found and depth > found[-1].depth + 1 or (not found and depth):
            continue
        parent = next((h for h in reversed(found) if h.depth < depth), None)
        siblings = parent.children if parent is not None else [h for h in found if h.depth == 0]
        if siblings and _ordinal(line) not in (_ordinal(siblings[-1].number) + 1, _ordinal(siblings[-1].number)):
            continue  # "1." after "4.": a numbered list inside the part, not the next heading
        if parent is not None and any(a.known is not None and a.known.list_below
                                      for a in [parent, *parent.ancestors()]):
            continue  # the officer's numbered list under "Nhiệm vụ", "Kiến nghị"
        top = top or style
        h = _Heading(depth, style, line.split()[0], title, vocab.part_for(title), parent)
        if parent is not None:
            parent.children.append(h)
        found.append(h)
    return found


def _ordinal(number: str) -> int:
    """'IV.' -> 4, '4.2.' -> 2, 'b)' -> 2."""
    token = number.split()[0].rstrip(".)")
    if token in ROMAN:
        return ROMAN.index(token) + 1
    last = token.rsplit(".", 1)[-1]
    return int(last) if last.isdigit() else LETTERS.find(last) + 1


def _period_words(title: str, known: NarrativePart | None) -> str:
    title = _NEXT.sub(NEXT_PERIOD, title)
    title = _YEAR.sub(NEXT_PERIOD if known is not None and known.key == "nhiem_vu" else IN_PERIOD, title)
    return _IN.sub(IN_PERIOD, title)


def learn(text: str, cat: Catalogue | None = None, vocab: Vocabulary | None = None) -> Structure:
    """The structure of a past report; ValueError when it has no numbered headings to learn from."""
    cat, vocab = cat or load_catalogue(), vocab or load_vocabulary()
    heads = _headings(_lines(text), vocab)
    if not heads:
        raise ValueError("no numbered headings")
    names = {s.id: s.name for s in cat.sections}
    placed: set[str] = set()
    services = False
    results = next((h for h in heads if h.known is not None and h.known.key == RESULTS), None)
    for h in heads:
        if not _may_hold_figures(h, results):
            continue
        secs = [s for s in vocab.sections_for(h.title, names) if s not in placed]
        if secs:
            placed.update(secs)
            h.markers.append("số liệu: " + "; ".join(names[s] for s in secs))
        if not services and vocab.names_services(h.title):
            services = True
            h.markers.append("dịch vụ công")
    for h in heads:
        if not h.children and (h.known is not None or not h.markers):
            h.markers.insert(0, "hỏi")
    _place_rest(heads)
    lines = [" | ".join([f"{h.number} {_period_words(h.title, h.known)}", *h.markers]) for h in heads]
    return parse_outline("\n".join(lines), cat, vocab)


def _may_hold_figures(h: _Heading, results: _Heading | None) -> bool:
    """Figures go in the results part and what it holds, or in a part of their own name ("Công tác chỉ đạo");
    never in parts officers write in words, nor under a part such as "Kết quả triển khai các mô hình"."""
    chain = [h, *h.ancestors()]
    if any(a.known is not None and not a.known.figures for a in chain):
        return False
    if any(a.known is not None and a.known.key != RESULTS for a in h.ancestors()):
        return False
    return results is None or results in chain or h.known is not None


def _place_rest(heads: list[_Heading]) -> None:
    """'số liệu còn lại' on the part holding the figure parts (or the results part), so no figure is lost."""
    with_figures = next((h for h in heads if any(m.startswith(("số liệu", "dịch vụ")) for m in h.markers)), None)
    results = next((h for h in heads if h.known is not None and h.known.key == "ket_qua"), None)
    target = results or (with_figures.parent or with_figures if with_figures else None) or heads[0]
    if "hỏi" in target.markers:
        target.markers.remove("hỏi")
    target.markers.append("số liệu còn lại")
