"""What an answer quotes from a passage: whole sentences, and an enumeration always whole (or cut between items
with how many are left), never stopped at its second item.

Sentences end at ".", "!" or "?" before an upper-case letter, a digit, a quote or "(" — never at ";", which
separates the items of an enumeration ("(1) …; (2) …"). Upper case is decided by `str.isupper`, so a lower-case
"đ" or "ă" never starts a sentence.
"""
from __future__ import annotations

import re

from retrieval.bm25 import terms
from retrieval.query import content_terms

EXCERPT_CHARS = 320  # ordinary quotes stay short (phones)
LIST_CHARS = 1000  # an enumeration may run longer before it is cut between items
_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_NUMBERED = re.compile(r"\((\d{1,2})\)\s")  # "(1) ", "(2) "


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        start = 0
        for m in _END.finditer(line):
            nxt = line[m.end()]
            if nxt.isupper() or nxt.isdigit() or nxt in "(\"“'":
                out.append(line[start:m.start()].strip())
                start = m.end()
        out.append(line[start:].strip())
    return [s for s in out if s]


def enumeration(sentence: str) -> tuple[str, list[str]] | None:
    """(lead-in, items) when the sentence lists things: "(1) a; (2) b; …" or "…: a; b; c", else None."""
    numbered = list(_NUMBERED.finditer(sentence))
    if len(numbered) >= 2:
        cuts = [m.start() for m in numbered] + [len(sentence)]
        return sentence[:cuts[0]], [sentence[a:b] for a, b in zip(cuts, cuts[1:])]
    head, colon, rest = sentence.partition(":")
    parts = rest.split(";") if colon else []
    if len(parts) >= 3:
        return head + colon, [p + ";" for p in parts[:-1]] + [parts[-1]]
    return None


def cut(sentence: str, limit: int) -> str:
    """`sentence` within `limit` characters; an enumeration is cut between items and says how many are left."""
    if len(sentence) <= limit:
        return sentence
    enum = enumeration(sentence)
    if enum is None:
        return sentence[:limit].rsplit(" ", 1)[0] + " …"
    lead, items = enum
    kept: list[str] = []
    size = len(lead)
    for item in items:
        if size + len(item) > limit and kept:
            break
        kept.append(item)
        size += len(item)
    left = len(items) - len(kept)
    return (lead + "".join(kept)).rstrip(" ;,") + f" … (còn {left} mục)"


def best_sentences(question: str, text: str, n: int = 2, whole: bool = False) -> str:
    """Up to `n` sentences of `text` sharing most words with the question, whole and in their original order,
    within EXCERPT_CHARS (the best one always); an enumeration among them is kept whole. With `whole` (a
    question asking for a list) the passage is quoted entire, up to LIST_CHARS."""
    sents = [s for s in split_sentences(text) if len(s) > 15]
    if not sents:
        return cut(" ".join(text.split()), EXCERPT_CHARS)
    if whole:
        out = " ".join(sents)
        return out if len(out) <= LIST_CHARS else cut(max(sents, key=len), LIST_CHARS)
    q = set(terms(" ".join(content_terms(question))))
    order = sorted(range(len(sents)), key=lambda i: (-len(q & set(terms(sents[i]))), i))
    best = sents[order[0]]
    if enumeration(best):
        return cut(best, LIST_CHARS)
    picked, size = [order[0]], len(best)
    for i in order[1:n]:
        if size + len(sents[i]) + 1 <= EXCERPT_CHARS and not enumeration(sents[i]):
            picked.append(i)
            size += len(sents[i]) + 1
    return cut(" ".join(sents[i] for i in sorted(picked)), EXCERPT_CHARS)
