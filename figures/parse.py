"""Vietnamese free-text figure parser: "cấp CCCD 60, trong đó cấp mới 33, đổi 11, lại 16" -> figures.

Deterministic and explainable (no model), in four passes over a folded copy of the NFC text (diacritic-free,
lower-case, same length, so every span points back into the message):
1. a period phrase ("tuần từ 17/8 đến 23/8/2023") is read as the period; never-figures are masked: dates,
   document numbers (452/TTg-KSTT), areas, population facts, durations, ordinals, list and footnote markers;
2. catalogue phrases are found: longest alias match on syllables, then, for typos, a match within one edit
   per syllable that is unambiguous (figures/lexicon.py holds the phrases and their roles);
3. numbers are read (1.389, 58,8%, 04/04, 1,2 nghìn, "không có ... nào" = 0);
4. each number gets the indicator named around it: the name it sits in ("trả 40 thẻ CCCD") or that follows it
   alone ("5.272 lượt người"), else the most specific name before it in its clause, refined by a child named
   with it ("kích hoạt ... mức 1: 25"). Short words ("mới", "đã trả kết quả", "trực tuyến") are read in a
   running scope: the parent just named ("CCCD: 45 (mới 20 ...)"), the service just named, the "tiếp nhận trên
   cổng DVC:" channel. A stated rate ("đạt 94,4%") is attached to its figure as given.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from common import clock
from figures.lexicon import TOKEN_RE, Entry, Lexicon, fold_aligned, lexicon_for, norm_token, phrase_key
from figures.period_phrases import find_periods
from figures.periods import Calendar, PeriodSpec
from figures.types import FigureInput
from figures.vnnumbers import MULTIPLIER_AFTER, MULTIPLIERS, is_plain_int, to_number
from knowledge.catalogue import Catalogue, load_catalogue

# ---------------------------------------------------------------- public types


@dataclass
class ParseContext:
    last_indicator: str | None = None  # what the dialogue just asked for: a bare "60" answers it
    today: date | None = None
    calendar: Calendar = field(default_factory=Calendar)


@dataclass
class ParsedFigure:
    indicator: str
    value: float
    denominator: float | None = None
    rate: float | None = None  # stated by the officer, never computed here
    span: tuple[int, int] | None = None
    text: str = ""

    def as_dict(self) -> dict:
        out = FigureInput(self.indicator, self.value, self.denominator, self.rate).as_dict()
        if self.span is not None:
            out["span"] = list(self.span)
        return out


@dataclass
class ParseResult:
    figures: list[ParsedFigure] = field(default_factory=list)
    period: PeriodSpec | None = None
    unmatched: list[str] = field(default_factory=list)
    is_question: bool = False

    def as_json(self) -> dict:
        return {"figures": [f.as_dict() for f in self.figures],
                "period": self.period.as_dict() if self.period else None,
                "unmatched": list(self.unmatched),
                "is_question": self.is_question}


# ---------------------------------------------------------------- pass 1: never-figures

_NUM = r"\d+(?:[.,]\d+)*"
_NEVER = [re.compile(p) for p in [
    r"https?://\S+|www\.\S+",
    r"\b(?:0?[1-9]|[12]\d|3[01])\s*([/.-])\s*(?:0?[1-9]|1[0-2])\s*\1\s*\d{2,4}\b",  # 23/8/2023, 23.8.2023
    r"\b(?:ngay|tu|den|toi|hom|truoc|sau|luc|moc)\s+(?:ngay\s+)?(?:0?[1-9]|[12]\d|3[01])\s*/\s*(?:0?[1-9]|1[0-2])\b",
    r"\b\d{1,2}\s*/\s*\d{1,2}\s*(?:-|–|\bden\b)\s*\d{1,2}\s*/\s*\d{1,2}",  # 17/8 - 23/8
    r"\bngay\s+\d{1,2}(?:\s+thang\s+\d{1,2}(?:\s+nam\s+\d{4})?)?\b",  # ngày 02 tháng 6 năm 2023
    r"\bthang\s+\d{1,2}(?:\s*(?:/|nam)\s*\d{4})?\b",
    r"\bquy\s+(?:\d|iv|i{1,3})\b(?:\s*/\s*\d{4})?",
    r"\bnam\s+\d{4}(?:\s*(?:,|va|den|-|–)\s*(?:nam\s+)?\d{4})*",  # năm 2022 và 2023
    r"\b(?:tu|den|sinh|giai doan)\s+(?:nam\s+)?(?:19|20)\d{2}\b",
    r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b",  # 2022-2025
    r"\b\d+(?:\s*/\s*\d{2,4})*\s*/\s*[a-z]",  # 452/TTg-KSTT, 59/2022/NĐ-CP, 06/CP
    r"\b\d+(?:/\d{2,4})*-[a-z]",  # 09-NQ/TU, 137/2015-NĐ
    r"\b(?:quyet dinh|qd|cong van|cv|ke hoach|nghi dinh|nd|nghi quyet|nq|chi thi|ct|thong tu|thong bao|tb|"
    r"cong dien|de an|luat|van ban so|bao cao so|to trinh|dieu|phu luc|chuong|iso|covid|phien ban)"
    r"\s*(?:so\s*)?:?\s*\d+(?:\s*:\s*\d{4})?",  # Quyết định số 06, Chỉ thị 04, Đề án 06, ISO 9001:2015
    r"\d+(?:[.,]\d+)?\s*(?:km2|km²|km 2|m2|m²|ha|hecta|hec ta|km)\b",  # areas
    r"\b(?:dien tich|dan so)\b[^0-9\n;]{0,25}" + _NUM,  # diện tích 5.02, dân số 5773
    _NUM + r"\s*(?:nhan khau|ho dan|nguoi dan song)\b",
    r"\b(?:co|gom)\s+\d+\s+(?:thon|xom|ap|khu pho|to dan pho|ban|lang|khu dan cu|xa|phuong)\b",
    r"\b\d+\s*(?:nam|thang|tuan|ngay)\b(?!\s*(?:nay|qua|truoc|toi|nua))",  # durations: 02 năm, 90 ngày
    r"\b\d+\s*(?:gio|phut|tuoi)\b|\b\d{1,2}[h:]\d{2}\b|\b\d{1,2}\s?h\b",  # times (17h, 9h30) and ages
    r"\b\d+\s*(?:luot|lan)\s*/\s*(?:ngay|tuan|thang|nam)",  # frequencies: 02 lượt/ngày
    r"\b\d+\s*(?:dich vu cong|dvc|nhom|tien ich|phuong thuc|linh vuc|tieu chi|thu tuc|loai|(?:muc|cap do)(?!\s*\d))\b",
    r"\b(?:nhom(?: uu tien)?|phuong thuc|thon|xom|khu pho|to dan pho|to|phuong|quan|lan thu|thu tu|buoc|"
    r"giai doan|khoa|so nha|duong|tang|giam|phong|lop|khoi|cap do|muc do|muc|bieu|trang|lan)"
    r"\s+(?:so\s+)?\d+(?:\s*[,-]\s*\d(?!\d))*",  # ordinals: nhóm ưu tiên số 1, mức độ 3, 4; tăng 29
    r"\[\s*\d+\s*[:\]]|\(\s*\d{1,2}\s*\)|footnoteref:\s*\d+",  # footnote and list markers
    r"(?m)^[ \t]*(?:[+*•-][ \t]*)?\d{1,2}(?:\.\d{1,2})*[.)](?=[ \t])",  # "1. ", "4.2. " headings
    r"\b0\d{9,10}\b",  # phone numbers
]]

# ---------------------------------------------------------------- pass 3: numbers

_NUMBER = re.compile(r"(?<![0-9a-z])" + _NUM)
_PAIR_TAIL = re.compile(r"\s*/\s*(" + _NUM + r")")
_PERCENT_TAIL = re.compile(r"\s*(?:%|phan tram\b)")
_GLUED = re.compile(r"[a-z]*")
# words officers glue to a count ("00hồ sơ", "5lượt", "2km"): anything else glued to a number is a typo
_GLUED_UNITS = {"ho", "hs", "truong", "th", "luot", "tai", "tk", "the", "van", "vb", "tin", "bai", "cai", "buoi",
                "co", "thon", "mo", "nguoi", "lan", "km", "m", "ha", "h", "g", "tr", "k"}
_ZERO_PHRASES = [
    (re.compile(r"\b(?:khong|chua)\s+(?:co|phat sinh)\s+(?:[a-z0-9]+\s+){0,6}?nao\b"), "tail"),  # không có hồ sơ nào
    (re.compile(r"\b(?:khong|chua)\s+phat\s+sinh\b"), "all"),
    (re.compile(r"(?:(?<=:)|(?<=\bla)|(?<=\bbang)|^)\s*(?:khong|ko)(?:\s+co)?(?=\s*(?:[,;.\n)]|$))"), "all"),
]


@dataclass
class _Num:
    start: int
    end: int
    value: float
    denominator: float | None = None
    percent: bool = False


@dataclass
class _Mention:
    start: int
    end: int
    entry: Entry
    fuzzy: bool = False


# ---------------------------------------------------------------- questions and greetings

_QUESTION = re.compile(
    r"\?\s*$|\b(?:la gi|yeu cau gi|quy dinh gi|noi gi|nhu the nao|the nao|ra sao|bao nhieu|tai sao|vi sao|o dau|"
    r"khi nao|lam sao|lam the nao|co phai|duoc khong|hay khong|co khong|can gi|gi khong|nhu nao|the nao)\b|"
    r"^\s*(?:cho (?:toi|em|minh|hoi)|xin hoi|hoi ve|giai thich|tra cuu|huong dan (?:toi|em|minh|cach))\b")
_GREETING = re.compile(r"^\s*(?:xin chao|chao|hello|hi|alo|cam on|thank|ok|oke|vang|da|u|yes|tam biet)\b")

# ---------------------------------------------------------------- clause boundaries

_HARD = re.compile(r"[;?!]|\.(?=\s|$)|\n[ \t]*(?:[+*•-]|\d{1,2}[.)]\s|[a-z]\)\s)")
_SOFT = re.compile(r"[,()\n]|\bva\b|\btrong do\b")
_NO_SPAN = set(";:().?!/")  # an alias may not run across these
_FILLER = {"cac", "nhung"}  # plural markers: "bổ sung các trường thông tin" names "bổ sung trường thông tin"
_SCOPE_REACH = 160  # characters after the last figure within which short words still read in its scope
_UNIT_SYLLABLES = {"ho", "so", "truong", "hop", "luot", "tai", "khoan", "the", "van", "ban", "tin", "bai", "cai",
                   "buoi", "co", "thon", "mo", "hinh", "nguoi", "dan", "cong", "don", "vi", "lan", "chiec", "ca",
                   "da", "duoc", "cho", "gan", "chip"}


_SOUND = [("tr", "ch"), ("gi", "d"), ("x", "s"), ("r", "d")]  # spellings often confused in typing


@lru_cache(maxsize=4096)
def _sound(syllable: str) -> str:
    for a, b in _SOUND:
        syllable = syllable.replace(a, b)
    return syllable


class _Scanner:
    """One message's state through the passes."""

    def __init__(self, text: str, cat: Catalogue, lex: Lexicon, ctx: ParseContext):
        self.text = text
        self.f = fold_aligned(text)
        self.cat, self.lex, self.ctx = cat, lex, ctx
        self.blocked = bytearray(len(self.f) + 1)
        self.malformed: list[str] = []  # "3o", "35a", "-5": numbers an officer mistyped; never stored
        hard = [m.span() for m in _HARD.finditer(self.f)]
        soft = [m.span() for m in _SOFT.finditer(self.f)]
        self.hard, self.soft = [a for a, _ in hard], [a for a, _ in soft]
        self.hard_ends = [b for _, b in hard]
        self.any_ends = sorted(b for _, b in hard + soft)

    # -- pass 1
    def block(self, a: int, b: int) -> None:
        self.blocked[a:b] = b"\x01" * (b - a)

    def mask_never_figures(self) -> None:
        for rx in _NEVER:
            for m in rx.finditer(self.f):
                self.block(*m.span())

    def read_period(self, today: date) -> PeriodSpec | None:
        found = find_periods(self.f, today, self.ctx.calendar)
        for _, (a, b) in found:
            self.block(a, b)
        return found[0][0] if found else None

    # -- pass 2
    def find_mentions(self) -> list[_Mention]:
        toks = [(m.start(), m.end(), norm_token(m.group())) for m in TOKEN_RE.finditer(self.f)
                if m.group() not in _FILLER]
        joinable = [False] + [not (_NO_SPAN & set(self.f[toks[i - 1][1]:toks[i][0]])) for i in range(1, len(toks))]
        run = [1] * (len(toks) + 1)  # run[i]: tokens from i that an alias may span
        for i in range(len(toks) - 2, -1, -1):
            run[i] = run[i + 1] + 1 if joinable[i + 1] else 1
        words = [t[2] for t in toks]
        self.toks, self.tok_starts, self.joinable = toks, [t[0] for t in toks], joinable
        out: list[_Mention] = []
        covered = [False] * len(toks)
        i = 0
        while i < len(toks):
            for n in range(min(self.lex.longest_from.get(words[i], 0), run[i]), 0, -1):
                e = self.lex.entries.get(tuple(words[i:i + n]))
                if e is not None:
                    out.append(_Mention(toks[i][0], toks[i + n - 1][1], e))
                    covered[i:i + n] = [True] * n
                    i += n
                    break
            else:
                i += 1
        out += self._fuzzy_mentions(toks, run, covered)
        out.sort(key=lambda m: m.start)
        for m in out:  # numbers inside an alias ("mức 1", "CMND 9 số") are part of its name
            self.block(m.start, m.end)
        return out

    def _fuzzy_mentions(self, toks, run, covered) -> list[_Mention]:
        """Typos: an uncovered run of syllables within a small edit distance of exactly one alias."""
        out: list[_Mention] = []
        lex = self.lex
        typo = [t[2] not in lex.vocab or t[2] in lex.truncated for t in toks]
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(4, run[i]), 1, -1):
                if any(covered[i:i + n]) or not any(typo[i:i + n]) or any(t[2].isdigit() for t in toks[i:i + n]):
                    continue
                words = tuple(t[2] for t in toks[i:i + n])
                hit = self._closest(words)
                if hit:
                    out.append(_Mention(toks[i][0], toks[i + n - 1][1], hit, fuzzy=True))
                    covered[i:i + n] = [True] * n
                    i += n
                    break
            if not hit:
                i += 1
        return out

    def _closest(self, words: tuple[str, ...]) -> Entry | None:
        query = [_sound(w) for w in words]
        cands = {*self.lex.by_first.get((words[0], len(words)), []), *self.lex.by_last.get((words[-1], len(words)), [])}
        best: list[tuple[int, tuple[str, ...]]] = []
        for key in cands:
            # Syllable by syllable, after folding confusable spellings ("chu" ~ "tru"). A real word may only be a
            # truncation ("dan" ~ "danh"); an unknown one may differ by one edit after its first letter
            # ("kick" ~ "kich", never "cong" ~ "nong"); short syllables must match.
            dists = []
            for w, q, a in zip(words, query, map(_sound, key)):
                if q == a:
                    dists.append(0)
                elif (w in self.lex.vocab and not (a.startswith(q) and len(a) == len(q) + 1) or q[:1] != a[:1]
                      or len(a) < 4 or Levenshtein.distance(q, a, score_cutoff=1) > 1):
                    break
                else:
                    dists.append(1)
            else:
                d = sum(dists)
                if d <= (1 if len("".join(key)) <= 8 else 2):
                    best.append((d, key))
        if not best:
            return None
        best.sort()
        top = [k for d, k in best if d == best[0][0]]
        entries = {id(self.lex.entries[k]) for k in top}
        return self.lex.entries[top[0]] if len(entries) == 1 else None

    # -- pass 3
    def find_numbers(self) -> list[_Num]:
        f = self.f
        nums: list[_Num] = []
        for rx, where in _ZERO_PHRASES:
            for m in rx.finditer(f):
                if not self.blocked[m.start()]:
                    a = m.end() - 3 if where == "tail" else m.start()
                    nums.append(_Num(a, m.end(), 0.0))
                    self.block(m.start(), m.end())
        pos = 0
        while True:
            m = _NUMBER.search(f, pos)
            if not m:
                break
            pos = m.end()
            a, raw = m.start(), m.group()
            if self.blocked[a] or (a >= 2 and f[a - 1] == "-" and f[a - 2].isalpha()):  # "covid-19"
                continue
            pair = _PAIR_TAIL.match(f, m.end())
            if pair and not self.blocked[pair.start(1)] and not self._is_pair(raw, pair.group(1)):
                pos = pair.end()  # "17/8": a date, neither number is a figure
                continue
            if pair and not self.blocked[pair.start(1)]:
                v, d = to_number(raw), to_number(pair.group(1))
                if v is not None and d is not None:
                    pos = pair.end()
                    nums.append(_Num(a, pos, v, d))
                    continue
            pct = _PERCENT_TAIL.match(f, m.end())
            mult = MULTIPLIER_AFTER.match(f, m.end())
            if pct:
                v = to_number(raw, percent=True)
                end = pct.end()
            elif mult:
                v = to_number(raw, multiplier=MULTIPLIERS[mult.group(1)])
                end = mult.end()
            else:
                v = to_number(raw)
                end = m.end()
            if v is None:
                continue
            if self._mistyped(a, end, pct or mult):
                self.malformed.append(self.text[max(0, a - 1):_GLUED.match(f, end).end()].strip())
                continue
            nums.append(_Num(a, end, v, percent=bool(pct)))
            pos = end
        nums.sort(key=lambda n: n.start)
        return nums

    def _mistyped(self, a: int, end: int, suffixed) -> bool:
        """A minus sign before the number, or letters glued after it that are no unit ("00hồ sơ" is fine)."""
        f = self.f
        if a >= 1 and f[a - 1] == "-" and (a == 1 or f[a - 2] in " \t\n:=("):
            return True
        glued = _GLUED.match(f, end).group()
        return bool(glued) and not suffixed and glued not in _GLUED_UNITS

    @staticmethod
    def _is_pair(a: str, b: str) -> bool:
        """'04/04' is done/total; '17/8' (day > month, no dots) is a date."""
        return not (is_plain_int(a) and is_plain_int(b) and 1 <= int(a) <= 31 and 1 <= int(b) <= 12
                    and int(a) > int(b))

    def bridge(self, n: _Num, lo: int) -> _Mention | None:
        """A name the number was typed into the middle of: "đã trả 40 thẻ CCCD" -> "trả thẻ CCCD"."""
        i = bisect_left(self.tok_starts, n.start)
        j = bisect_left(self.tok_starts, n.end)
        if (i == 0 or j >= len(self.toks) or self.toks[i - 1][0] < lo
                or self.has_boundary(self.toks[i - 1][1], n.start) or self.has_boundary(n.end, self.toks[j][0])
                or _NO_SPAN & set(self.f[self.toks[i - 1][1]:n.start] + self.f[n.end:self.toks[j][0]])):
            return None
        before = [t for t in self.toks[max(0, i - 3):i] if t[0] >= lo]
        after = []
        for k in range(j, min(j + 5, len(self.toks))):
            if self.toks[k][2].isdigit() or (after and not self.joinable[k]):
                break
            after.append(self.toks[k])
        best = None
        for a in range(len(before)):
            if not all(self.joinable[i - len(before) + a + 1:i]):
                continue
            for b in range(len(after), 0, -1):
                e = self.lex.entries.get(tuple(t[2] for t in before[a:] + after[:b]))
                if e is not None and (best is None or len(e.phrase) > len(best.entry.phrase)):
                    best = _Mention(before[a][0], after[b - 1][1], e)
        return best

    # -- helpers for pass 4
    def last_boundary(self, pos: int, kinds: str = "hard") -> int:
        """Where the clause holding `pos` starts (just after the last boundary ending at or before it)."""
        ends = self.hard_ends if kinds == "hard" else self.any_ends
        i = bisect_right(ends, pos)
        return ends[i - 1] if i else 0

    def has_boundary(self, a: int, b: int) -> bool:
        return any(bisect_left(marks, a) < bisect_left(marks, b) for marks in (self.hard, self.soft))

    def gap_words(self, a: int, b: int) -> int:
        return sum(1 for t in TOKEN_RE.findall(self.f[a:b]) if t not in _UNIT_SYLLABLES)


