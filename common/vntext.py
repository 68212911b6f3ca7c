"""Vietnamese text normalisation shared by the parser, the catalogue, retrieval and the chat.

`fold()` is the one canonical diacritic-free, lower-case form: every comparison of officer text
against aliases or documents goes through it.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


class _Marks(dict):
    """A `str.translate` table that drops combining marks (category Mn), filled per code point on first sight:
    one C-level pass instead of a Python generator over every character (3x faster; `fold` runs at every start
    over the catalogue and on every message)."""

    def __missing__(self, cp: int) -> int | None:
        kept = None if unicodedata.category(chr(cp)) == "Mn" else cp
        if cp < _KEPT_BELOW:  # Latin, Vietnamese and combining marks; hostile text cannot grow the table
            self[cp] = kept
        return kept


_KEPT_BELOW = 0x2000


# đ/Đ are not decomposed by NFD, so they are mapped explicitly.
_STRIP = _Marks({ord("đ"): "d", ord("Đ"): "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    return unicodedata.normalize("NFD", text).translate(_STRIP)


def fold(text: str) -> str:
    """Lower-case, diacritic-free, single-spaced form of `text`."""
    return _SPACES.sub(" ", strip_diacritics(text).lower()).strip()


def has_diacritics(text: str) -> bool:
    return strip_diacritics(text) != text


_WORD = re.compile(r"[0-9a-zA-Z\u00C0-\u024F\u1E00-\u1EFF]+")


def syllables(text: str) -> list[str]:
    """Folded syllables (Vietnamese words are space-separated syllables)."""
    return _WORD.findall(fold(text))


def lower_first(s: str) -> str:
    """Lower-case the first letter for use mid-sentence, unless the first word is an abbreviation or a name
    written with capitals inside it (CCCD, TTHC, VNeID)."""
    head = s.split(" ", 1)[0]
    if any(ch.isupper() for ch in head[1:]):
        return s
    return s[:1].lower() + s[1:]


def typed_without_diacritics(text: str, min_words: int = 6) -> bool:
    """Vietnamese prose typed without accents ("to chuc hop dan tuyen truyen…"). About two Vietnamese words in
    three carry a mark, so a text of several words with almost none is unaccented; abbreviations (CCCD, VNeID)
    and numbers do not count."""
    words = [w for w in _WORD.findall(text) if w.isalpha() and not any(ch.isupper() for ch in w[1:])]
    if len(words) < min_words:
        return False
    return sum(has_diacritics(w) for w in words) < 0.15 * len(words)


# A folded Vietnamese syllable: onset, vowels, final. Spelling rules kept: k/gh/ngh only before e, i, y;
# c/g/ng/q never before them (gi and qu are onsets of their own).
_ONSET = r"(?:ngh|ng|nh|gh|gi|kh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?"
_SYLLABLE = re.compile(rf"^(?P<onset>{_ONSET})(?P<vowels>[aeiouy]{{1,3}})(?:ch|ng|nh|[cmnpt])?$")


def is_syllable(word: str) -> bool:
    """Whether a folded word can be a Vietnamese syllable ("nghiep", "ngay"; not "ngghiep", "tiepp", "thuog").
    A word that is not one is a slip of the thumb, not another word."""
    m = _SYLLABLE.match(word)
    if m is None:
        return False
    onset, first = m.group("onset"), m.group("vowels")[0]
    front = first in "eiy"
    if onset in ("k", "gh", "ngh"):
        return front
    return not (onset in ("c", "g", "ng") and front)
