"""Decisions the answer takes on the hits search returns: does the best passage answer the question at all,
which passage to quote first (the level the question names; the current text before one it replaced).

Relevance is the share of the question's meaning found in a passage, each word weighted by how rare it is in
the library (a word the library never uses weighs most): "bảo hiểm xã hội tự nguyện" is not answered by a
passage on "bảo hiểm xã hội Việt Nam", because "tự nguyện" carries the question. Only the question's topic
counts: question words and the grammar around them ("… thì căn cứ nghị định nào") weigh nothing, else their
rarity would drown the topic. A question asking how much is answered only by a passage stating an amount: a
passage naming the fee or the benefit ("trợ cấp mai táng phí") shares the words, not the answer.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from common.vntext import fold
from knowledge.directives import is_local_section, load_library
from retrieval.bm25 import terms
from retrieval.query import (
    STOP_SYLLABLES,
    content_terms,
    is_validity_question,
    is_what_is_question,
    padded_words,
    passage_levels,
    question_levels,
)
from retrieval.search import Hit

MIN_ANSWERED = 0.45  # weighted share of the question found in one of the best passages,
MIN_WITH_DENSE, DENSE_CLOSE = 0.25, 0.88  # or a lower share when the passage means nearly the same (cosine)
MIN_ANSWERED_NAMED = 0.25  # when the question names the document by number, its topic may be phrased loosely
BIGRAM_WEIGHT = 0.5  # a two-syllable word counts besides its syllables, at half weight
LEVEL_MARGIN = 0.004  # a passage about the asked level is promoted over a better-scored one within this margin
LEVEL_SHARE_SLACK = 0.05  # … if it holds the question nearly as well as the best one (or well enough)
HEADING_MARGIN = 0.002  # within the best document, a passage whose heading states the asked count wins a near tie
SHARE_MARGIN, SHARE_LEAD = 0.001, 0.08  # a rival within this score holding this much more of the question wins
CONTENT_MARGIN = 0.1  # a document's own passage goes before a local-practice one holding at most this much more
BEST_OF = 4  # the passages weighed (which answers, near-tied rivals): fusion often scores four within 0.001

# Words that ask rather than mean: they never decide whether a passage answers.
_ASKING = ["van ban", "quy dinh", "nghi dinh", "thong tu", "chi thi", "quyet dinh", "cong van", "bao nhieu",
           "hien nay", "nam nay", "hom nay", "the nao", "nhu the nao", "o dau", "khi nao", "la gi", "gom nhung",
           "nhung gi", "co phai", "duoc khong", "con khong", "ke ten", "tu ngay nao", "tu khi nao", "ngay nao",
           "so may", "co may", "yeu cau", "huong dan", "noi dung", "ve viec", "viec gi", "ban hanh", "hieu luc",
           "bat dau", "thong qua", "co quan nao"]
_ASKING_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _ASKING), key=len, reverse=True)) + r")\b")
# dates and document numbers ("năm 2023", "01/7/2025", "04/CT-TTg"): not counts
_DATES_AND_NUMBERS_KEEP_COUNTS = re.compile(r"\b(?:nam|thang|ngay)\s+\d[\d/]*|\b\d+/[\w/-]+")
_DATES_AND_NUMBERS = re.compile(r"\b(?:nam|thang|ngay)\s+\d[\d/]*|\b\d+(?:/\d+)*(?:/[a-z]+(?:-[a-z]+)*)?\b")
_RUN_BREAK = re.compile(r"[|,.;:?!()\"“”]")  # where a run of adjacent question words ends

# A question asking for a detail (papers, fines, fees, durations, amounts) is answered only by a passage that
# states that kind of detail: naming the procedure is not enough.
_DETAILS: dict[str, tuple[str, ...]] = {
    "giay to": ("giay to", "ho so", "thanh phan"),
    "ho so gom": ("ho so", "thanh phan"),
    "muc phat": ("muc phat", "phat tien", "xu phat"),
    "phat bao nhieu": ("muc phat", "phat tien", "xu phat"),
    "le phi": ("le phi",),
    "muc dong": ("muc dong",),
    "muc huong": ("muc huong",),
    "thoi han": ("thoi han",),
    "bao lau": ("thoi han", "het han"),
    "can nhung gi": ("giay to", "ho so", "dieu kien"),
}
# "… là bao nhiêu?", "bao nhiêu tiền", "bao nhiêu phần trăm", a rate: an amount, stated only as a sum or a rate
# (naming the fee or the benefit is not stating it); "có bao nhiêu Công an cấp xã?": a count, stated as a number.
_HOW_MUCH = re.compile(r"\bbao nhieu\b\s*([0-9a-z]*)")
_AMOUNT_AFTER = {"tien", "phan", "mot", "moi"}  # "bao nhiêu tiền / phần trăm / một tháng / mỗi năm"
_RATE = re.compile(r"\b(?:lai suat|ty le|ti le|phan tram)\b")
_AMOUNT_FIGURE = re.compile(r"\d[\d.,]*\s*(?:%|(?:phan tram|dong|nghin|ngan|trieu|ty)\b)|\bmien (?:le )?phi\b")
_COUNT_FIGURE = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d.]*\b")  # a bare year ("2022 - 2025") is no count


def _weights(question: str) -> dict[str, float]:
    """Meaning-bearing terms of the question with their weights: rare in the library weighs more; a bigram
    half as much as a syllable; question words, numbers and dates weigh nothing.

    A bigram joins two words that stand next to each other in the question: never across a removed question
    word, number or punctuation ("căn cứ nghị định nào" gives no "cu_nao"). A pair with a particle or question
    word in it counts only if the library writes it ("cơ sở" folds to "co so", "có" to "co"): otherwise it is
    grammar, and as a term no passage holds it would weigh most and drown the topic."""
    q = _DATES_AND_NUMBERS.sub(" | ", _ASKING_RE.sub(" | ", fold(question)))
    idf, ceiling = _rarity()
    out = {t: idf.get(t, ceiling) for t in content_terms(q)}
    for run in _RUN_BREAK.split(q):
        syl = re.findall(r"[0-9a-z]+", run)
        for a, b in zip(syl, syl[1:]):
            pair = f"{a}_{b}"
            if (a not in STOP_SYLLABLES and b not in STOP_SYLLABLES) or pair in idf:
                out[pair] = BIGRAM_WEIGHT * idf.get(pair, ceiling)
    return out


def topic_terms(question: str) -> set[str]:
    return set(_weights(question))


@lru_cache(maxsize=1)
def _rarity() -> tuple[dict[str, float], float]:
    """Inverse document frequency of each term over the profiles' sections; the ceiling for unseen terms."""
    docs = [f"{d.title} {s.heading} {s.text}" for d in load_library().directives for s in d.sections]
    df = Counter(t for doc in docs for t in set(terms(doc)))
    n = len(docs)
    idf = {t: math.log(1 + n / c) for t, c in df.items()}
    return idf, math.log(1 + n)