# ---------------------------------------------------------------- pass 4: assignment


@dataclass
class _Scope:
    last: str | None = None  # the indicator named last: its siblings answer to short words too
    parent: str | None = None
    service: str | None = None
    channel: str | None = None  # "truc_tuyen" inside "tiếp nhận trên cổng DVC: ..."


def _initial_scope(cat: Catalogue, last: str | None) -> _Scope:
    ind = cat.get(last) if last else None
    if ind is None:
        return _Scope()
    if ind.service:
        return _Scope(last=ind.id, parent=f"dvc.{ind.service}.tiep_nhan", service=ind.service,
                      channel="truc_tuyen" if ind.id.endswith(".truc_tuyen") else None)
    if ind.parts:
        return _Scope(last=ind.id, parent=ind.id)
    return _Scope(last=ind.id, parent=cat.parent_of.get(ind.id, ind.id))


def _service_measure(cat: Catalogue, svc: str, measures: list[str], channel: str | None) -> str | None:
    statuses = [m for m in measures if m in cat.status_measures]
    online = "truc_tuyen" in measures or channel == "truc_tuyen"
    if statuses:
        if online:
            return None  # result statuses of online dossiers are not catalogue indicators
        ind = f"dvc.{svc}.{statuses[-1]}"
    else:
        ind = f"dvc.{svc}.{'truc_tuyen' if online else 'tiep_nhan'}"
    return ind if ind in cat else None


