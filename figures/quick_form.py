"""The quick form ("mẫu nhanh"): a unit's report as plain text an officer copies, fills and sends back in one message.

    Báo cáo tuần 17/8 - 23/8/2023 — xã Hòa An
    (Điền số vào chỗ __, để nguyên nếu chưa có, ghi 0 nếu không phát sinh, rồi gửi lại cả tin này.)

    [Cấp CCCD và định danh điện tử]
    Thu nhận hồ sơ cấp CCCD: __ hồ sơ (kỳ trước 52)
    Cập nhật CMND 9 số: __/__ trường hợp (kỳ trước 4/4)
    Cập nhật CMND 9 số: còn lại: còn __/__ trường hợp

One line per indicator, grouped by report section in the order given; a pair is filled as "x/y", a remainder as
"còn x" (of a pair: "còn x/y"). `read_form` reads a returned form line by line against the same labels — exactly
(case, diacritics and spacing aside), never guessed: a blank stays "chưa có", "0"/"00"/"không phát sinh" is zero, a
number must be a whole Vietnamese number ("1.389", "58,8") or it is reported with the line, never partly read.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from common.vnnum import fmt_num
from common.vntext import fold
from figures.plausible import value_problem
from figures.types import FigureInput
from figures.vnnumbers import to_number
from knowledge.catalogue import Catalogue, Indicator

BLANK = "__"
INSTRUCTION = "(Điền số vào chỗ __, để nguyên nếu chưa có, ghi 0 nếu không phát sinh, rồi gửi lại cả tin này.)"
_PREVIOUS = re.compile(r"\(\s*kỳ trước[^)]*\)\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^[\s•*+\-–.]+")
_BLANKS = {"", "_", "__", "___", "…", "...", "..", "-", "chua co", "x"}
_ZEROS = {"0", "00", "khong", "ko", "khong phat sinh", "kps", "khong co"}
_STATED_RATE = re.compile(r"\(\s*(?:đạt|dat|chiếm|chiem)?\s*([\d.,]+)\s*%\s*\)\s*$", re.IGNORECASE)


@dataclass
class FormLine:
    indicator: str
    label: str
    unit: str
    shape: str  # "value" | "pair" | "rest" (remainder of a whole indicator) | "rest_pair" (remainder of a pair)


def form_lines(cat: Catalogue, indicators: Iterable[str]) -> list[tuple[str, list[FormLine]]]:
    """(section name, lines) in the order the indicators come, each section once."""
    sections: dict[str, list[FormLine]] = {}
    for ind_id in dict.fromkeys(indicators):
        ind = cat.get(ind_id)
        if ind is None:
            continue
        section = cat.section(ind.section)
        sections.setdefault(section.name if section else ind.section, []).append(
            FormLine(ind.id, ind.name, ind.unit, _shape(ind)))
    return list(sections.items())


def _shape(ind: Indicator) -> str:
    if ind.remainder_of:
        return "rest_pair" if ind.pair else "rest"
    return "pair" if ind.pair else "value"


def render_form(cat: Catalogue, indicators: Iterable[str], current: Mapping[str, FigureInput] | None = None,
                previous: Mapping[str, FigureInput] | None = None, title: str = "") -> str:
    """The form text: current values filled in, blanks as "__", last period's value beside each line."""
    current, previous = current or {}, previous or {}
    out = ([title] if title else []) + [INSTRUCTION]
    for name, lines in form_lines(cat, indicators):
        out += ["", f"[{name}]"]
        for line in lines:
            text = f"{line.label}: {_fill(line, current.get(line.indicator))}"
            if line.unit != "%":
                text += f" {line.unit}"
            before = previous.get(line.indicator)
            if before is not None:
                text += f" (kỳ trước {_number_text(before)})"
            out.append(text)
    return "\n".join(out)


