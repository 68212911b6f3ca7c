"""Corrections typed in words: "sửa cấp mới thành 35", "cap moi la 35 chu khong phai 33", "cấp mới 33 đổi thành 35".

`as_plain_figures` rewrites such a message into plain figures ("  cấp mới : 35") with every offset kept, so the
ordinary parser reads the new values and spans still point into the officer's text.
"""
from __future__ import annotations

from figures.lexicon import fold_aligned
from figures.patterns import load_patterns

P = load_patterns()


def as_plain_figures(text: str) -> str | None:
    """`text` (NFC) with the cue words and the old value blanked and "thành"/"là" turned into ":", or None when
    it is not a correction."""
    f = fold_aligned(text)
    cue, not_but, verb_to = P.correction_cue.match(f), P.not_but.search(f), P.verb_to.search(f)
    if not (cue or not_but or verb_to):
        return None
    chars = list(text)

    def blank(a: int, b: int, lead: str = " ") -> None:
        chars[a:b] = list(lead + " " * (b - a - 1))

    for m in (cue, not_but):
        if m:
            blank(*m.span())
    if verb_to:
        blank(*verb_to.span(), lead=":")
    for m in P.to.finditer(f):
        blank(*m.span(), lead=":")
    return "".join(chars)