def _passage(hit: Hit) -> str:
    return f"{hit.meta.get('title', '')} {hit.meta.get('section', '')} {hit.text}"


def answered_share(question: str, hit: Hit) -> float:
    """Weighted share of the question's meaning present in the passage (its text, section and title)."""
    weights = _weights(question)
    if not weights:
        return 1.0
    have = set(terms(_passage(hit)))
    return sum(w for t, w in weights.items() if t in have) / sum(weights.values())


def asked_quantity(question: str) -> str | None:
    """"amount" when the question asks how much (a sum, a rate), "count" when it asks how many of something."""
    q = fold(question)
    how_much = _HOW_MUCH.search(q)
    if _RATE.search(q):
        return "amount"
    if how_much is None:
        return None
    after = how_much.group(1)
    return "amount" if not after or after in _AMOUNT_AFTER or after in STOP_SYLLABLES else "count"


def states_quantity(kind: str, text: str) -> bool:
    """Whether the text states an amount (a sum or a rate) or a count (a number that is no date or document
    number)."""
    folded = fold(text)
    if kind == "amount":
        return bool(_AMOUNT_FIGURE.search(folded))
    return bool(_COUNT_FIGURE.search(_DATES_AND_NUMBERS_KEEP_COUNTS.sub(" ", folded)))