def _fill(line: FormLine, f: FigureInput | None) -> str:
    pair = line.shape in ("pair", "rest_pair")
    if f is None:
        body = f"{BLANK}/{BLANK}" if pair else BLANK
    else:
        body = _number_text(f) if not pair or f.denominator is not None else f"{fmt_num(f.value)}/{BLANK}"
    body = f"còn {body}" if line.shape.startswith("rest") else body
    return body + ("%" if line.unit == "%" else "")


def _number_text(f: FigureInput) -> str:
    return fmt_num(f.value, 2) + (f"/{fmt_num(f.denominator, 2)}" if f.denominator is not None else "")


@dataclass
class FormReading:
    values: dict[str, FigureInput] = field(default_factory=dict)  # lines filled in (zeros included)
    blank: list[str] = field(default_factory=list)  # indicators left blank: nothing to store
    unread: list[tuple[str, str]] = field(default_factory=list)  # (line, why) — lines that could not be read

    def as_json(self) -> dict:
        return {"values": [f.as_dict() for f in self.values.values()], "blank": list(self.blank),
                "unread": [{"line": line, "reason": why} for line, why in self.unread]}


def read_form(text: str, cat: Catalogue, indicators: Iterable[str], *, period_kind: str | None = None,
              level: str | None = None, title: str = "") -> FormReading:
    """Read a returned form against the labels of `indicators` (the same list it was rendered from)."""
    sections = form_lines(cat, indicators)
    by_label = {_key(line.label): line for _, lines in sections for line in lines}
    ignored = {_key(title), _key(INSTRUCTION)} | {_key(f"[{name}]") for name, _ in sections} | {""}
    out = FormReading()
    for raw in text.splitlines():
        line = raw.strip()
        if _key(line) in ignored or line.startswith("("):
            continue
        label, sep, value = line.rpartition(":")
        form_line = by_label.get(_key(label)) if sep else None
        if form_line is None:
            out.unread.append((line, "không khớp dòng nào của mẫu"))
            continue
        if form_line.indicator in out.values or form_line.indicator in out.blank:
            out.unread.append((line, "dòng này có hai lần trong tin"))
            continue
        figure, why = _read_value(form_line, value)
        if why:
            out.unread.append((line, why))
        elif figure is None:
            out.blank.append(form_line.indicator)
        else:
            problem = value_problem(cat, figure.indicator, figure.value, figure.denominator,
                                    period_kind=period_kind, level=level, text=line)
            if problem:
                out.unread.append((line, problem.message))
            else:
                out.values[figure.indicator] = figure
    return out


def _key(text: str) -> str:
    return fold(_BULLET.sub("", text)).strip(" :")


def _read_value(line: FormLine, raw: str) -> tuple[FigureInput | None, str]:
    """(figure or None for a blank, reason when unreadable)."""
    text = _PREVIOUS.sub("", raw).strip()
    rate = None
    stated = _STATED_RATE.search(text)
    if stated:
        rate = to_number(stated.group(1), percent=True)
        text = text[:stated.start()].strip()
    folded = fold(text)
    for word in (fold(line.unit), "%"):
        if word and folded.endswith(word):
            folded = folded[: -len(word)].strip()
    if line.shape.startswith("rest"):
        folded = re.sub(r"^con(?:\s+lai)?\b", "", folded).strip()
    if folded in _BLANKS or set(folded) <= set("_./ "):
        return None, ""
    pair = line.shape in ("pair", "rest_pair")
    if folded in _ZEROS:
        return FigureInput(line.indicator, 0.0, 0.0 if pair else None), ""
    parts = [p.strip() for p in folded.split("/")]
    numbers = [to_number(p) for p in parts]
    if len(parts) > 2 or any(n is None for n in numbers):
        return None, "không đọc được số (ví dụ đúng: 1.234" + (" hoặc 12/15)" if pair else ")")
    value = numbers[0]
    denominator = numbers[1] if len(numbers) == 2 else None
    if value is None:
        return None, "không đọc được số"
    if denominator is not None and not pair:
        return None, "chỉ tiêu này ghi một số, không ghi dạng x/y"
    return FigureInput(line.indicator, value, denominator, rate), ""
