"""A report's structure as data: which parts, their headings, numbering and order, which are asked in chat,
where each figure section and the public services go.

A structure is written and shown as an outline, one line per part, the way officers number their reports:

    I. Công tác chỉ đạo, triển khai | hỏi | số liệu: Công tác chỉ đạo, triển khai
    II. Kết quả thực hiện các nhiệm vụ {trong kỳ} | số liệu còn lại
    1. Giải quyết TTHC và dịch vụ công trực tuyến | số liệu: TTHC | dịch vụ công: Bộ Công an | x/y: trực tuyến/tiếp nhận
    + Tiếp nhận và giải quyết thủ tục đăng ký thường trú | dịch vụ: thường trú
    III. Kiến nghị, đề xuất | hỏi

The numbers give the nesting and the numbering style of each level (I. / 1. / 1.1. / a)); they are renumbered
in the draft, where parts with neither text nor figures are left out. Markers after "|": "hỏi" (the officer is
asked for this part's text; "hỏi: câu hỏi" to word the question), "số liệu: A; B" (these catalogue sections'
figure sentences), "số liệu còn lại" (every figure section placed nowhere else, each as a sub-part), "dịch vụ
công[: bộ/ngành]" (the essential services block), "x/y: trực tuyến/tiếp nhận" (services written as x/y with
their rate), "nhóm tiện ích: 1; 2" (the figure sentences of these utility groups of QĐ 06, services aside),
"nguồn số liệu" (where the figures come from, e.g. which communes' approved reports a province sums). A "+"
line names one service as the unit writes it; listed services are the only ones in the block, in that order.
"{trong kỳ}" and "{kỳ tới}" become "trong tuần", "tuần tới" …. Lines before the first numbered line and lines
starting with "#" are ignored.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from common.errors import InvalidInput
from common.vntext import fold
from drafting.wording import in_period, next_period
from figures.periods import PeriodSpec
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.report_parts import Vocabulary, load_vocabulary, names, words_of

PRESETS_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "templates" / "mau"
DEFAULT_PRESET = "mac_dinh"
SERVICES_SECTION = "tthc_dvc"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
LETTERS = "abcdđeghiklmnopqrstuvxy"
IN_PERIOD, NEXT_PERIOD = "{trong kỳ}", "{kỳ tới}"

_TOKENS = (  # numbering style, pattern of a numbered line
    ("roman", re.compile(r"^(?P<n>[IVX]{1,4})\.\s+(?P<rest>.+)$")),
    ("dotted", re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<rest>.+)$")),
    ("arabic", re.compile(r"^(?P<n>\d{1,2})[.)]\s+(?P<rest>.+)$")),
    ("letter", re.compile(rf"^(?P<n>[{LETTERS}])\)\s+(?P<rest>.+)$")),
)
_SERVICE_LINE = re.compile(r"^\+\s*(?P<rest>.+)$")


@dataclass
class Services:
    """The essential public services block of a part."""

    ministry: str = ""  # only this ministry's services ("Bộ Công an")
    labels: dict[str, str] = field(default_factory=dict)  # service id -> the unit's name; listed = only these
    pair: str = ""  # "trực tuyến/tiếp nhận": each service written as x/y with its rate


@dataclass
class Part:
    title: str
    key: str
    ask: str = ""  # the question asked in chat; empty = the officer is not asked for this part
    figures: list[str] = field(default_factory=list)  # catalogue section ids
    rest: bool = False
    services: Services | None = None
    parts: list[Part] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # utility groups of QĐ 06 whose figures the part writes
    source: bool = False  # the draft's note on where its figures come from opens this part

    def walk(self):
        yield self
        for p in self.parts:
            yield from p.walk()


@dataclass
class Structure:
    parts: list[Part]
    numbering: list[str] = field(default_factory=lambda: ["roman", "arabic", "dotted"])
    name: str = ""

    def walk(self):
        for p in self.parts:
            yield from p.walk()

    def asked(self) -> list[Part]:
        """The parts the officer is asked for, in report order."""
        return [p for p in self.walk() if p.ask]

    def placed_sections(self) -> set[str]:
        return {s for p in self.walk() for s in p.figures}

    def has_services(self) -> bool:
        return any(p.services is not None for p in self.walk())

    def part(self, key: str) -> Part | None:
        return next((p for p in self.walk() if p.key == key), None)


# --- words of the period --------------------------------------------------------------------------

def resolve_title(title: str, period: PeriodSpec) -> str:
    return title.replace(IN_PERIOD, in_period(period)).replace(NEXT_PERIOD, next_period(period))


def plain_title(title: str) -> str:
    """A title for chat, whatever the period: 'Nhiệm vụ trọng tâm kỳ tới'."""
    return title.replace(IN_PERIOD, "trong kỳ").replace(NEXT_PERIOD, "kỳ tới")


# --- numbering ------------------------------------------------------------------------------------

def style_at(numbering: list[str], depth: int) -> str:
    return numbering[depth] if depth < len(numbering) else "dotted"


def number_label(numbering: list[str], path: tuple[int, ...]) -> str:
    """'II.', '3.', '4.1.', 'b)' for the part at `path` (1-based indices from the top)."""
    depth, i = len(path) - 1, path[-1]
    style = style_at(numbering, depth)
    if style == "roman":
        return f"{ROMAN[i - 1] if i <= len(ROMAN) else i}."
    if style == "letter":
        return f"{LETTERS[(i - 1) % len(LETTERS)]})"
    if style == "arabic":
        return f"{i}."
    arabic = [str(n) for d, n in enumerate(path) if style_at(numbering, d) not in ("roman", "letter")]
    return ".".join(arabic) + "."


# --- reading an outline ---------------------------------------------------------------------------

def _slug(title: str) -> str:
    return "_".join(words_of(title.replace(IN_PERIOD, "").replace(NEXT_PERIOD, "")).split()[:6]) or "muc"


def _section_ids(text: str, cat: Catalogue, vocab: Vocabulary) -> list[str]:
    """'Công tác tuyên truyền; làm sạch' -> section ids, by id, name or heading words."""
    out = []
    for piece in (p.strip() for p in re.split(r"[;]", text) if p.strip()):
        sid = _one_section(piece, cat, vocab)
        if sid is None and "," in piece:
            found = [_one_section(p.strip(), cat, vocab) for p in piece.split(",") if p.strip()]
            if all(found):
                out += [f for f in found if f]
                continue
        if sid is None:
            known = "; ".join(s.name for s in cat.sections)
            raise InvalidInput(f"Không rõ mục số liệu «{piece}». Các mục số liệu: {known}.")
        out.append(sid)
    return list(dict.fromkeys(out))


def _one_section(piece: str, cat: Catalogue, vocab: Vocabulary) -> str | None:
    ids = {s.id: s.name for s in cat.sections}
    if piece in ids:
        return piece
    exact = [sid for sid, name in ids.items() if fold(name) == fold(piece)]
    if exact:
        return exact[0]
    typed = words_of(piece)
    loose = [sid for sid, name in ids.items()
             if typed.strip() and any(typed in words_of(w) or words_of(w) in typed
                                      for w in [name, *vocab.section_words.get(sid, [])])]
    return loose[0] if len(loose) == 1 else None


def _service_id(text: str, cat: Catalogue) -> str:
    wanted = fold(text).strip()
    for svc in cat.services.values():
        if wanted in (svc.id, fold(svc.name), *(fold(a) for a in svc.aliases)):
            return svc.id
    for svc in cat.services.values():
        if names(svc.name, [text]):
            return svc.id
    raise InvalidInput(f"Không rõ dịch vụ công «{text}». Ghi tên dịch vụ, ví dụ: «dịch vụ: đăng ký thường trú».")


@dataclass
class _Line:
    depth: int
    style: str
    title: str
    markers: list[str]


def numbered(line: str) -> tuple[str, str] | None:
    for style, pattern in _TOKENS:
        m = pattern.match(line)
        if m:
            return style, m.group("rest")
    return None


def parse_outline(text: str, cat: Catalogue | None = None, vocab: Vocabulary | None = None) -> Structure:
    """An outline (module docstring) -> Structure; InvalidInput with the line at fault when it cannot be read."""
    cat, vocab = cat or load_catalogue(), vocab or load_vocabulary()
    lines: list[_Line] = []
    top = ""
    name = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            name = name or line.lstrip("# ").strip()
            continue
        service = _SERVICE_LINE.match(line)
        heading = numbered(line)
        if service and lines:
            lines.append(_Line(lines[-1].depth + 1, "service", *_split(service.group("rest"))))
            continue
        if heading is None:
            if lines:
                raise InvalidInput(f"Dòng «{line[:60]}» chưa có số thứ tự (I., 1., 1.1. hoặc a)).")
            continue  # a title or note copied above the outline
        style, rest = heading
        top = top or style
        depth = heading_depth(style, line, top, lines)
        previous = next((l for l in reversed(lines) if l.style != "service"), None)
        if previous is not None and depth > previous.depth + 1:
            raise InvalidInput(f"Dòng «{line[:60]}» nằm dưới một mục chưa có.")
        if not lines and depth:
            raise InvalidInput(f"Mục đầu tiên «{line[:60]}» phải là mục lớn (I. hoặc 1.).")
        lines.append(_Line(depth, style, *_split(rest)))
    if not lines:
        raise InvalidInput("Mẫu báo cáo chưa có mục nào. Mỗi mục một dòng, có số thứ tự, ví dụ: «I. Kiến nghị | hỏi».")
    return _build(lines, name, cat, vocab)


def _split(rest: str) -> tuple[str, list[str]]:
    title, *markers = (p.strip() for p in rest.split("|"))
    if not title:
        raise InvalidInput("Có mục chưa có tên.")
    return title.rstrip(" :"), [m for m in markers if m]


class _Placed(Protocol):
    depth: int
    style: str


def heading_depth(style: str, line: str, top: str, lines: Sequence[_Placed]) -> int:
    if style == "roman":
        return 0
    if style == "arabic":
        return 1 if top == "roman" else 0
    if style == "dotted":
        n = line.split()[0].rstrip(".").count(".") + 1
        return n if top == "roman" else n - 1
    above = [l for l in lines if l.style not in ("letter", "service")]
    return above[-1].depth + 1 if above else 0


def _build(lines: list[_Line], name: str, cat: Catalogue, vocab: Vocabulary) -> Structure:
    numbering: list[str] = []
    roots: list[Part] = []
    stack: list[Part] = []
    used: set[str] = set()
    for ln in lines:
        if ln.style == "service":
            _add_service(stack, ln, cat)
            continue
        while len(numbering) <= ln.depth:
            numbering.append(ln.style)
        part = _part(ln, used, cat, vocab)
        del stack[ln.depth:]
        (stack[-1].parts if stack else roots).append(part)
        stack.append(part)
    return Structure(roots, numbering, name)


def _part(ln: _Line, used: set[str], cat: Catalogue, vocab: Vocabulary) -> Part:
    part = Part(title=ln.title, key="")
    for marker in ln.markers:
        head, colon, value = marker.partition(":")
        h, value = words_of(head).strip(), value.strip()
        if h == "hoi":
            part.ask = value or "-"
        elif h == "so lieu con lai":
            part.rest = True
        elif h == "so lieu" and value:
            part.figures = _section_ids(value, cat, vocab)
        elif h == "dich vu cong":
            part.services = part.services or Services()
            part.services.ministry = value
        elif h == "x y" and value:
            part.services = part.services or Services()
            part.services.pair = value
        elif h == "nhom tien ich" and value:
            part.groups = _groups(value, cat)
        elif h == "nguon so lieu":
            part.source = True
        else:
            raise InvalidInput(f"Không hiểu «{marker}» ở mục «{ln.title}». Dùng: hỏi; số liệu: …; số liệu còn lại; "
                               "dịch vụ công; x/y: …; nhóm tiện ích: …; nguồn số liệu")
    known = vocab.part_for(ln.title)
    if known is not None and not (part.ask or part.figures or part.rest or part.services or part.groups):
        known = None  # a heading that only groups sub-parts leaves the name to the one the officer writes
    if known is not None and known.key not in used:
        part.key = known.key
    elif len(part.figures) == 1 and part.figures[0] not in used:
        part.key = part.figures[0]
    else:
        base = _slug(ln.title)
        part.key = base if base not in used else next(f"{base}_{n}" for n in range(2, 99) if f"{base}_{n}" not in used)
    used.add(part.key)
    if part.ask == "-":
        part.ask = known.ask if known is not None and known.key == part.key else part.title
    return part


def _groups(text: str, cat: Catalogue) -> list[int]:
    """'1; 2' -> [1, 2], each a utility group of the catalogue."""
    pieces = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
    if not all(p.isdigit() and int(p) in cat.utility_groups for p in pieces):
        raise InvalidInput(f"Nhóm tiện ích «{text}» không có. Các nhóm: "
                           f"{', '.join(str(g) for g in cat.utility_groups)}.")
    return [int(p) for p in pieces]


def _add_service(stack: list[Part], ln: _Line, cat: Catalogue) -> None:
    owner = next((p for p in reversed(stack) if p.services is not None), stack[-1])
    owner.services = owner.services or Services()
    svc = next((m.partition(":")[2].strip() for m in ln.markers if words_of(m.partition(":")[0]).strip() == "dich vu"),
               "")
    if not svc:
        raise InvalidInput(f"Dòng «+ {ln.title}» cần ghi dịch vụ nào, ví dụ: «+ {ln.title} | dịch vụ: thường trú».")
    owner.services.labels[_service_id(svc, cat)] = ln.title


# --- writing an outline ---------------------------------------------------------------------------

def to_outline(st: Structure, cat: Catalogue | None = None, vocab: Vocabulary | None = None) -> str:
    """The structure as the outline an admin reads, copies, edits and sends back."""
    cat, vocab = cat or load_catalogue(), vocab or load_vocabulary()
    names_by_id = {s.id: s.name for s in cat.sections}
    out = [f"# {st.name}"] if st.name else []

    def emit(part: Part, path: tuple[int, ...]) -> None:
        marks = []
        if part.ask:
            known = vocab.parts.get(part.key)
            default = known.ask if known is not None else part.title
            marks.append("hỏi" if part.ask in (default, part.title) else f"hỏi: {part.ask}")
        if part.figures:
            marks.append("số liệu: " + "; ".join(names_by_id.get(f, f) for f in part.figures))
        if part.rest:
            marks.append("số liệu còn lại")
        if part.groups:
            marks.append("nhóm tiện ích: " + "; ".join(map(str, part.groups)))
        if part.source:
            marks.append("nguồn số liệu")
        if part.services is not None:
            marks.append("dịch vụ công" + (f": {part.services.ministry}" if part.services.ministry else ""))
            if part.services.pair:
                marks.append(f"x/y: {part.services.pair}")
        out.append(" | ".join([f"{number_label(st.numbering, path)} {part.title}", *marks]))
        if part.services is not None:
            out.extend(f"+ {label} | dịch vụ: {cat.services[sid].name}" for sid, label in part.services.labels.items())
        for i, child in enumerate(part.parts, 1):
            emit(child, (*path, i))

    for i, p in enumerate(st.parts, 1):
        emit(p, (i,))
    return "\n".join(out)


# --- built-in structures --------------------------------------------------------------------------

def presets() -> dict[str, str]:
    """Built-in structures: file stem -> its name (first line of the file)."""
    out = {}
    for path in sorted(PRESETS_DIR.glob("*.txt")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        out[path.stem] = first.lstrip("# ").strip()
    return out


@lru_cache(maxsize=16)
def preset(stem: str = DEFAULT_PRESET) -> Structure:
    path = PRESETS_DIR / f"{stem}.txt"
    if not path.is_file():
        raise InvalidInput(f"Không có mẫu «{stem}».")
    return parse_outline(path.read_text(encoding="utf-8"))


def default_structure() -> Structure:
    return preset(DEFAULT_PRESET)