@dataclass
class _Label:
    indicator: str | None
    named: bool  # named outright; False = a short word read in the running scope ("mới", "đã trả kết quả")
    at: int | None = None  # where the deciding name starts


def _resolve(cat: Catalogue, phrase: list[_Mention], scope: _Scope | None,
             counted: _Mention | None = None) -> _Label:
    """The indicator the mentions around one number name. `counted` is a name right after the number
    ("5.272 lượt người") or around it ("trả 40 thẻ CCCD"): it says what was counted."""
    if any(m.entry.stop for m in phrase) or (counted and counted.entry.stop):
        return _Label(None, True)
    scope = scope or _Scope()
    in_service = scope.service is not None or any(m.entry.service for m in phrase)
    measures = [ms for m in phrase for ms in m.entry.measures]

    def strong(e: Entry) -> bool:
        return bool(e.service) or (bool(e.ids) and not (in_service and e.measures))

    # What was counted, else the most specific exact name (most syllables, then the first: "cấp tài khoản định
    # danh điện tử cho công dân đã có CCCD: 654" is about định danh), else a typo-tolerant match.
    named = [m for m in phrase if strong(m.entry)]
    if counted is not None and strong(counted.entry):
        head_m: _Mention | None = counted
    elif named:
        # generic verbs that double as service measures ("tiếp nhận") rank below names of things ("cấp CCCD")
        head_m = max(named, key=lambda m: (not m.fuzzy, not m.entry.measures, len(m.entry.phrase.split()), -m.start))
    else:
        head_m = None
    head = head_m.entry if head_m else None
    if head_m is not None and head_m.entry.service:
        return _Label(_service_measure(cat, head_m.entry.service, measures, None), True, head_m.start)
    if head_m is not None and head is not None:
        ind = head.ids[0]
        kids = set(cat.children(ind))
        for m in reversed(phrase):  # the child named closest to the number: "kích hoạt ... mức 1: 25"
            child = next((i for i in m.entry.all_ids if i in kids), None)
            if child:
                ind = child
                break
        twin = (cat.get(ind).twin if cat.get(ind) else None)
        if twin and any(m.entry.cumulative for m in phrase):
            ind = twin
        return _Label(ind, True, head_m.start)
    # only weak words ("mới", "tổng số", "đã trả kết quả"): read them in the running scope
    if scope.service and measures:
        first = next(m for m in phrase if m.entry.measures)
        return _Label(_service_measure(cat, scope.service, measures, scope.channel), False, first.start)
    family = set(cat.children(scope.parent)) | {scope.parent} if scope.parent else set()
    if scope.parent and scope.parent in cat.parent_of:
        family |= set(cat.children(cat.parent_of[scope.parent]))
    group = scope.last.split(".")[0] + "." if scope.last else None
    for m in phrase:
        hit = next((i for i in m.entry.all_ids if i in family), None)
        hit = hit or next((i for i in m.entry.ctx_ids if group and i.startswith(group)), None)
        if hit:
            return _Label(hit, False, m.start)
    for m in phrase:
        if len(m.entry.ids) == 1:
            return _Label(m.entry.ids[0], False, m.start)
    return _Label(None, False)


