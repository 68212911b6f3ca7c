"""Passes 1-3 of the parser over one message, run in a fixed order by `scan`; the result is read-only.

1. period phrases are read and never-figures masked (dates, document numbers, areas, ordinals, markers);
2. catalogue phrases are found: longest alias match on syllables, then one-edit typo matches that are unambiguous;
3. numbers are read (1.389, 58,8%, 04/04, 1,2 nghìn, "không có ... nào" = 0); mistyped ones are set apart.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from figures.lexicon import TOKEN_RE, Entry, Lexicon, fold_aligned, norm_token
from figures.patterns import load_patterns
from figures.period_phrases import find_periods
from figures.periods import Calendar, PeriodSpec
from figures.vnnumbers import MAX_DIGITS, MULTIPLIER_AFTER, MULTIPLIERS, is_plain_int, to_number

P = load_patterns()
_NUMBER = re.compile(r"(?<![0-9a-z])" + P.number)
_PAIR_TAIL = re.compile(r"\s*/\s*(" + P.number + r")")
_PERCENT_TAIL = re.compile(r"\s*(?:%|phan tram\b)")
_GLUED = re.compile(r"[a-z]*")
# glued to a number, these make it unreadable rather than a shorter number: 1_000, 10^100, 1..2, 1e20, 3<ZWSP>5
_JUNK_AFTER = re.compile(r"[_^\u00ad\u200b-\u200f\u2060\ufeff]|[.,][.,]|[.,]\d|/\s*[/\d]")
_WORD_END = re.compile(r"[^\s;:()]*")

Token = tuple[int, int, str]  # start, end, normalised syllable


@dataclass
class Num:
    start: int
    end: int
    value: float
    denominator: float | None = None
    percent: bool = False


@dataclass
class Mention:
    start: int
    end: int
    entry: Entry
    fuzzy: bool = False


@dataclass
class Scan:
    """One message after passes 1-3. Built only by `scan`; the methods below are queries."""

    text: str
    f: str  # folded text, same length
    periods: list[tuple[PeriodSpec, tuple[int, int]]]  # period phrases, most specific first
    rejected_periods: list[tuple[PeriodSpec, tuple[int, int]]]  # named, but outside the years reports cover
    is_question: bool
    hard: list[int]
    soft: list[int]
    hard_ends: list[int]
    any_ends: list[int]
    toks: list[Token]
    tok_starts: list[int]
    joinable: list[bool]
    mentions: list[Mention]
    numbers: list[Num]
    lex: Lexicon
    malformed: list[str] = field(default_factory=list)  # "3o", "1_000", ".33": mistyped numbers; never stored

    @property
    def period(self) -> PeriodSpec | None:
        return self.periods[0][0] if self.periods else None

    def period_of_clause(self, pos: int) -> PeriodSpec | None:
        """The period named last before `pos` in its clause ("năm 2022: 6.065/6.588; năm 2023: 6.702/6.715")."""
        lo = self.last_boundary(pos, "soft")
        inside = [(span[1], p) for p, span in self.periods if lo <= span[0] and span[1] <= pos]
        return max(inside, key=lambda t: t[0])[1] if inside else None

    def last_boundary(self, pos: int, kinds: str = "hard") -> int:
        """Where the clause holding `pos` starts (just after the last boundary ending at or before it)."""
        ends = self.hard_ends if kinds == "hard" else self.any_ends
        i = bisect_right(ends, pos)
        return ends[i - 1] if i else 0

    def has_boundary(self, a: int, b: int) -> bool:
        return any(bisect_left(marks, a) < bisect_left(marks, b) for marks in (self.hard, self.soft))

    def gap_words(self, a: int, b: int) -> int:
        return sum(1 for t in TOKEN_RE.findall(self.f[a:b]) if t not in P.unit_syllables)

    def title_span(self, pos: int) -> tuple[int, int] | None:
        """The title of the item line holding `pos`: from the line's start to its first ":", when `pos` is after it
        ("+ Nhóm ưu tiên số 4: … : 00 hồ sơ")."""
        start = self.f.rfind("\n", 0, pos) + 1
        colon = self.f.find(":", start, pos)
        return (start, colon) if colon != -1 else None

    def bridge(self, n: Num, lo: int) -> Mention | None:
        """A name the number was typed into the middle of: "đã trả 40 thẻ CCCD" -> "trả thẻ CCCD"."""
        i = bisect_left(self.tok_starts, n.start)
        j = bisect_left(self.tok_starts, n.end)
        if (i == 0 or j >= len(self.toks) or self.toks[i - 1][0] < lo
                or self.has_boundary(self.toks[i - 1][1], n.start) or self.has_boundary(n.end, self.toks[j][0])
                or P.no_span & set(self.f[self.toks[i - 1][1]:n.start] + self.f[n.end:self.toks[j][0]])):
            return None
        before = [t for t in self.toks[max(0, i - 3):i] if t[0] >= lo]
        after: list[Token] = []
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
                    best = Mention(before[a][0], after[b - 1][1], e)
        return best


def scan(text: str, lex: Lexicon, today: date, calendar: Calendar) -> Scan:
    """Passes 1-3 over NFC `text`, in their fixed order."""
    f = fold_aligned(text)
    blocked = bytearray(len(f) + 1)

    def block(a: int, b: int) -> None:
        blocked[a:b] = b"\x01" * (b - a)

    hard = [m.span() for m in P.hard.finditer(f)]
    soft = [m.span() for m in P.soft.finditer(f)]
    periods, rejected = find_periods(f, today, calendar)
    for _, span in periods + rejected:
        block(*span)
    for rx in P.never:
        for hit in rx.finditer(f):
            block(*hit.span())
    toks, joinable, mentions = _find_mentions(f, lex)
    for mention in mentions:  # numbers inside an alias ("mức 1", "CMND 9 số") are part of its name
        block(mention.start, mention.end)
    numbers, malformed = _find_numbers(text, f, blocked)
    return Scan(
        text=text, f=f, periods=periods, rejected_periods=rejected, is_question=bool(P.question.search(f)),
        hard=[a for a, _ in hard], soft=[a for a, _ in soft], hard_ends=[b for _, b in hard],
        any_ends=sorted(b for _, b in hard + soft), toks=toks, tok_starts=[t[0] for t in toks], joinable=joinable,
        mentions=mentions, numbers=numbers, malformed=malformed, lex=lex)


# ---------------------------------------------------------------- pass 2: catalogue phrases

def _find_mentions(f: str, lex: Lexicon) -> tuple[list[Token], list[bool], list[Mention]]:
    toks = [(m.start(), m.end(), norm_token(m.group())) for m in TOKEN_RE.finditer(f) if m.group() not in P.filler]
    joinable = [False] + [not (P.no_span & set(f[toks[i - 1][1]:toks[i][0]])) for i in range(1, len(toks))]
    run = [1] * (len(toks) + 1)  # run[i]: tokens from i that an alias may span
    for i in range(len(toks) - 2, -1, -1):
        run[i] = run[i + 1] + 1 if joinable[i + 1] else 1
    words = [t[2] for t in toks]
    out: list[Mention] = []
    covered = [False] * len(toks)
    i = 0
    while i < len(toks):
        for n in range(min(lex.longest_from.get(words[i], 0), run[i]), 0, -1):
            e = lex.entries.get(tuple(words[i:i + n]))
            if e is not None:
                out.append(Mention(toks[i][0], toks[i + n - 1][1], e))
                covered[i:i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    out += _fuzzy_mentions(lex, toks, run, covered)
    out.sort(key=lambda m: m.start)
    return toks, joinable, out


def _fuzzy_mentions(lex: Lexicon, toks: list[Token], run: list[int], covered: list[bool]) -> list[Mention]:
    """Typos: an uncovered run of syllables within a small edit distance of exactly one alias."""
    out: list[Mention] = []
    typo = [t[2] not in lex.vocab or t[2] in lex.truncated for t in toks]
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(4, run[i]), 1, -1):
            if any(covered[i:i + n]) or not any(typo[i:i + n]) or any(t[2].isdigit() for t in toks[i:i + n]):
                continue
            hit = _closest(lex, tuple(t[2] for t in toks[i:i + n]))
            if hit:
                out.append(Mention(toks[i][0], toks[i + n - 1][1], hit, fuzzy=True))
                covered[i:i + n] = [True] * n
                i += n
                break
        if not hit:
            i += 1
    return out


@lru_cache(maxsize=4096)
def _sound(syllable: str) -> str:
    for a, b in P.sound_alike:
        syllable = syllable.replace(a, b)
    return syllable


def _closest(lex: Lexicon, words: tuple[str, ...]) -> Entry | None:
    query = [_sound(w) for w in words]
    cands = {*lex.by_first.get((words[0], len(words)), []), *lex.by_last.get((words[-1], len(words)), [])}
    best: list[tuple[int, tuple[str, ...]]] = []
    for key in cands:
        # Syllable by syllable, after folding confusable spellings ("chu" ~ "tru"). A real word may only be a
        # truncation ("dan" ~ "danh"); an unknown one may differ by one edit after its first letter
        # ("kick" ~ "kich", never "cong" ~ "nong"); short syllables must match.
        dists = []
        for w, q, a in zip(words, query, map(_sound, key)):
            if q == a:
                dists.append(0)
            elif (w in lex.vocab and not (a.startswith(q) and len(a) == len(q) + 1) or q[:1] != a[:1]
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
    entries = {id(lex.entries[k]) for k in top}
    return lex.entries[top[0]] if len(entries) == 1 else None


# ---------------------------------------------------------------- pass 3: numbers

def _find_numbers(text: str, f: str, blocked: bytearray) -> tuple[list[Num], list[str]]:
    nums: list[Num] = []
    malformed: list[str] = []
    for rx, where in P.zero_phrases:
        for z in rx.finditer(f):
            if not blocked[z.start()]:
                nums.append(Num(z.end() - 3 if where == "tail" else z.start(), z.end(), 0.0))
                blocked[z.start():z.end()] = b"\x01" * (z.end() - z.start())
    pos = 0
    while True:
        m = _NUMBER.search(f, pos)
        if not m:
            break
        pos = m.end()
        a, raw = m.start(), m.group()
        if blocked[a] or (a >= 2 and f[a - 1] == "-" and f[a - 2].isalpha()):  # "covid-19"
            continue
        pair = _PAIR_TAIL.match(f, m.end())
        if pair and not blocked[pair.start(1)] and not _is_pair(raw, pair.group(1)):
            pos = pair.end()  # "17/8": a date, neither number is a figure
            continue
        if pair and not blocked[pair.start(1)]:
            v, d = to_number(raw), to_number(pair.group(1))
            if _JUNK_AFTER.match(f, pair.end()):  # "12/15/9": no pair, and not half of one either
                malformed.append(_fragment(text, f, a, pair.end()))
                pos = _WORD_END.match(f, pair.end()).end()  # type: ignore[union-attr]  # always matches
                continue
            if v is not None and d is not None:
                pos = pair.end()
                nums.append(Num(a, pos, v, d))
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
        if v is None and not _junk(f, a, m.end(), raw):
            continue  # "1.2.3": a section number, not a figure
        if v is None or _junk(f, a, end, raw) or _mistyped(f, a, end, bool(pct or mult)):
            malformed.append(_fragment(text, f, a, end))
            pos = _WORD_END.match(f, end).end()  # type: ignore[union-attr]  # the pattern always matches
            continue
        nums.append(Num(a, end, v, percent=bool(pct)))
        pos = end
    nums.sort(key=lambda n: n.start)
    return nums, malformed


def _junk(f: str, a: int, end: int, raw: str) -> bool:
    """Partly a number: too many digits, a decimal mark before it (".33"), or junk glued after it ("1_000")."""
    glued_mark = a > 0 and f[a - 1] in ".," and not (a > 1 and f[a - 2].isdigit())
    return sum(ch.isdigit() for ch in raw) > MAX_DIGITS or glued_mark or bool(_JUNK_AFTER.match(f, end))


def _fragment(text: str, f: str, a: int, end: int) -> str:
    """The whole mistyped word around a number, as the officer typed it (shortened when very long)."""
    start = a - 1 if a and f[a - 1] in "-.," else a
    stop = _WORD_END.match(f, end).end()  # type: ignore[union-attr]  # the pattern always matches
    frag = text[start:stop].rstrip(".,")
    return frag if len(frag) <= 24 else frag[:20] + "…"


def _mistyped(f: str, a: int, end: int, suffixed: bool) -> bool:
    """A minus sign before the number, or letters glued after it that are no unit ("00hồ sơ" is fine)."""
    if a >= 1 and f[a - 1] == "-" and (a == 1 or f[a - 2] in " \t\n:=("):
        return True
    m = _GLUED.match(f, end)
    glued = m.group() if m else ""
    return bool(glued) and not suffixed and glued not in P.glued_units


def _is_pair(a: str, b: str) -> bool:
    """'04/04' is done/total; '17/8' (day > month, no dots) is a date."""
    return not (is_plain_int(a) and is_plain_int(b) and len(a) <= 2 and len(b) <= 2
                and 1 <= int(a) <= 31 and 1 <= int(b) <= 12 and int(a) > int(b))
