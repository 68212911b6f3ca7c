"""Pass 4 of the parser: each number gets the indicator named around it.

The name it sits in ("trả 40 thẻ CCCD") or that follows it alone ("5.272 lượt người"), else the most specific name
before it in its clause, refined by a child named with it ("kích hoạt ... mức 1: 25"). Short words ("mới", "đã trả
kết quả", "trực tuyến") are read in a running scope: the parent just named ("CCCD: 45 (mới 20 ...)"), the service
just named, the "tiếp nhận trên cổng DVC:" channel. A stated rate ("đạt 94,4%") is attached to its figure as given.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from common.vntext import is_syllable
from figures.lexicon import TOKEN_RE, Entry, lexicon_for, phrase_key
from figures.parsed import ParseContext, ParsedFigure
from figures.periods import PeriodSpec
from figures.scan import Mention, Num, P, Scan
from knowledge.catalogue import Catalogue


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
    own = cat.statuses_of(svc)
    statuses = [m for m in measures if m in own]
    online = "truc_tuyen" in measures or channel == "truc_tuyen"
    plain = [m for m in measures if m in cat.service_measures and m not in ("tiep_nhan", "truc_tuyen")]
    if statuses:
        if online:
            return None  # result statuses of online dossiers are not catalogue indicators
        ind = f"dvc.{svc}.{statuses[-1]}"
    elif plain:  # "đã giải quyết" of a service without result statuses
        ind = f"dvc.{svc}.{plain[-1]}"
    elif measures and not any(m in cat.service_measures for m in measures):
        return None  # a status this service is not counted in ("mới đăng ký" after "thường trú")
    else:
        ind = f"dvc.{svc}.{'truc_tuyen' if online else 'tiep_nhan'}"
    return ind if ind in cat else None


@dataclass
class _Label:
    indicator: str | None
    named: bool  # named outright; False = a short word read in the running scope ("mới", "đã trả kết quả")
    at: int | None = None  # where the deciding name starts
    fuzzy: bool = False  # the deciding name was matched through a typo correction
    service_named: bool = False  # a service was named with no measure: "x/y" after it is a pair


def _family(cat: Catalogue, scope: _Scope) -> set[str]:
    """The indicators short words may name after `scope.parent`: it, its parts, its subsets ("trong đó ... trực
    tuyến") and its siblings."""
    if not scope.parent:
        return set()
    family = set(cat.children(scope.parent)) | {scope.parent} | set(cat.subsets_of(scope.parent))
    if scope.parent in cat.parent_of:
        family |= set(cat.children(cat.parent_of[scope.parent]))
    return family


def _resolve(cat: Catalogue, pre: list[Mention], post: list[Mention], scope: _Scope | None,
             counted: Mention | None = None, dvc_heading: bool = False) -> _Label:
    """The indicator the mentions around one number name. `counted` is a name right after the number
    ("5.272 lượt người") or around it ("trả 40 thẻ CCCD"): it says what was counted. Under a heading about public
    services, names that are also services ("Cấp thẻ CCCD") name the service."""
    phrase = pre + post
    scope = scope or _Scope()

    def service(e: Entry) -> str | None:
        return e.service or (e.ctx_service if dvc_heading else None)

    in_service = scope.service is not None or any(service(m.entry) for m in phrase)
    measures = [ms for m in phrase for ms in m.entry.measures]

    def strong(e: Entry) -> bool:
        return bool(service(e)) or (bool(e.ids) and not (in_service and e.measures))

    if _stopped(pre, post, counted, strong):
        return _Label(None, True)
    family = _family(cat, scope)
    for m in reversed(phrase):  # a name that is also a short word of the family in scope names that member
        member = next((i for i in m.entry.ctx_ids if i in family), None) if m.entry.ids else None
        if member:
            return _Label(member, False, m.start, m.fuzzy)

    # What was counted, else the most specific exact name (most syllables, then the first: "cấp tài khoản định
    # danh điện tử cho công dân đã có CCCD: 654" is about định danh), else a typo-tolerant match.
    named = [m for m in phrase if strong(m.entry)]
    if counted is not None and strong(counted.entry):
        head_m: Mention | None = counted
    elif named:
        # generic verbs that double as service measures ("tiếp nhận") rank below names of things ("cấp CCCD")
        head_m = max(named, key=lambda m: (not m.fuzzy, not m.entry.measures, len(m.entry.phrase.split()), -m.start))
    else:
        head_m = None
    head = head_m.entry if head_m else None
    svc = service(head) if head else None
    if head_m is not None and svc:  # a measure matched through a typo decides the indicator too: a guess
        fuzzy = head_m.fuzzy or any(m.fuzzy and m.entry.measures for m in phrase)
        return _Label(_service_measure(cat, svc, measures, None), True, head_m.start, fuzzy, not measures)
    if head_m is not None and head is not None:
        ind = head.ids[0]
        kids = set(cat.children(ind))
        for m in reversed(phrase):  # the child named closest to the number: "kích hoạt ... mức 1: 25"
            child = next((i for i in m.entry.all_ids if i in kids), None)
            if child:
                ind = child
                break
        if any(m.entry.cumulative for m in phrase):
            ind = _twin(cat, ind)
        return _Label(ind, True, head_m.start, head_m.fuzzy)
    # only weak words ("mới", "tổng số", "đã trả kết quả"): read them in the running scope
    if scope.service and measures:
        first = next(m for m in phrase if m.entry.measures)
        return _Label(_service_measure(cat, scope.service, measures, scope.channel), False, first.start, first.fuzzy)
    group = scope.last.split(".")[0] + "." if scope.last else None
    for m in phrase:
        hit = next((i for i in m.entry.all_ids if i in family), None)
        hit = hit or next((i for i in m.entry.ctx_ids if group and i.startswith(group)), None)
        if hit:
            return _Label(hit, False, m.start, m.fuzzy)
    for m in phrase:
        if len(m.entry.ids) == 1:
            return _Label(m.entry.ids[0], False, m.start, m.fuzzy)
    return _Label(None, False)


def _stopped(pre: list[Mention], post: list[Mention], counted: Mention | None, strong) -> bool:
    """Words that make the number no figure ("9 thành viên", "chỉ tiêu 3.000"), when they are the name nearest to
    it; words inside the name the number sits in ("niêm yết 126 thủ tục hành chính") do not count."""
    def inside(m: Mention) -> bool:
        return counted is not None and counted.start <= m.start and m.end <= counted.end

    if counted is not None and counted.entry.stop:
        return True
    near = [m for m in pre if (m.entry.stop or strong(m.entry)) and not inside(m)]
    return bool(near and near[-1].entry.stop) or bool(post and post[0].entry.stop and not inside(post[0]))


def _remainder(cat: Catalogue, scope: _Scope) -> str | None:
    """The "còn lại" indicator of the part just named, or of its parent ("cấp mới ..., cấp lại 473; còn lại")."""
    for ind in (scope.last, scope.parent, cat.parent_of.get(scope.last or "")):
        rest = cat.remainder_for(ind) if ind else None
        if rest:
            return rest
    return None


def _update_scope(cat: Catalogue, scope: _Scope, ind: str, phrase: list[Mention]) -> None:
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
    part = (cat.get(i.remainder_of) if i.remainder_of else None) or i  # after "còn lại", the part's family
    scope.parent = part.id if part.parts else cat.parent_of.get(part.id, part.id)


def _misspelt_between(sc: Scan, cat: Catalogue, a: int, b: int) -> bool:
    """A mistyped word between the name and its number ("BHXH khu công ngghiệp: 273"): the name read may be
    only the start of the one meant, so the reading is a guess."""
    vocab = lexicon_for(cat).vocab
    return any(t[2].isalpha() and t[2] not in vocab and not is_syllable(t[2]) and _near_word(t[2], vocab)
               for t in sc.toks if a <= t[0] and t[1] <= b)


def _near_word(word: str, vocab: frozenset[str] | set[str]) -> bool:
    """One edit away from a known word of the same first letter (a slip of the thumb, not another word)."""
    return len(word) >= 4 and any(w[:1] == word[:1] and abs(len(w) - len(word)) <= 1
                                  and Levenshtein.distance(w, word, score_cutoff=1) <= 1 for w in vocab)


def assign(sc: Scan, cat: Catalogue, ctx: ParseContext) -> tuple[list[ParsedFigure], list[str]]:
    """Label every number, left to right, keeping the running scope; (figures, unmatched fragments)."""
    mentions, nums = sc.mentions, sc.numbers
    scope = _initial_scope(cat, ctx.last_indicator)
    dvc_heading = ctx.section == "tthc_dvc"
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
        if n.denominator is not None and post and post[0].entry.phrase.startswith("tong "):
            post, post_end = [], n.end  # "183/247 tổng số TTHC đã công bố": the name after names the whole
        if style is None and (pre or post):  # does this officer write "CCCD 60" or "60 CCCD"?
            style = "pre" if pre else "post"
        if post and style == "pre" and nxt is not None and not sc.has_boundary(post[-1].end, nxt.start):
            post, post_end = [], n.end  # "cccd 60 mới 33": "mới" labels 33, not 60
        near = last_end is None or n.start - last_end <= P.scope_reach
        label = _Label(None, False)
        sibling = _unit_sibling(sc, cat, scope.last, n) if near and not pre else None
        if pre and pre[-1].entry.remainder and sc.gap_words(pre[-1].end, n.start) == 0:
            # "còn lại 3.134": what is left of the part just named (nothing, when it has no remainder)
            label = _Label(_remainder(cat, scope) if near else None, False, pre[-1].start)
        elif sibling:
            label = _Label(sibling, False, n.start)  # "3 hồ sơ và 3 tài khoản": the same group, counted in accounts
        elif not (post and post[0].entry.stop and sc.gap_words(n.end, post[0].start) == 0):
            # a name the number sits in ("trả 40 thẻ CCCD"), or a single name right after the number ("5.272 lượt
            # người tham dự."), says what was counted
            counted = sc.bridge(n, pre_start)
            if counted is None and len(post) == 1 and not TOKEN_RE.search(sc.f, n.end, post[0].start):
                counted = post[0]
            if pre or post or counted:
                label = _resolve(cat, pre, post, scope if near else None, counted, dvc_heading)
            if label.indicator and not label.named and any(f.indicator == label.indicator for f in figures):
                label = _Label(None, False)  # a context word must not give a second value ("Đã tiếp nhận: 554")
            if label.indicator and _restates_whole(sc, figures, label.indicator, n):
                label = _Label(None, False)  # "khai sinh 263 ... Trong đó: ... khai sinh cho trẻ 240": a part
        period = sc.period_of_clause(n.start)
        if label.indicator is None and not pre and not post:
            label = _title_label(sc, cat, n, figures, period, dvc_heading)  # "+ Nhóm ưu tiên số 4: …; …: 00 hồ sơ"
        if label.indicator is None and not pre and not post and near and figures and period is not None \
                and figures[-1].period not in (None, period):
            label = _Label(figures[-1].indicator, False, n.start)  # "năm 2022 là 466 hồ sơ, năm 2023 là 403 hồ sơ"
        if label.indicator and _counts_places(sc, cat, label.indicator, n):
            label = _Label(None, False)  # "hướng dẫn 07 thôn": villages, not documents
        if label.indicator and _cumulative_after(sc, n):  # "53.061 trường hợp (từ khi triển khai)"
            label = _Label(_twin(cat, label.indicator), label.named, label.at, label.fuzzy)
        if label.indicator is None and not pre and not post and ctx.last_indicator and len(values) == 1:
            label = _Label(ctx.last_indicator, False)  # a bare "60" answers what the dialogue asked
        ind = _by_unit(sc, cat, label.indicator, n)
        if label.service_named and n.denominator is not None and ind:
            ind = _service_pair(cat, ind, ctx.service_pair_measure)
        consumed = max(n.end, post_end)
        a = min(label.at, n.start) if label.at is not None else n.start
        b = max(n.end, post_end)
        owner[n.start] = None
        if ind is None:
            frag_start = max(pre[-1].start if pre else sc.last_boundary(n.start, "soft"), n.start - 60)
            unmatched.append(sc.text[frag_start:b].strip(" \t\n,;:+-*•.()"))
            continue
        guess = label.fuzzy or _misspelt_between(sc, cat, a, n.start)
        figures.append(ParsedFigure(ind, n.value, n.denominator, None, (a, b), sc.text[a:b], guess=guess,
                                    period=period))
        owner[n.start] = figures[-1]
        last_end = b
        if not near:
            scope = _Scope()
        _update_scope(cat, scope, ind, pre + post)
    _attach_rates(sc, values, owner, percents, unmatched)
    _remainders_of_pairs(cat, figures)
    return _dedupe(figures), unmatched


def _counts_places(sc: Scan, cat: Catalogue, ind: str, n: Num) -> bool:
    """A number followed by a place word ("07 thôn") counts places; only an indicator counted in villages or in
    visits ("kiểm tra 2 thôn") can take it."""
    meta = cat.get(ind)
    words = _unit_words(sc, n)
    return (meta is not None and meta.unit not in ("thôn", "lượt")
            and any(words[:len(w)] == w for w in P.place_words))


_PAREN_AFTER = re.compile(r"[^(),;.\n]{0,30}\(([^)]{0,60})")


def _cumulative_after(sc: Scan, n: Num) -> bool:
    """ "53.061 trường hợp (từ khi triển khai cấp CCCD)": a cumulative remark in the bracket right after."""
    m = _PAREN_AFTER.match(sc.f, n.end)
    if m is None:
        return False
    return any(x.entry.cumulative for x in sc.mentions if m.start(1) <= x.start < m.end(1))


def _twin(cat: Catalogue, ind: str) -> str:
    meta = cat.get(ind)
    return meta.twin if meta and meta.twin else ind


def _restates_whole(sc: Scan, figures: list[ParsedFigure], ind: str, n: Num) -> bool:
    """A name already given another value, repeated after "trong đó": the part is no new value of the whole."""
    return any("trong do" in sc.f[f.span[1]:n.start] for f in figures
               if f.indicator == ind and f.value != n.value and f.span)


def _title_label(sc: Scan, cat: Catalogue, n: Num, figures: list[ParsedFigure], period: PeriodSpec | None,
                 dvc_heading: bool) -> _Label:
    """A number with no name in its clause, on an item line titled "+ Name: …": the title names it, unless it
    already gave a figure for the same period."""
    title = sc.title_span(n.start)
    if title is None:
        return _Label(None, False)
    named = [m for m in sc.mentions if title[0] <= m.start and m.end <= title[1]]
    label = _resolve(cat, named, [], None, None, dvc_heading) if named else _Label(None, False)
    if label.indicator and any(f.indicator == label.indicator and f.period == period for f in figures):
        return _Label(None, False)
    return _Label(label.indicator, False, n.start, label.fuzzy)


def _service_pair(cat: Catalogue, ind: str, measure: str | None) -> str:
    """ "cấp lại, đổi thẻ CCCD 399/587": x/y after a service is x dossiers of the unit's pair measure (online by
    default) out of y received."""
    svc = cat.get(ind)
    target = f"dvc.{svc.service}.{measure or cat.service_pair_measure}" if svc and svc.service else ind
    return target if target in cat else ind


def _remainders_of_pairs(cat: Catalogue, figures: list[ParsedFigure]) -> None:
    """A remainder of a pair is stored with its whole: "866/1.714, còn lại 848" -> 848/1.714."""
    for f in figures:
        meta = cat.get(f.indicator)
        if meta is None or not meta.remainder_of or meta.whole or f.denominator is not None:
            continue
        part = next((g for g in figures if g.indicator == meta.remainder_of and g.denominator is not None), None)
        if part is not None:
            f.denominator = part.denominator


_UNIT_AFTER = re.compile(r"[ \t]*([a-z]+)(?:[ \t]+([a-z]+))?")


def _unit_words(sc: Scan, n: Num) -> tuple[str, ...]:
    m = _UNIT_AFTER.match(sc.f, n.end)
    return tuple(w for w in m.groups() if w) if m else ()


def _unit_sibling(sc: Scan, cat: Catalogue, last: str | None, n: Num) -> str | None:
    """The indicator the last one names for the unit typed after this number ("… 3 hồ sơ và 3 tài khoản")."""
    meta = cat.get(last) if last else None
    words = _unit_words(sc, n)
    for unit, target in (meta.by_unit.items() if meta else ()):
        key = phrase_key(unit)
        if words[:len(key)] == key:
            return target
    return None


_SPECIFIC_UNITS = {"buổi", "cái", "tin bài", "văn bản", "cơ sở", "mô hình", "thôn"}


@lru_cache(maxsize=8)
def _unit_index(cat: Catalogue) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """(section, folded unit) -> indicators counted in that unit, for units that tell indicators apart."""
    out: dict = {}
    named_only = {t for ind in cat.indicators.values() for t in ind.by_unit.values()}
    for ind in cat.indicators.values():
        if ind.by_unit or ind.id in named_only:
            continue  # a named group ("họp thôn", "nhóm ưu tiên 1") is reached by its name only
        if ind.unit in _SPECIFIC_UNITS:
            out.setdefault((ind.section, phrase_key(ind.unit)), []).append(ind.id)
    return out


def _by_unit(sc: Scan, cat: Catalogue, ind: str | None, n: Num) -> str | None:
    """The unit typed after the number picks the sibling counted in it: "tuyên truyền 3 buổi" -> the meetings."""
    i = cat.get(ind) if ind else None
    words = _unit_words(sc, n)
    if i is None or not words:
        return ind
    own = _unit_sibling(sc, cat, ind, n)
    if own:
        return own
    for key in (words[:2], words[:1]):
        same = _unit_index(cat).get((i.section, key), [])
        if same:
            return same[0] if len(same) == 1 and phrase_key(i.unit) != key else ind
    return ind


def _post_phrase(sc: Scan, mentions: list[Mention], n: Num, nxt: Num | None) -> tuple[list[Mention], int]:
    """Mentions right after the number ("60 hồ sơ CCCD", "224 tài khoản định danh điện tử mức 1")."""
    out: list[Mention] = []
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


def _attach_rates(sc: Scan, values: list[Num], owner: dict[int, ParsedFigure | None], percents: list[Num],
                  unmatched: list[str]) -> None:
    """A stated percentage belongs to the number just before it in its clause ("13.274/13.303 = 100%"), or,
    when it comes first ("đạt 94,4% (6.065/6.425)"), to the next one."""
    starts = [n.start for n in values]
    for p in percents:
        seg = sc.last_boundary(p.start)
        i = bisect_left(starts, p.start)
        before = values[i - 1] if i > 0 else None
        if before and before.start >= seg and before.end <= p.start and ")" not in sc.f[before.end:p.start]:
            num: Num | None = before
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