def _update_scope(cat: Catalogue, scope: _Scope, ind: str, phrase: list[_Mention]) -> None:
    i = cat.get(ind)
    if i is None:
        return
    scope.last = ind
    if i.service:
        new_service = i.service != scope.service or any(m.entry.service for m in phrase)
        scope.service, scope.parent = i.service, f"dvc.{i.service}.tiep_nhan"
        if ind.endswith(".truc_tuyen"):
            scope.channel = "truc_tuyen"
        elif new_service:
            scope.channel = None
        return
    scope.service = scope.channel = None
    scope.parent = ind if i.parts else cat.parent_of.get(ind, ind)


def _assign(sc: _Scanner, mentions: list[_Mention], nums: list[_Num], ctx: ParseContext
            ) -> tuple[list[ParsedFigure], list[str]]:
    """Label every number, left to right, keeping the running scope; (figures, unmatched fragments)."""
    cat = sc.cat
    scope = _initial_scope(cat, ctx.last_indicator)
    figures: list[ParsedFigure] = []
    unmatched: list[str] = []
    values = [n for n in nums if not n.percent]
    percents = [n for n in nums if n.percent]
    consumed = 0
    style: str | None = None
    owner: dict[int, ParsedFigure | None] = {}  # value token start -> its figure
    last_end: int | None = None  # end of the last figure; the dialogue's context counts as "just before"
    starts = [m.start for m in mentions]
    for k, n in enumerate(values):
        nxt = values[k + 1] if k + 1 < len(values) else None
        pre_start = max(consumed, sc.last_boundary(n.start))
        lo, hi = bisect_left(starts, pre_start), bisect_left(starts, n.start)
        pre = [m for m in mentions[lo:hi] if m.end <= n.start]
        post, post_end = _post_phrase(sc, mentions[hi:], n, nxt)
        if style is None and (pre or post):  # does this officer write "CCCD 60" or "60 CCCD"?
            style = "pre" if pre else "post"
        if post and style == "pre" and nxt is not None and not sc.has_boundary(post[-1].end, nxt.start):
            post, post_end = [], n.end  # "cccd 60 mới 33": "mới" labels 33, not 60
        near = last_end is None or n.start - last_end <= _SCOPE_REACH
        label = _Label(None, False)
        if not (post and post[0].entry.stop and sc.gap_words(n.end, post[0].start) == 0):
            # a name the number sits in ("trả 40 thẻ CCCD"), or a single name right after the number ("5.272 lượt
            # người tham dự."), says what was counted
            counted = sc.bridge(n, pre_start)
            if counted is None and len(post) == 1 and not TOKEN_RE.search(sc.f, n.end, post[0].start):
                counted = post[0]
            if pre or post or counted:
                label = _resolve(cat, pre + post, scope if near else None, counted)
            if label.indicator and not label.named and any(f.indicator == label.indicator for f in figures):
                label = _Label(None, False)  # a context word must not give a second value ("Đã tiếp nhận: 554")
        if label.indicator is None and not pre and not post and ctx.last_indicator and len(values) == 1:
            label = _Label(ctx.last_indicator, False)  # a bare "60" answers what the dialogue asked
        ind = _by_unit(sc, label.indicator, n)
        consumed = max(n.end, post_end)
        a = min(label.at, n.start) if label.at is not None else n.start
        b = max(n.end, post_end)
        owner[n.start] = None
        if ind is None:
            frag_start = max(pre[-1].start if pre else sc.last_boundary(n.start, "soft"), n.start - 60)
            unmatched.append(sc.text[frag_start:b].strip(" \t\n,;:+-*•.()"))
            continue
        figures.append(ParsedFigure(ind, n.value, n.denominator, None, (a, b), sc.text[a:b]))
        owner[n.start] = figures[-1]
        last_end = b
        if not near:
            scope = _Scope()
        _update_scope(cat, scope, ind, pre + post)
    _attach_rates(sc, values, owner, percents, unmatched)
    return _dedupe(figures), unmatched