def states_asked_detail(question: str, hit: Hit) -> bool:
    """False when the question asks for a kind of detail (papers, fine, fee, duration, an amount) the passage
    never states."""
    q = padded_words(question)
    asked = [ev for cue, ev in _DETAILS.items() if f" {cue} " in q]
    quantity = asked_quantity(question)
    if quantity and not states_quantity(quantity, hit.text):
        return False
    if not asked:
        return True
    text = padded_words(_passage(hit))
    return all(any(f" {e} " in text for e in ev) for ev in asked)


def names_document(question: str, hit: Hit) -> bool:
    """Whether the question names the passage's document by one of its names ("Đề án 06", "Luật Cư trú")."""
    words = padded_words(question)
    return any(padded_words(a) in words for a in hit.meta.get("aliases", "").split("|") if a)


def answers(question: str, hits: list[Hit], named: bool) -> bool:
    """Whether one of the best passages answers the question (else the library does not have it). `named`:
    the question names, by number, a document the library holds."""
    if not hits:
        return False
    if (named or names_document(question, hits[0])) and (
            is_what_is_question(question) or is_validity_question(question)):
        # "công văn 452 là gì?", "Luật Cư trú ban hành ngày nào?": the document's own profile answers
        return True
    for h in hits[:BEST_OF]:
        share = answered_share(question, h)
        enough = share >= (MIN_ANSWERED_NAMED if named else MIN_ANSWERED) or (
            h.dense >= DENSE_CLOSE and share >= MIN_WITH_DENSE)
        if enough and states_asked_detail(question, h):
            return True
    return False


def _level_fit(h: Hit, levels: set[str]) -> int:
    """2: the heading names an asked level; 1: the text speaks only of asked levels; 0: otherwise."""
    if passage_levels(h.meta.get("section", "")) & levels:
        return 2
    spoken = passage_levels(h.text)
    return 1 if spoken and spoken <= levels else 0


def prefer_level(hits: list[Hit], levels: list[str], question: str) -> list[Hit]:
    """The passage most specifically about a level the question names goes first, if it is close to the best
    one or in the same document (the central Tổ công tác must not answer a question about the commune's), and
    holds the question about as well (a passage that merely names the level does not answer)."""
    if not levels or not hits:
        return hits
    asked = set(levels)
    top = hits[0]
    doc = _doc(top)
    fit = _level_fit(top, asked)
    needed = min(answered_share(question, top), MIN_ANSWERED) - LEVEL_SHARE_SLACK
    best, best_fit = top, fit
    for h in hits[1:]:
        f = _level_fit(h, asked)
        if f > best_fit and (_doc(h) == doc or top.score - h.score <= LEVEL_MARGIN) \
                and answered_share(question, h) >= needed:
            best, best_fit = h, f
    return hits if best is top else [best] + [x for x in hits if x is not best]


def prefer_heading(hits: list[Hit], question: str) -> list[Hit]:
    """Within the best document, a near-tied passage whose heading states a count the question names goes first
    ("14 dịch vụ … gồm những gì?" is answered by the heading "… 14 dịch vụ …", not by "… 11 dịch vụ …")."""
    counts = set(re.findall(r"\b\d{1,3}\b", _DATES_AND_NUMBERS_KEEP_COUNTS.sub(" ", fold(question))))
    if len(hits) < 2 or not counts:
        return hits
    top = hits[0]

    def names(h: Hit) -> bool:
        return bool(counts & set(re.findall(r"\b\d{1,3}\b", h.meta.get("section", ""))))

    if names(top):
        return hits
    best = next((h for h in hits[1:] if _doc(h) == _doc(top) and top.score - h.score <= HEADING_MARGIN
                 and names(h)), None)
    return hits if best is None else [best] + [x for x in hits if x is not best]


