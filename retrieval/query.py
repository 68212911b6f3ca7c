"""Query understanding: document references, diacritic restoration, question detection.

"chỉ thị 04", "CT 04/2024", "qđ 06", "công văn 452", "nghi dinh 59", "Đề án 06" all resolve to a so_hieu of
a document in the library. A question typed without diacritics is restored from the library's own
vocabulary before it is embedded (the dense model cannot read "lam sach du lieu"; BM25 folds anyway).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from common.vntext import fold, has_diacritics, nfc
from knowledge.vocabulary import vocabulary

# folded type words and the short forms officers type (ct, qd, cv, nd, tt …) -> doc_type
TYPE_WORDS: dict[str, str] = {**vocabulary().document_types, **vocabulary().document_type_codes}
_TYPE_RE = "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True))
_TYPED_REF = re.compile(rf"\b({_TYPE_RE})\s*(?:so\s*)?(\d{{1,5}})(?:\s*/\s*(\d{{4}}))?\b")
_SO_HIEU = re.compile(r"\b(\d{1,5})(?:/(\d{4}))?/([a-z][a-z0-9]*(?:[-.][a-z0-9]+)*)\b")

# Question words: enough on their own. Topic words ("quy định", "nhiệm vụ") count only in a message without
# figures, so "hướng dẫn 30 người cài VNeID" stays a figure message.
_STRONG_CUES = ["la gi", "gi", "the nao", "ra sao", "nao", "o dau", "khi nao", "bao gio", "co phai", "tai sao",
                "vi sao", "nhung gi", "gom nhung"]
_WEAK_CUES = ["theo van ban", "can cu", "quy dinh", "yeu cau", "huong dan", "noi dung", "nhiem vu", "muc tieu",
              "chi tieu", "van ban chi dao"]
_GOVERNANCE_CUES = ["van ban nao", "theo van ban", "can cu", "van ban chi dao", "quy dinh o dau",
                    "quy dinh tai", "theo chi thi nao", "theo quyet dinh nao"]
STOP_SYLLABLES = set(
    "la gi nao the lam sao cua va cac cho theo ve voi co khong duoc trong tai o dau nhu nhung mot de thi ra ai khi "
    "nay do hay hoi xin cho biet toi minh anh chi em".split())


@dataclass(frozen=True)
class DocRef:
    so_hieu: str
    doc_type: str
    year: int | None  # year of issue, when known
    aliases: tuple[str, ...] = ()


def _number(so_hieu: str) -> str:
    return so_hieu.split("/", 1)[0].lstrip("0") or "0"


def find_references(question: str, docs: list[DocRef], aliases: bool = True) -> list[str]:
    """so_hieu of the library documents `question` names, in order of mention. Numbered references
    ("chỉ thị 04", "04/CT-TTg") come first; names ("Luật Cư trú", "Đề án 06") only with `aliases`."""
    q = fold(question)
    found: list[str] = []

    def add(so_hieu: str) -> None:
        if so_hieu not in found:
            found.append(so_hieu)

    by_folded = {fold(d.so_hieu): d for d in docs}
    for m in _SO_HIEU.finditer(q):
        if m.group(0) in by_folded:
            add(by_folded[m.group(0)].so_hieu)
    for m in _TYPED_REF.finditer(q):
        kind, num, year = TYPE_WORDS[m.group(1)], m.group(2).lstrip("0") or "0", m.group(3)
        cands = [d for d in docs if _number(d.so_hieu) == num and (not kind or d.doc_type == kind)]
        if year and len(cands) > 1:
            cands = [d for d in cands if str(d.year) == year or f"/{year}/" in d.so_hieu] or cands
        for d in cands:
            add(d.so_hieu)
    if not aliases:
        return found
    words = padded_words(question)
    for d in docs:
        for alias in d.aliases:
            if padded_words(alias) in words:
                add(d.so_hieu)
    return found


def padded_words(text: str) -> str:
    """' chi thi 04 ' : folded words with one space around each, for whole-word containment tests."""
    return " " + " ".join(re.findall(r"[0-9a-z]+", fold(text))) + " "


_WHAT_IS_CUES = ["la gi", "la van ban gi", "ve gi", "ve viec gi", "noi ve", "noi gi", "quy dinh gi", "de lam gi"]


def is_what_is_question(question: str) -> bool:
    """"công văn 452 là gì?": the answer should lead with the document's subject (trích yếu)."""
    q = padded_words(question)
    return any(f" {c} " in q for c in _WHAT_IS_CUES)


def is_governance_question(question: str) -> bool:
    """"... theo văn bản nào?", "căn cứ ..." — whole words ("căn cước" folds to "can cuoc", not "can cu")."""
    q = padded_words(question)
    return any(f" {c} " in q for c in _GOVERNANCE_CUES)


