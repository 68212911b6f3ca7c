"""Figure sentences in the seed reports' style, from the patterns written for each indicator
(knowledge/templates/sentences.yaml) and stored figures only.

    Thu nhận 60 hồ sơ cấp CCCD (cấp mới 33, cấp đổi 11, cấp lại 16), tăng 5 hồ sơ (9,1%) so với tuần trước;
    lũy kế 4.652 hồ sơ.
    Cập nhật CMND 9 số: 04/04 trường hợp, đạt 100%.
    Nhập thông tin Hội Nông dân (lũy kế): 48.225/51.074 trường hợp (đã nhập/cần nhập), đạt 94,4%.
    Trả 9.757 thẻ CCCD cho công dân, còn tồn 949 thẻ chưa trả, chiếm 8,9%.

Every number is a stored figure or arithmetic on stored figures, formatted with common.vnnum. A figure is
written once: parts and the cumulative twin go inside their parent's sentence, a remainder ("còn lại") after its
part with its share of the whole, a figure counted in another unit after the one it was given with; the whole a
remainder is a share of is written just before. A figure with a denominator is always written x/y with its rate
computed here; a figure that is not stored is not written at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from common.vnnum import fmt_num, fmt_pct, rate
from common.vntext import fold, lower_first
from drafting.patterns import Patterns, load_patterns
from figures.checks import rate_agrees
from figures.periods import PREVIOUS_NAMES
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import Catalogue, Indicator, Service


def count(v: float) -> str:
    """Counts as the reports write them: '04', '60', '2.291'."""
    return fmt_num(v, 1, pad2=True)


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
    return lower_first(" ".join(b[:len(b) - j]).strip(" :"))


def _labelled(label: str, value: str) -> str:
    """'cấp mới 33', but 'mức 1: 05' or 'đã có CCCD: 7.628' where a bare number would run into the label's own
    digit or abbreviation."""
    last = label.rsplit(" ", 1)[-1]
    return f"{label}: {value}" if last[-1:].isdigit() or (len(last) > 1 and last.isupper()) else f"{label} {value}"


def previous_of(current: PeriodFigures, history: list[PeriodFigures]) -> tuple[PeriodFigures | None, str]:
    """The newest earlier period of the same kind, and how to name it ('tuần trước' when adjacent)."""
    earlier = [h for h in history if h.period.kind == current.period.kind and h.period.end < current.period.start]
    if not earlier:
        return None, ""
    prev = max(earlier, key=lambda h: h.period.end)
    if prev.period.end == current.period.start - timedelta(days=1):
        return prev, PREVIOUS_NAMES[current.period.kind]
    return prev, prev.period.label


@dataclass(frozen=True)
class ServiceLine:
    text: str
    pair: bool  # written as x/y, so the block's lead says what x and y mean


class SentenceWriter:
    def __init__(self, cat: Catalogue, current: PeriodFigures, history: list[PeriodFigures],
                 notes: dict[str, str] | None = None, patterns: Patterns | None = None):
        self.cat = cat
        self.patterns = patterns or load_patterns()
        self.figs = current.by_indicator()
        previous, self.prev_name = previous_of(current, history)
        self.prev = previous.by_indicator() if previous else {}
        self.notes = notes or {}
        self.used: set[str] = set()
        self.changes: dict[str, float] = {}  # indicator -> difference to the previous period
        self.warnings: list[str] = []
        # parts and twins are written inside their parent's sentence, a remainder inside its part's (unless the
        # part is itself in brackets), a figure counted in another unit inside the first one's
        in_parents = {p for i, ind in cat.indicators.items() if i in self.figs for p in ind.parts}
        self.absorbed = in_parents | {ind.twin for i, ind in cat.indicators.items() if i in self.figs and ind.twin}
        self.absorbed |= {r for r, part, _ in cat.remainder_rules()
                          if r in self.figs and part in self.figs and part not in in_parents}
        for i, ind in cat.indicators.items():
            if i in self.figs and i not in self.absorbed:
                self.absorbed |= {s for s in ind.by_unit.values() if s in self.figs}

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

    def _value(self, f: FigureInput) -> str:
        """'60', or '399/587' for a figure with a denominator."""
        return count(f.value) if f.denominator is None else f"{count(f.value)}/{count(f.denominator)}"

    def _rate(self, name: str, value: float, denominator: float | None, stated: float | None = None,
              word: str = "đạt") -> str:
        """', đạt 68%' (', chiếm 49,5%' for a remainder) computed from the figures; a stated rate that disagrees is
        warned about, not written."""
        r = rate(value, denominator) if denominator is not None else None
        if r is None:
            return ""
        if stated is not None and not rate_agrees(stated, r):
            self.warnings.append(f"{name}: tỷ lệ ghi {fmt_pct(stated)} khác tỷ lệ tính được {fmt_pct(r)}; "
                                 "dự thảo dùng tỷ lệ tính được.")
        return f", {word} {fmt_pct(r)}"

    def _whole(self, rest: Indicator, f: FigureInput) -> float | None:
        """What a remainder is a share of: its own denominator (the x/y written), else its whole indicator's stored
        figure, else its part's denominator ("866/1.714, còn 848"); None when the report gives no whole."""
        if f.denominator is not None:
            return f.denominator
        whole = self.figs.get(rest.whole or "")
        if whole is not None:
            return whole.value
        part = self.figs.get(rest.remainder_of or "")
        return part.denominator if part is not None else None

    def _share(self, rest: Indicator, f: FigureInput) -> str:
        return self._rate(rest.name, f.value, self._whole(rest, f), f.rate, word="chiếm")

    def _joined(self, ind_id: str) -> str:
        """A figure written inside another's sentence: its clause and its rate (a remainder's share)."""
        ind, f = self.cat.indicators[ind_id], self.figs[ind_id]
        if ind.remainder_of:  # its whole is the part's x/y or has the sentence before
            return self.patterns.of(ind).joined_clause(ind, count(f.value)) + self._share(ind, f)
        return self.patterns.of(ind).joined_clause(ind, self._value(f)) + self._rate(
            ind.name, f.value, f.denominator, f.rate)

    def _rest_of(self, part_id: str) -> str | None:
        """The stored remainder of a part, not yet written."""
        rest = self.cat.remainder_for(part_id)
        return rest if rest in self.figs and rest not in self.used else None

    def _label(self, parent: Indicator, part_id: str) -> str:
        part = self.cat.indicators[part_id]
        return self.patterns.of(part).label or part_label(parent.name, part.name)

    def _notes(self, ids: list[str]) -> str:
        """Reasons kept for these figures: the sentence's own after it ('…, do …' or ' (…)'), a part's
        as '; <part>: <reason>'."""
        out = ""
        for n, i in enumerate(ids):
            note = self.notes.get(i, "").strip().rstrip(".;")
            if not note:
                continue
            if n:
                out += f"; {self._label(self.cat.indicators[ids[0]], i)}: {note}"
            else:
                out += f", {note}" if fold(note).startswith(("do ", "vi ")) else f" ({note})"
        return out

    def _use(self, *ids: str) -> None:
        self.used.update(ids)

    # --- sentences -------------------------------------------------------------------------------
    def sentence(self, ind_id: str) -> str:
        ind, f = self.cat.indicators[ind_id], self.figs[ind_id]
        pattern = self.patterns.of(ind)
        ids = [ind_id]
        text = pattern.clause(ind, self._value(f))
        if f.denominator is not None and pattern.pair:
            text += f" ({pattern.pair})"
        parts = [p for p in ind.parts if p in self.figs]
        if parts:
            text += " (" + ", ".join(_labelled(self._label(ind, p), self._value(self.figs[p])) for p in parts) + ")"
            ids += parts
        text += self._share(ind, f) if ind.remainder_of else self._rate(ind.name, f.value, f.denominator, f.rate)
        for sibling in (s for s in ind.by_unit.values() if s in self.figs and s not in self.used):
            text += ", " + self._joined(sibling)
            ids.append(sibling)
        change = self._change(ind, f.value)
        text += change
        rest = self._rest_of(ind_id)
        if rest:  # after a comparison, a new clause: "…so với tuần trước; còn 848 trường hợp…"
            text += ("; " if change else ", ") + self._joined(rest)
            ids.append(rest)
        if ind.twin and ind.twin in self.figs:
            twin = self.cat.indicators[ind.twin]
            text += f"; lũy kế {self._value(self.figs[ind.twin])} {twin.unit}"
            ids.append(ind.twin)
            twin_rest = self._rest_of(ind.twin)
            if twin_rest:
                text += ", " + self._joined(twin_rest)
                ids.append(twin_rest)
        self._use(*ids)
        return text + self._notes(ids) + "."

    def service_sentence(self, svc: Service, label: str = "", as_pair: bool = False) -> ServiceLine | None:
        """'Đăng ký thường trú: tiếp nhận 106 hồ sơ (đã trả kết quả 48, …), giảm 4 hồ sơ (3,6%) so với tuần
        trước; trực tuyến 97 hồ sơ, đạt 91,5%.', or '…: 97/106 hồ sơ, đạt 91,5%.' written as x/y."""
        sp = self.patterns.services
        received_id, online_id = f"dvc.{svc.id}.tiep_nhan", f"dvc.{svc.id}.truc_tuyen"
        received, online = self.figs.get(received_id), self.figs.get(online_id)
        statuses = [p for p in self.cat.children(received_id) if p in self.figs]
        if received is None and online is None and not statuses:
            return None
        rind = self.cat.indicators[received_id]
        listed = ", ".join(_labelled(sp.statuses.get(p.rsplit(".", 1)[1]) or self._label(rind, p),
                                     self._value(self.figs[p])) for p in statuses)
        ids = ([received_id] if received is not None else []) + statuses
        xy = self._service_pair(svc, received, online, as_pair)
        if xy is not None:
            x, y, ids_xy, stated = xy
            text = sp.pair.format(value=f"{count(x)}/{count(y)}") + (f" ({listed})" if listed else "")
            text += self._rate(svc.name, x, y, stated)
            if received is not None:
                text += self._change(rind, received.value)
            ids = list(dict.fromkeys(ids + ids_xy))
            self._use(*ids)
            return ServiceLine(f"{label or svc.name}: {text}{self._notes(ids)}.", True)
        bits = []
        if received is not None or statuses:
            text = "" if received is None else sp.received.format(value=self._value(received)) + self._rate(
                svc.name, received.value, received.denominator, received.rate)
            if listed:
                text = f"{text} ({listed})" if text else listed
            if received is not None:
                text += self._change(rind, received.value)
            bits.append(text)
        if online is not None:
            bits.append(sp.online.format(value=self._value(online)) + self._rate(
                svc.name, online.value, online.denominator if online.denominator is not None else
                (received.value if received is not None else None), online.rate))
            ids.append(online_id)
        self._use(*ids)
        return ServiceLine(f"{label or svc.name}: {'; '.join(bits)}{self._notes(ids)}.", False)

    def _service_pair(self, svc: Service, received: FigureInput | None, online: FigureInput | None,
                      as_pair: bool) -> tuple[float, float, list[str], float | None] | None:
        """(x, y, ids, stated rate) when a service is written x/y: its figure carries a denominator, or the
        structure writes services as online/received."""
        if received is not None and received.denominator is not None and online is None:
            return received.value, received.denominator, [f"dvc.{svc.id}.tiep_nhan"], received.rate
        if as_pair and received is not None and online is not None and received.denominator is None \
                and online.denominator is None:
            return online.value, received.value, [f"dvc.{svc.id}.tiep_nhan", f"dvc.{svc.id}.truc_tuyen"], online.rate
        return None

    def section_sentences(self, section_id: str) -> list[str]:
        """Sentences of a section's own indicators (services excluded), in catalogue order, except that the whole
        a remainder is a share of comes just before the figures it is the whole of."""
        return self._sentences_of(lambda ind: ind.section == section_id)

    def group_sentences(self, group: int) -> list[str]:
        """The same for the indicators of one utility group of QĐ 06 (a province's report is laid out by them)."""
        return self._sentences_of(lambda ind: ind.utility_group == group)

    def _sentences_of(self, belongs: Callable[[Indicator], bool]) -> list[str]:
        alone = [i.id for i in self.cat.indicators.values() if belongs(i) and self._stands_alone(i.id, belongs)]
        later = {w for i in alone for w in self._wholes_of(i)}
        return [s for i in alone if i not in later for s in self._with_wholes(i, belongs)]

    def _with_wholes(self, ind_id: str, belongs: Callable[[Indicator], bool]) -> list[str]:
        if not self._stands_alone(ind_id, belongs):
            return []
        wholes = [s for w in self._wholes_of(ind_id) for s in self._with_wholes(w, belongs)]
        return wholes + [self.sentence(ind_id)]

    def _stands_alone(self, ind_id: str, belongs: Callable[[Indicator], bool]) -> bool:
        ind = self.cat.indicators[ind_id]
        return (ind_id in self.figs and ind.service is None and belongs(ind)
                and ind_id not in self.absorbed and ind_id not in self.used)

    def _wholes_of(self, ind_id: str) -> list[str]:
        """The wholes of the remainders written in this indicator's sentence (or of itself, a remainder)."""
        ind = self.cat.indicators[ind_id]
        if ind.remainder_of:
            rests = [ind.id]
        else:
            written = [ind.id, *([ind.twin] if ind.twin in self.figs else [])]
            rests = [r for r in map(self.cat.remainder_for, written) if r]
        return [w for w in (self.cat.indicators[r].whole for r in rests) if w]