_PERIOD_ASKED = [("tuan", r"\btuan (?:truoc|nay|qua|roi)\b"), ("thang", r"\bthang (?:truoc|nay|qua|roi)\b"),
                 ("quy", r"\bquy (?:truoc|nay|qua|roi)\b"), ("nam", r"\bnam (?:truoc|nay|qua|ngoai|roi)\b")]
_PERIOD_OF_TITLE = [("tuan", r"\btuan\b"), ("thang", r"\bthang \d"), ("quy", r"\bquy\b"), ("nam", r"\bnam \d{4}\b")]


def prefer_period(hits: list[Hit], question: str) -> list[Hit]:
    """"tháng trước mình báo cáo …": when the best passage is from the unit's own reports, the latest report of
    the period kind the question names (tuần, tháng, quý, năm) goes first."""
    q = fold(question)
    kind = next((k for k, rx in _PERIOD_ASKED if re.search(rx, q)), None)
    if kind is None or not hits or hits[0].meta.get("provenance") != "bao_cao":
        return hits

    def kind_of(h: Hit) -> str | None:
        t = fold(h.meta.get("title", ""))
        return next((k for k, rx in _PERIOD_OF_TITLE if re.search(rx, t)), None)

    same = [h for h in hits if h.meta.get("provenance") == "bao_cao" and kind_of(h) == kind]
    if not same:
        return hits
    best = max(same, key=lambda h: h.meta.get("date", ""))
    return [best] + [x for x in hits if x is not best]


def order(hits: list[Hit], question: str, refs: list[str]) -> list[Hit]:
    """The hits in the order the answer quotes them: the asked period kind, the stated count, the passage holding
    more of the question, own content before local practice, the asked level, the current text."""
    hits = prefer_answering(prefer_heading(prefer_period(hits, question), question), question)
    hits = prefer_level(prefer_content(hits, question), question_levels(question), question)
    return prefer_current(hits, refs)


def _doc(h: Hit) -> str:
    return h.meta.get("so_hieu") or h.meta.get("doc_key", "")


def prefer_answering(hits: list[Hit], question: str) -> list[Hit]:
    """A near-tied passage that holds clearly more of the question goes first (fusion ranks near ties by
    chance; the weighted share of the question decides them)."""
    if len(hits) < 2:
        return hits
    top = hits[0]
    top_share = answered_share(question, top)
    rivals = [h for h in hits[1:BEST_OF] if top.score - h.score <= SHARE_MARGIN]
    best = max(rivals, key=lambda h: answered_share(question, h), default=None)
    if best is None or answered_share(question, best) < top_share + SHARE_LEAD:
        return hits
    return [best] + [x for x in hits if x is not best]


def prefer_content(hits: list[Hit], question: str) -> list[Hit]:
    """A document's own content before what local reports say of it, unless the local passage holds clearly more
    of the question ("công văn 452 là gì?" is answered by its subject, not by a commune's review of it)."""
    if not hits or not is_local_section(hits[0].meta.get("section", "")):
        return hits
    top_share = answered_share(question, hits[0])
    own = next((h for h in hits[1:] if _doc(h) == _doc(hits[0]) and not is_local_section(h.meta.get("section", ""))
                and answered_share(question, h) >= top_share - CONTENT_MARGIN), None)
    return hits if own is None else [own] + [x for x in hits if x is not own]


def prefer_current(hits: list[Hit], named: list[str]) -> list[Hit]:
    """When the best passage is from a replaced text the question did not name, the replacing text's best
    passage goes first (the replaced one stays, cited with its replacement)."""
    if not hits:
        return hits
    lib = load_library()
    d = lib.get(hits[0].meta.get("so_hieu", ""))
    if d is None or not d.replaced_by or d.so_hieu in named:
        return hits
    newer = next((h for h in hits if h.meta.get("so_hieu") == d.replaced_by), None)
    return [newer] + [h for h in hits if h is not newer] if newer else hits
