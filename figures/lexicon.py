"""The parser's view of the catalogue: every alias as a tuple of folded syllables with the roles it can play.

Roles of a phrase:
- ids: indicators it names on its own ("cấp CCCD" -> cccd.thu_nhan);
- ctx_ids: indicators it names only right after their parent ("mới" -> cccd.cap_moi after "CCCD 60, trong đó");
- service: one of the essential public services ("đăng ký thường trú");
- measure: a service measure or result status ("trên cổng DVC" -> truc_tuyen, "đã trả kết quả");
- ctx_service: a service it names only under a heading about public services ("Cấp thẻ CCCD: 00 hồ sơ");
- stop: words that say the number next to them is not a reported figure ("thành viên", "chỉ tiêu");
- cumulative: "lũy kế" turns an indicator into its cumulative twin;
- remainder: "còn lại", "còn": the number right after is what is left of the part just named.
Built once per Catalogue and cached.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from common.vntext import strip_diacritics
from figures.patterns import load_patterns
from knowledge.catalogue import Catalogue

TOKEN_RE = re.compile(r"[a-z]+|[0-9]+")  # letters and digits apart: "CCCD1" (a footnote) still names CCCD

def _fold_table() -> dict[int, str]:
    table = {}
    for cp in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        folded = strip_diacritics(chr(cp)).lower()
        if len(folded) == 1:
            table[cp] = folded
    return table


_FOLD = _fold_table()


def fold_aligned(text: str) -> str:
    """Lower-case, diacritic-free copy of NFC `text` with the SAME length, so spans map back to the original
    (common.vntext.fold also squeezes spaces, which would shift them)."""
    return text.translate(_FOLD)


def norm_token(tok: str) -> str:
    """Numbers inside aliases compare by value: "CMND 09 số" == "CMND 9 số"."""
    return (tok.lstrip("0") or "0") if tok.isdigit() else tok  # not int(): a 5.000-digit token must not raise


def phrase_key(text: str) -> tuple[str, ...]:
    return tuple(norm_token(t) for t in TOKEN_RE.findall(fold_aligned(unicodedata.normalize("NFC", text))))


@dataclass
class Entry:
    ids: list[str] = field(default_factory=list)
    ctx_ids: list[str] = field(default_factory=list)
    service: str | None = None
    ctx_service: str | None = None
    measures: list[str] = field(default_factory=list)
    stop: bool = False
    cumulative: bool = False
    remainder: bool = False
    phrase: str = ""

    @property
    def all_ids(self) -> list[str]:
        return self.ids + self.ctx_ids


@dataclass
class Lexicon:
    entries: dict[tuple[str, ...], Entry]
    longest_from: dict[str, int]  # first syllable -> length of the longest alias starting with it
    # Fuzzy lookup buckets: (first syllable, length) and (last syllable, length) -> alias keys.
    by_first: dict[tuple[str, int], list[tuple[str, ...]]]
    by_last: dict[tuple[str, int], list[tuple[str, ...]]]
    vocab: set[str]  # every syllable of every alias: real words, never typos
    truncated: set[str]  # vocabulary words missing their last letter ("dan" for "danh"): possible typos


def _add(entries: dict, phrase: str, **role) -> None:
    key = phrase_key(phrase)
    if not key:
        return
    e = entries.setdefault(key, Entry(phrase=" ".join(key)))
    for name, value in role.items():
        if name in ("ids", "ctx_ids", "measures"):
            getattr(e, name).extend(v for v in value if v not in getattr(e, name))
        else:
            setattr(e, name, value)


@lru_cache(maxsize=64)  # one per unit with its own indicators, plus the shared catalogue
def lexicon_for(cat: Catalogue) -> Lexicon:
    entries: dict[tuple[str, ...], Entry] = {}
    for ind in cat.indicators.values():
        if ind.service:  # dvc.* indicators are composed from a service and a measure
            continue
        for alias in [ind.name, *ind.aliases]:
            _add(entries, alias, ids=[ind.id])
        for alias in ind.context_aliases:
            _add(entries, alias, ctx_ids=[ind.id])
    for svc in cat.services.values():
        for alias in [svc.name, *svc.aliases]:
            _add(entries, alias, service=svc.id)
        for alias in svc.context_aliases:
            _add(entries, alias, ctx_service=svc.id)
    extra = [m for svc in cat.services.values() for m in svc.extra_statuses.items()]
    for mid, m in [*cat.service_measures.items(), *cat.status_measures.items(), *extra]:
        for alias in m.aliases:
            _add(entries, alias, measures=[mid])
    patterns = load_patterns()
    for p in patterns.stop_phrases:
        _add(entries, p, stop=True)
    for p in patterns.cumulative_phrases:
        _add(entries, p, cumulative=True)
    for p in patterns.remainder_phrases:
        _add(entries, p, remainder=True)
    by_first: dict = {}
    by_last: dict = {}
    longest: dict[str, int] = {}
    for key in entries:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
        if len("".join(key)) >= 6:
            by_first.setdefault((key[0], len(key)), []).append(key)
            by_last.setdefault((key[-1], len(key)), []).append(key)
    vocab = {w for key in entries for w in key}
    return Lexicon(entries, longest, by_first, by_last, vocab, {w[:-1] for w in vocab if len(w) >= 3})