_SPECIFIC_UNITS = {"buổi", "cái", "tin bài", "văn bản", "cơ sở", "mô hình", "thôn"}


@lru_cache(maxsize=8)
def _unit_index(cat: Catalogue) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """(section, folded unit) -> indicators counted in that unit, for units that tell indicators apart."""
    out: dict = {}
    for ind in cat.indicators.values():
        if ind.unit in _SPECIFIC_UNITS:
            out.setdefault((ind.section, phrase_key(ind.unit)), []).append(ind.id)
    return out


_UNIT_AFTER = re.compile(r"[ \t]*([a-z]+)(?:[ \t]+([a-z]+))?")


def _by_unit(sc: _Scanner, ind: str | None, n: _Num) -> str | None:
    """The unit typed after the number picks the sibling counted in it: "tuyên truyền 3 buổi" -> the meetings."""
    i = sc.cat.get(ind) if ind else None
    m = _UNIT_AFTER.match(sc.f, n.end)
    if i is None or m is None:
        return ind
    for key in ((m.group(1), m.group(2)), (m.group(1),)):
        same = _unit_index(sc.cat).get((i.section, key), []) if None not in key else []
        if same:
            return same[0] if len(same) == 1 and phrase_key(i.unit) != key else ind
    return ind


def _post_phrase(sc: _Scanner, mentions: list[_Mention], n: _Num, nxt: _Num | None) -> tuple[list[_Mention], int]:
    """Mentions right after the number ("60 hồ sơ CCCD", "224 tài khoản định danh điện tử mức 1")."""
    out: list[_Mention] = []
    prev_end = n.end
    limit = nxt.start if nxt else len(sc.f)
    for m in mentions:
        if m.start < n.end:
            continue
        too_far = sc.gap_words(prev_end, m.start) > (2 if out else 1)
        if m.end > limit or sc.has_boundary(prev_end, m.start) or too_far:
            break
        out.append(m)
        prev_end = m.end
    return out, (out[-1].end if out else n.end)