_LIST_CUES = ["gom nhung", "nhung gi", "ke ten", "liet ke", "co may", "cac nhom", "bao nhieu nhom", "nhung nhom",
              "nhung dich vu", "cac dich vu", "nhung phuong thuc", "cac phuong thuc", "nhung cach", "cac cach",
              "nhung thu tuc", "cac thu tuc", "gom nhung gi", "nhung diem nghen", "nhung viec", "nhung nhiem vu"]


def is_list_question(question: str) -> bool:
    """"5 nhóm tiện ích gồm những gì?", "kể tên các dịch vụ ...": the answer quotes the enumeration whole."""
    q = padded_words(question)
    return any(f" {c} " in q for c in _LIST_CUES)


# Levels of government a question or passage can be about: xã (commune), huyện (district, gone since
# 01/7/2025), tỉnh (province), bộ (ministries and the centre).
LEVELS = ("xa", "huyen", "tinh", "bo")
LEVEL_NAMES = {"xa": "cấp xã", "huyen": "cấp huyện", "tinh": "cấp tỉnh", "bo": "cấp bộ, trung ương"}
_TINH_BEFORE = {"cap", "ubnd", "tich", "an", "dan", "o", "cua", "tai", "thanh"}  # "cấp tỉnh", "chủ tịch tỉnh"
_BO_PHRASES = (" bo truong ", " cap bo ", " bo nganh ", " trung uong ", " ngang bo ", " cac bo ")
_PASSAGE_LEVELS = {
    "xa": re.compile(r"\b(?:xã(?! hội)|phường|thị trấn)\b"),
    "huyen": re.compile(r"\bhuyện\b"),
    "tinh": re.compile(r"\btỉnh\b"),
    "bo": re.compile(r"bộ trưởng|cấp bộ\b|bộ, ngành|bộ ngành|trung ương|ngang bộ|các bộ\b"),
}


def question_levels(question: str) -> list[str]:
    """The levels a question names, in LEVELS order. Folded words are ambiguous ("tinh" is tỉnh, tính, tình),
    so accents decide when the officer typed them, and the neighbouring word when not."""
    accented = has_diacritics(question)
    low = nfc(question).lower()
    words = re.findall(r"[0-9a-z]+", fold(question))
    padded = " " + " ".join(words) + " "
    found = set()
    for i, w in enumerate(words):
        prev, nxt = (words[i - 1] if i else ""), (words[i + 1] if i + 1 < len(words) else "")
        if w == "xa" and nxt != "hoi" and (not accented or re.search(r"\bxã\b(?! hội)", low)):
            found.add("xa")
        if w == "huyen":
            found.add("huyen")
        if w == "tinh" and (re.search(r"\btỉnh\b", low) if accented else prev in _TINH_BEFORE):
            found.add("tinh")
    if accented and re.search(r"\b(?:phường|thị trấn)\b", low):
        found.add("xa")
    if any(p in padded for p in _BO_PHRASES):
        found.add("bo")
    return [lv for lv in LEVELS if lv in found]


def passage_levels(text: str) -> set[str]:
    """Levels a passage (accented library text) speaks about."""
    low = nfc(text).lower()
    return {lv for lv, rx in _PASSAGE_LEVELS.items() if rx.search(low)}


_YEAR_LIKE = range(1990, 2101)
_COUNTED = re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in vocabulary().count_nouns) + r")\b")


def document_mentions(question: str) -> list[str]:
    """Documents a question names by number ("công văn 877/TCT-CAT", "Nghị định 30/2020", "QĐ 2289"), as the
    officer wrote them, whether or not the library holds them. A bare year ("kế hoạch 2024") is not one, nor a
    count ("báo cáo 28 DVC")."""
    q = fold(question)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _SO_HIEU.finditer(q):
        out.append(question[m.start():m.end()] if len(question) == len(q) else m.group(0))
        spans.append(m.span())
    for m in _TYPED_REF.finditer(q):
        if any(a <= m.start(2) < b for a, b in spans):
            continue
        if not m.group(3) and (int(m.group(2)) in _YEAR_LIKE or _COUNTED.match(q, m.end())):
            continue
        out.append(question[m.start():m.end()] if len(question) == len(q) else m.group(0))
    return out


def looks_like_question(text: str, docs: list[DocRef]) -> bool:
    """True for questions and bare document references; figure messages ("cấp CCCD 60") stay False."""
    t = text.strip()
    if not t:
        return False
    words = padded_words(t)
    if t.endswith("?") or any(f" {c} " in words for c in _STRONG_CUES):
        return True
    rest = padded_words(_TYPED_REF.sub(" ", _SO_HIEU.sub(" ", fold(t))))
    for d in docs:  # "Đề án 06" is a name, not a figure
        for alias in d.aliases:
            rest = rest.replace(padded_words(alias), " ")
    if re.search(r"\d", rest):  # "tuyên truyền chỉ thị 04 cho 300 người" is a figure message
        return False
    return any(f" {c} " in words for c in _WEAK_CUES) or bool(find_references(t, docs))


