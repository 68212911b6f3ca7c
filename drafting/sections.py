"""The report body in the structure the seed reports share.

    I.   CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI               officer's text + chi_dao figures
    II.  KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ …           one numbered part per catalogue section with figures
    III. TỒN TẠI, HẠN CHẾ, NGUYÊN NHÂN               officer's text
    IV.  NHIỆM VỤ TRỌNG TÂM <kỳ tới>                 officer's text
    V.   KIẾN NGHỊ, ĐỀ XUẤT                          officer's text

A part with neither figures nor text is left out and the rest are renumbered. Every part is a "slot" the
officer can address in chat ("sửa mục 3: …", "thêm vào kiến nghị: …"); its text lives in
Report.narrative under the slot key.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from common.vntext import fold
from drafting.inputs import DraftInput
from drafting.sentences import SentenceWriter
from drafting.wording import ROMAN, in_period, next_period
from knowledge.catalogue import Catalogue

RESULTS = "ket_qua"
SERVICES_SECTION = "tthc_dvc"


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
class Body:
    blocks: list[Block] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)  # the parts shown, in order
    writer: SentenceWriter | None = None


def top_titles(inp_period) -> list[tuple[str, str]]:
    return [("chi_dao", "Công tác chỉ đạo, triển khai"),
            (RESULTS, f"Kết quả thực hiện các nhiệm vụ {in_period(inp_period)}"),
            ("ton_tai", "Tồn tại, hạn chế, nguyên nhân"),
            ("nhiem_vu", f"Nhiệm vụ trọng tâm {next_period(inp_period)}"),
            ("kien_nghi", "Kiến nghị, đề xuất")]


def all_slots(cat: Catalogue, period) -> list[Slot]:
    """Every part a draft may have (shown or not), for matching an officer's "thêm vào <tên mục>"."""
    return [Slot(k, t) for k, t in top_titles(period)] + \
           [Slot(s.id, s.name) for s in cat.sections if s.id != "chi_dao"]


def find_slot(cat: Catalogue, period, shown: list[Slot], ref: str) -> Slot | None:
    """A slot by the number shown in the draft ("3", "III", "2.1") or by (part of) its title."""
    r = fold(ref).removeprefix("muc ").strip().rstrip(".")
    for s in shown:
        if r and r in (s.number.lower(), str(ROMAN.index(s.number) + 1) if s.number in ROMAN else ""):
            return s
    for s in all_slots(cat, period):
        t = fold(s.title)
        if r and (r == t or r in t or t.startswith(r)):
            return s
    return None


def _paragraphs(text: str) -> list[Block]:
    return [Block("p", line.strip()) for line in (text or "").splitlines() if line.strip()]


def _bullets(sentences: list[str], mark: str = "-") -> list[Block]:
    return [Block("p", f"{mark} {s}") for s in sentences]


def _results(inp: DraftInput, cat: Catalogue, w: SentenceWriter) -> tuple[list[Block], list[Slot]]:
    blocks: list[Block] = []
    slots: list[Slot] = []
    n = 0
    for sec in cat.sections:
        if sec.id == "chi_dao":
            continue
        content = _paragraphs(inp.narrative.get(sec.id, "")) + _bullets(w.section_sentences(sec.id))
        if sec.id == SERVICES_SECTION:
            services = [t for t in (w.service_sentence(s) for s in cat.services.values()) if t]
            if services:
                content += [Block("p", "- Kết quả thực hiện các dịch vụ công thiết yếu:")] + _bullets(services, "+")
        if not content:
            continue
        n += 1
        slots.append(Slot(sec.id, sec.name, str(n)))
        blocks += [Block("h2", f"{n}. {sec.name}"), *content]
    return blocks, slots


def build_body(inp: DraftInput, cat: Catalogue, results=None) -> Body:
    """The body; `results(inp, cat, writer) -> (blocks, slots)` lays out part II another way (the province's)."""
    w = SentenceWriter(cat, inp.current, inp.history, inp.notes)
    body = Body(writer=w)
    index = 0
    for key, title in top_titles(inp.period):
        content = _paragraphs(inp.narrative.get(key, ""))
        sub_slots: list[Slot] = []
        if key == "chi_dao":
            content += _bullets(w.section_sentences("chi_dao"))
        elif key == RESULTS:
            sub, sub_slots = (results or _results)(inp, cat, w)
            content += sub
        if not content:
            continue
        number = ROMAN[index]
        index += 1
        body.slots.append(Slot(key, title, number))
        body.slots += [Slot(s.key, s.title, f"{index}.{s.number}") for s in sub_slots]
        body.blocks += [Block("h1", f"{number}. {title.upper()}"), *content]
    unknown = sorted(f.indicator for f in inp.current.figures if f.indicator not in cat.indicators)
    if unknown:
        w.warnings.append("Chỉ tiêu không có trong danh mục, không đưa vào dự thảo: " + ", ".join(unknown))
    unwritten = sorted(i for i in w.figs if i in cat.indicators and i not in w.used)
    if unwritten:
        w.warnings.append("Số liệu chưa được đưa vào dự thảo: " + ", ".join(unwritten))
    return body
