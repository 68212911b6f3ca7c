"""Figure sentences in the seed reports' style, written by code from stored figures only.

    Thu nhận 60 hồ sơ cấp CCCD (cấp mới 33, cấp đổi 11, cấp lại 16), tăng 5 hồ sơ (9,1%) so với tuần trước;
    lũy kế 4.652 hồ sơ.
    Cập nhật CMND 9 số: 04/04 trường hợp, đạt 100%.
    Nhập thông tin Hội Nông dân (lũy kế): 1.389 trường hợp, tăng 4 trường hợp so với tuần trước.

Every number is a stored figure or arithmetic on stored figures, formatted with common.vnnum. A figure is
written once: parts and the cumulative twin go inside their parent's sentence.
"""
from __future__ import annotations

from datetime import timedelta

from common.vnnum import fmt_num, fmt_pct, rate
from common.vntext import fold
from figures.periods import PREVIOUS_NAMES
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import Catalogue, Indicator, Service

RATE_TOLERANCE = 1.0  # percentage points between a stated rate and value/denominator before we warn


def count(v: float) -> str:
    """Counts as the reports write them: '04', '60', '2.291'."""
    return fmt_num(v, 1, pad2=True)


def _lower_first(label: str) -> str:
    head, _, rest = label.partition(" ")
    if len(head) > 1 and head.isupper():  # an acronym such as CCCD stays as it is
        return label
    return label[:1].lower() + label[1:]


def part_label(parent_name: str, part_name: str) -> str:
    """A part's name without the words it shares with its parent: ('Thu nhận hồ sơ cấp CCCD', 'Cấp mới CCCD')
    -> 'cấp mới'; ('Kích hoạt tài khoản … điện tử', '… điện tử mức 1') -> 'mức 1'."""
    a, b = parent_name.split(), part_name.split()
    i = 0
    while i < min(len(a), len(b) - 1) and fold(a[i]) == fold(b[i]):
        i += 1
    b = b[i:]
    j = 0
    while j < min(len(a), len(b) - 1) and fold(a[-1 - j]) == fold(b[-1 - j]):
        j += 1
    return _lower_first(" ".join(b[:len(b) - j]).strip(" :"))


def _labelled(label: str, value: str) -> str:
    """'cấp mới 33', but 'mức 1: 5' where a bare number would run into the label's own digit."""
    return f"{label}: {value}" if label[-1:].isdigit() else f"{label} {value}"


def _lead(name: str, value: str, unit: str) -> str:
    """'Thu nhận 60 hồ sơ cấp CCCD' when the unit is a word group inside the name, else 'Tên: 60 hồ sơ'."""
    words, uw = name.split(), [fold(w) for w in unit.split()]
    for i in range(1, len(words) - len(uw) + 1):
        if [fold(w) for w in words[i:i + len(uw)]] == uw:
            return " ".join([*words[:i], value, *words[i:]])
    return f"{name}: {value} {unit}"


def previous_of(current: PeriodFigures, history: list[PeriodFigures]) -> tuple[PeriodFigures | None, str]:
    """The newest earlier period of the same kind, and how to name it ('tuần trước' when adjacent)."""
    earlier = [h for h in history if h.period.kind == current.period.kind and h.period.end < current.period.start]
    if not earlier:
        return None, ""
    prev = max(earlier, key=lambda h: h.period.end)
    if prev.period.end == current.period.start - timedelta(days=1):
        return prev, PREVIOUS_NAMES[current.period.kind]
    return prev, prev.period.label


