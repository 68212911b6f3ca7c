"""What changed between two versions of a draft, for a leader reading on a phone: figures added, changed or
removed and parts added, rewritten or dropped, on one screen.

A version's `Snapshot` (its figures and the parts shown, with the officer's text of each) is kept with the version
(Draft.content); `changes(old, new)` compares two and `summary_lines` words the result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drafting.sentences import count
from knowledge.catalogue import Catalogue

if TYPE_CHECKING:
    from drafting.inputs import DraftInput
    from drafting.sections import Body

MAX_ITEMS = 4  # per line; the rest are counted ("… và 3 số liệu khác")

Value = tuple[float, float | None]  # value, denominator


@dataclass(frozen=True)
class Part:
    key: str
    heading: str  # "III. Tồn tại, hạn chế, nguyên nhân" as shown
    title: str  # without the number, so a renumbered part is not "changed"
    text: str  # the officer's own text in it


@dataclass
class Snapshot:
    figures: dict[str, Value] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"figures": {k: list(v) for k, v in self.figures.items()},
                "parts": [vars(p) for p in self.parts]}

    @classmethod
    def from_dict(cls, d: dict | None) -> Snapshot | None:
        if not d:
            return None
        return cls({k: (float(v[0]), None if v[1] is None else float(v[1])) for k, v in d.get("figures", {}).items()},
                   [Part(**p) for p in d.get("parts", [])])


def snapshot(inp: DraftInput, body: Body) -> Snapshot:
    """The figures written from (the stored ones) and the parts a rendered body shows."""
    figures = {f.indicator: (f.value, f.denominator) for f in inp.current.figures}
    parts = [Part(s.key, s.heading, s.heading.split(" ", 1)[-1], s.text) for s in body.sections]
    return Snapshot(figures, parts)


@dataclass
class Changes:
    figures_added: list[tuple[str, Value]] = field(default_factory=list)
    figures_changed: list[tuple[str, Value, Value]] = field(default_factory=list)
    figures_removed: list[tuple[str, Value]] = field(default_factory=list)
    parts_added: list[Part] = field(default_factory=list)
    parts_changed: list[Part] = field(default_factory=list)
    parts_removed: list[Part] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(vars(self).values())


def changes(old: Snapshot, new: Snapshot) -> Changes:
    c = Changes()
    for ind, v in new.figures.items():
        if ind not in old.figures:
            c.figures_added.append((ind, v))
        elif old.figures[ind] != v:
            c.figures_changed.append((ind, old.figures[ind], v))
    c.figures_removed = [(ind, v) for ind, v in old.figures.items() if ind not in new.figures]
    before = {p.key: p for p in old.parts}
    after = {p.key for p in new.parts}
    for p in new.parts:
        was = before.get(p.key)
        if was is None:
            c.parts_added.append(p)
        elif (was.title, was.text) != (p.title, p.text):
            c.parts_changed.append(p)
    c.parts_removed = [p for p in old.parts if p.key not in after]
    return c


def _shown(v: Value) -> str:
    return count(v[0]) if v[1] is None else f"{count(v[0])}/{count(v[1])}"


def _listed(items: list[str], noun: str) -> str:
    head = "; ".join(items[:MAX_ITEMS])
    more = len(items) - MAX_ITEMS
    return head + (f"; … và {more} {noun} khác" if more > 0 else "")


def summary_lines(c: Changes, cat: Catalogue, since: int) -> list[str]:
    """'Thay đổi so với phiên bản 2:' and one line per kind of change; one line when nothing changed."""
    if not c:
        return [f"Không có thay đổi về số liệu và nội dung so với phiên bản {since}."]

    def name(ind: str) -> str:
        found = cat.get(ind)
        return found.name if found is not None else ind

    lines = [f"Thay đổi so với phiên bản {since}:"]
    rows = [("Số liệu mới", [f"{name(i)} {_shown(v)}" for i, v in c.figures_added], "số liệu"),
            ("Số liệu sửa", [f"{name(i)} {_shown(a)} → {_shown(b)}" for i, a, b in c.figures_changed], "số liệu"),
            ("Số liệu bỏ", [f"{name(i)} (trước là {_shown(v)})" for i, v in c.figures_removed], "số liệu"),
            ("Mục mới", [p.heading for p in c.parts_added], "mục"),
            ("Mục sửa nội dung", [p.heading for p in c.parts_changed], "mục"),
            ("Mục bỏ", [p.heading for p in c.parts_removed], "mục")]
    lines += [f"• {label}: {_listed(items, noun)}" for label, items, noun in rows if items]
    return lines