def _attach_rates(sc: _Scanner, values: list[_Num], owner: dict[int, ParsedFigure | None], percents: list[_Num],
                  unmatched: list[str]) -> None:
    """A stated percentage belongs to the number just before it in its clause ("13.274/13.303 = 100%"), or,
    when it comes first ("đạt 94,4% (6.065/6.425)"), to the next one."""
    starts = [n.start for n in values]
    for p in percents:
        seg = sc.last_boundary(p.start)
        i = bisect_left(starts, p.start)
        if i > 0 and values[i - 1].start >= seg and values[i - 1].end <= p.start:
            num: _Num | None = values[i - 1]
        elif i < len(values) and bisect_left(sc.hard, p.end) == bisect_left(sc.hard, values[i].start):
            num = values[i]
        else:
            num = None
        target = owner.get(num.start) if num else None
        if target is None or target.rate is not None:
            unmatched.append(sc.text[max(seg, p.start - 40):p.end].strip(" \t\n,;:+-*•.()"))
            continue
        target.rate = p.value
        if target.span:
            a, b = min(target.span[0], p.start), max(target.span[1], p.end)
            target.span, target.text = (a, b), sc.text[a:b]


def _dedupe(figures: list[ParsedFigure]) -> list[ParsedFigure]:
    """The same figure repeated in one message (seed reports restate totals) is kept once."""
    seen: set = set()
    out = []
    for f in figures:
        key = (f.indicator, f.value, f.denominator)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# ---------------------------------------------------------------- API