def content_terms(question: str) -> list[str]:
    """Folded syllables that carry meaning (question words and particles removed)."""
    return [s for s in re.findall(r"[0-9a-z]+", fold(question)) if s not in STOP_SYLLABLES]


_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def form_counts(text: str) -> tuple[Counter, Counter]:
    """How often `text` writes each word ((folded, form)) and word pair (((f1, f2), (w1, w2)))."""
    toks = [w.lower() for w in _LETTERS.findall(text)]
    folded = [_fold_word(w) for w in toks]  # a corpus has a few thousand distinct words
    return Counter(zip(folded, toks)), Counter(zip(zip(folded, folded[1:]), zip(toks, toks[1:])))


class DiacriticRestorer:
    """Maps diacritic-free syllables (and pairs) to their most frequent accented form in the library."""

    def __init__(self, texts: list[str]) -> None:
        uni: dict[str, Counter] = defaultdict(Counter)
        bi: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for text in texts:
            u, b = form_counts(text)
            for (f, w), n in u.items():
                uni[f][w] += n
            for (f, w), n in b.items():
                bi[f][w] += n
        self.uni: Mapping[str, str] = {f: c.most_common(1)[0][0] for f, c in uni.items()}
        self.bi: Mapping[tuple[str, str], tuple[str, str]] = {f: c.most_common(1)[0][0] for f, c in bi.items()}

    @classmethod
    def from_forms(cls, uni: Mapping[str, str], bi: Mapping[tuple[str, str], tuple[str, str]]) -> DiacriticRestorer:
        """A restorer over most-frequent forms kept elsewhere (the on-disk index counts them incrementally)."""
        r = cls.__new__(cls)
        r.uni, r.bi = uni, bi
        return r

    def restore(self, question: str) -> str:
        """`question` with accents put back on syllables typed without them; accented input is kept."""
        if has_diacritics(question) and sum(map(has_diacritics, question.split())) * 3 >= len(question.split()):
            return question  # typed with diacritics: trust the officer
        toks = re.findall(r"\S+", question.lower())
        core = [re.sub(r"^\W+|\W+$", "", t) for t in toks]
        out = list(toks)
        fixed = [False] * len(toks)
        for i in range(len(toks) - 1):  # pairs first: "dan cu" -> "dân cư" whatever "dan" alone means
            pair = self.bi.get((core[i], core[i + 1]))
            if pair and not has_diacritics(core[i]) and not has_diacritics(core[i + 1]):
                for j, w in ((i, pair[0]), (i + 1, pair[1])):
                    if not fixed[j]:
                        out[j] = toks[j].replace(core[j], w) if core[j] else toks[j]
                        fixed[j] = True
        for i, c in enumerate(core):
            if not fixed[i] and c and not has_diacritics(c) and c in self.uni:
                out[i] = toks[i].replace(c, self.uni[c])
        return " ".join(out)


_LAW_NAME_STOP = {"so", "nam", "quy", "dinh", "ve", "cua", "la", "co", "the", "nao", "gi", "noi", "thi", "moi",
                  "hien", "hanh", "duoc", "thong", "qua", "ban", "sua", "doi", "va", "cho", "khi", "bat", "dau",
                  "ngay", "tu", "hieu", "luc", "con", "nay", "yeu", "cau"}


def law_mentions(question: str) -> list[str]:
    """Laws a question names by name, as written ("Luật Đất đai 2024 …" -> "Luật Đất đai"), up to four words."""
    words = re.findall(r"\w+", nfc(question))
    folded = [fold(w) for w in words]
    out = []
    for i, w in enumerate(folded):
        if w != "luat":
            continue
        name = []
        for orig, f in zip(words[i + 1:i + 5], folded[i + 1:i + 5]):
            if f in _LAW_NAME_STOP or f.isdigit():
                break
            name.append(orig)
        if name:
            out.append(" ".join(["Luật", *name]))
    return out


_VALIDITY_CUES = ["hieu luc", "ban hanh", "ngay nao", "khi nao", "so may", "thong qua", "co quan nao", "ai ky",
                  "ai ban hanh", "thay the"]


def is_validity_question(question: str) -> bool:
    """"… có hiệu lực từ khi nào?", "… ban hành ngày nào?": the answer states the document's dates."""
    q = padded_words(question)
    return any(f" {c} " in q for c in _VALIDITY_CUES)