class SentenceWriter:
    def __init__(self, cat: Catalogue, current: PeriodFigures, history: list[PeriodFigures],
                 notes: dict[str, str] | None = None):
        self.cat = cat
        self.figs = current.by_indicator()
        previous, self.prev_name = previous_of(current, history)
        self.prev = previous.by_indicator() if previous else {}
        self.notes = notes or {}
        self.used: set[str] = set()
        self.changes: dict[str, float] = {}  # indicator -> difference to the previous period
        self.warnings: list[str] = []
        # parts and twins are written inside their parent's sentence
        self.absorbed = {p for i, ind in cat.indicators.items() if i in self.figs for p in ind.parts}
        self.absorbed |= {ind.twin for i, ind in cat.indicators.items() if i in self.figs and ind.twin}

    # --- pieces ---------------------------------------------------------------------------------
    def _change(self, ind: Indicator, value: float) -> str:
        prev = self.prev.get(ind.id)
        if prev is None:
            return ""
        d = value - prev.value
        self.changes[ind.id] = d
        if d == 0:
            return f", không thay đổi so với {self.prev_name}"
        pct = f" ({fmt_pct(abs(d) / prev.value * 100)})" if prev.value and ind.kind != "cumulative" else ""
        return f", {'tăng' if d > 0 else 'giảm'} {fmt_num(abs(d))} {ind.unit}{pct} so với {self.prev_name}"

    def _fraction(self, ind: Indicator, f: FigureInput) -> str:
        if f.denominator is None:
            return f"{count(f.value)} {ind.unit}"
        text = f"{count(f.value)}/{count(f.denominator)} {ind.unit}"
        r = rate(f.value, f.denominator)
        if r is not None:
            text += f", đạt {fmt_pct(r)}"
            if f.rate is not None and abs(f.rate - r) > RATE_TOLERANCE:
                self.warnings.append(f"{ind.name}: tỷ lệ ghi {fmt_pct(f.rate)} khác tỷ lệ tính được {fmt_pct(r)}; "
                                     "dự thảo dùng tỷ lệ tính được.")
        return text

    def _notes(self, ids: list[str]) -> str:
        """Reasons kept for these figures: the sentence's own after it ('…, do …' or ' (…)'), a part's
        as '; <part>: <reason>'."""
        out = ""
        for n, i in enumerate(ids):
            note = self.notes.get(i, "").strip().rstrip(".;")
            if not note:
                continue
            if n:
                out += f"; {part_label(self.cat.indicators[ids[0]].name, self.cat.indicators[i].name)}: {note}"
            else:
                out += f", {note}" if fold(note).startswith(("do ", "vi ")) else f" ({note})"
        return out

    def _use(self, *ids: str) -> None:
        self.used.update(ids)

    # --- sentences -------------------------------------------------------------------------------
    def sentence(self, ind_id: str) -> str:
        ind, f = self.cat.indicators[ind_id], self.figs[ind_id]
        ids = [ind_id]
        if ind.kind == "cumulative":
            name = ind.name if "lũy kế" in ind.name else f"{ind.name} (lũy kế)"
            text = f"{name}: {count(f.value)} {ind.unit}{self._change(ind, f.value)}"
        elif f.denominator is not None or ind.pair:
            text = f"{ind.name}: {self._fraction(ind, f)}"
        else:
            text = _lead(ind.name, count(f.value), ind.unit)
            parts = [p for p in ind.parts if p in self.figs]
            if parts:
                labels = [_labelled(part_label(ind.name, self.cat.indicators[p].name), count(self.figs[p].value))
                          for p in parts]
                text += f" ({', '.join(labels)})"
                ids += parts
            text += self._change(ind, f.value)
            if ind.twin and ind.twin in self.figs:
                twin = self.cat.indicators[ind.twin]
                text += f"; lũy kế {count(self.figs[ind.twin].value)} {twin.unit}"
                ids.append(ind.twin)
        self._use(*ids)
        return text + self._notes(ids) + "."

    def service_sentence(self, svc: Service) -> str | None:
        """'Đăng ký thường trú: tiếp nhận 106 hồ sơ (đã trả kết quả 48, …), giảm 4 hồ sơ (3,6%) so với tuần
        trước; trực tuyến 97 hồ sơ, đạt 91,5%.'"""
        received_id, online_id = f"dvc.{svc.id}.tiep_nhan", f"dvc.{svc.id}.truc_tuyen"
        received, online = self.figs.get(received_id), self.figs.get(online_id)
        statuses = [p for p in self.cat.children(received_id) if p in self.figs]
        if received is None and online is None and not statuses:
            return None
        bits, ids = [], []
        if received is not None or statuses:
            text = f"tiếp nhận {count(received.value)} hồ sơ" if received is not None else ""
            if statuses:
                rname = self.cat.indicators[received_id].name
                listed = ", ".join(_labelled(part_label(rname, self.cat.indicators[p].name), count(self.figs[p].value))
                                   for p in statuses)
                text = f"{text} ({listed})" if text else listed
            if received is not None:
                text += self._change(self.cat.indicators[received_id], received.value)
            bits.append(text)
            ids += ([received_id] if received is not None else []) + statuses
        if online is not None:
            share = rate(online.value, received.value) if received is not None else None
            bits.append(f"trực tuyến {count(online.value)} hồ sơ"
                        + (f", đạt {fmt_pct(share)}" if share is not None else ""))
            ids.append(online_id)
        self._use(*ids)
        return f"{svc.name}: {'; '.join(bits)}{self._notes(ids)}."

    def section_sentences(self, section_id: str) -> list[str]:
        """Sentences of a section's own indicators (services excluded), in catalogue order."""
        return [self.sentence(i.id) for i in self.cat.in_section(section_id)
                if i.id in self.figs and i.service is None and i.id not in self.absorbed]