def parse_message(text: str, catalogue: Catalogue | None = None, context: ParseContext | None = None) -> ParseResult:
    """Figures, period and leftovers of one message. Spans index the NFC form of `text` (what chat apps send)."""
    text = unicodedata.normalize("NFC", text)
    cat = catalogue or load_catalogue()
    ctx = context or ParseContext()
    sc = _Scanner(text, cat, lexicon_for(cat), ctx)
    period = sc.read_period(ctx.today or clock.today())
    if _QUESTION.search(sc.f):
        return ParseResult(period=period, is_question=True)
    sc.mask_never_figures()
    mentions = sc.find_mentions()
    nums = sc.find_numbers()
    figures, unmatched = _assign(sc, mentions, nums, ctx)
    unmatched = sc.malformed + unmatched
    greeting = not figures and not unmatched and bool(_GREETING.search(sc.f))
    return ParseResult(figures, period, unmatched, is_question=greeting)


_CORRECTION_CUE = re.compile(r"^\s*(?:xin\s+)?(?:sua lai|sua|chinh lai|chinh|dieu chinh|dinh chinh|cap nhat lai|"
                             r"nham roi|bi nham|ghi nham|nham)\b[\s,:]*|^\s*doi\b(?=.*\bthanh\s+(?:\d|khong\b))")
_NOT_BUT = re.compile(r"(?:,\s*)?\b(?:chu\s+)?(?:khong|ko)\s+phai(?:\s+la)?\s+" + _NUM
                      + r"(?:\s*,)?(?:\s+ma(?:\s+la)?)?")
_VERB_TO = re.compile(r"(?:\b" + _NUM + r"\s+)?\b(?:doi|sua|chinh)(?:\s+lai)?\s+thanh\b")  # "33 đổi thành 35"
_TO = re.compile(r"\b(?:thanh|la|bang)\b(?=\s*(?:\d|khong\b))")


def parse_correction(text: str, catalogue: Catalogue | None = None,
                     context: ParseContext | None = None) -> list[ParsedFigure] | None:
    """Figures to set from "sửa cấp mới thành 35", "cap moi la 35 chu khong phai 33"; None if not a correction."""
    text = unicodedata.normalize("NFC", text)
    f = fold_aligned(text)
    cue, not_but, verb_to = _CORRECTION_CUE.match(f), _NOT_BUT.search(f), _VERB_TO.search(f)
    if not (cue or not_but or verb_to):
        return None
    # Blank out the cue words and the old value (offsets kept), turn "thành"/"là" into ":", read the rest.
    chars = list(text)

    def blank(a: int, b: int, lead: str = " ") -> None:
        chars[a:b] = list(lead + " " * (b - a - 1))

    for m in (cue, not_but):
        if m:
            blank(*m.span())
    if verb_to:
        blank(*verb_to.span(), lead=":")
    for m in _TO.finditer(f):
        blank(*m.span(), lead=":")
    return parse_message("".join(chars), catalogue, context).figures
