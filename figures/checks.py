"""Consistency checks on one period's figures: within the report, against the unit's own history and
against its profile.

Pure functions of plain values (no database), so the chat, `baocao check --json` and the benchmark run
the same engine. Structural rules come from the catalogue (sum rules, `at_most`, `pair`, `remainder`, `twin`, `kind`);
extra comparisons come from knowledge/rules.yaml (figures/rules.py); history rules live in
figures/history_rules.py.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from common.vnnum import fmt_num, fmt_pct, rate
from common.vntext import lower_first
from figures.periods import KIND_NAMES, PREVIOUS_NAMES, Calendar, PeriodSpec, previous_period
from figures.types import FigureInput, PeriodFigures
from knowledge.catalogue import Catalogue, load_catalogue

ERROR, WARNING = "error", "warning"
EPS = 1e-9
RATE_TOLERANCE = 1.0  # percentage points a stated rate may differ from its fraction


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning
    indicators: list[str]
    message: str
    suggestion: str = ""
    values: tuple[float, ...] = ()  # the numbers the finding is about; part of its identity

    @property
    def fingerprint(self) -> str:
        """Stable identity: the same rule on the same indicators with the same numbers is the same finding,
        so one the officer already resolved is not raised again until a number changes."""
        raw = "|".join([self.rule, ",".join(self.indicators), ",".join(_canon(v) for v in self.values)])
        return f"{self.rule}:{hashlib.sha1(raw.encode()).hexdigest()[:20]}"

    def as_dict(self) -> dict:
        out = {"rule": self.rule, "severity": self.severity, "indicators": list(self.indicators),
               "message": self.message}
        if self.suggestion:
            out["suggestion"] = self.suggestion
        return out


def _canon(v: float) -> str:
    return f"{round(float(v), 6):g}"


def num(x: float) -> str:
    return fmt_num(x, 2)


@dataclass
class CheckInput:
    """Everything a rule may look at, indexed once per check."""

    cat: Catalogue
    period: PeriodSpec
    now: dict[str, FigureInput]
    history: list[tuple[PeriodSpec, dict[str, FigureInput]]]  # newest first
    weeks: list[dict[str, FigureInput]]
    profile: dict[str, float]
    complete: bool

    def name(self, indicator: str) -> str:
        ind = self.cat.get(indicator)
        return ind.name if ind else indicator

    def kind(self, indicator: str) -> str | None:
        ind = self.cat.get(indicator)
        return ind.kind if ind else None

    def value(self, indicator: str) -> float | None:
        f = self.now.get(indicator)
        return f.value if f else None

    def previous_label(self, index: int) -> str:
        """'tuần trước' for the period right before this one, else the period's own label."""
        spec = self.history[index][0]
        if spec == period_before(self.period):
            return PREVIOUS_NAMES.get(self.period.kind, "kỳ trước")
        return spec.label

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.period.kind, "kỳ")


Rule = Callable[[CheckInput], Iterable[Finding]]


def check_report(current: PeriodFigures, history: Iterable[PeriodFigures] = (), *,
                 catalogue: Catalogue | None = None, weeks: Iterable[PeriodFigures] = (),
                 profile: dict | None = None, complete: bool = True) -> list[Finding]:
    """All findings for `current`, errors first.

    history: earlier reports of the same unit and period kind, newest first. weeks: weekly reports inside
    a monthly (or longer) period. profile: e.g. {"population": 5800, "population_14plus": 4700}.
    complete=False while figures are still arriving: rules about absent figures are skipped.
    """
    from figures import history_rules, rules

    cat = catalogue or load_catalogue()
    cx = CheckInput(
        cat=cat, period=current.period, now=current.by_indicator(),
        history=[(h.period, h.by_indicator()) for h in history],
        weeks=[w.by_indicator() for w in weeks if current.period.kind != "tuan"],
        profile={k: float(v) for k, v in (profile or {}).items() if isinstance(v, (int, float)) and v},
        complete=complete,
    )
    found: list[Finding] = []
    seen: set[str] = set()
    for rule in (*STRUCTURAL_RULES, rules.extra_rules, *history_rules.HISTORY_RULES):
        for f in rule(cx):
            if f.fingerprint not in seen:
                seen.add(f.fingerprint)
                found.append(f)
    found.sort(key=lambda f: f.severity != ERROR)  # stable: errors first, then rule order
    return found


# --- rules within one report ---------------------------------------------------------------------

def negative_values(cx: CheckInput) -> Iterator[Finding]:
    for ind, f in cx.now.items():
        for v in (f.value, f.denominator):
            if v is not None and v < 0:
                yield Finding("value.negative", ERROR, [ind], f"{cx.name(ind)}: {num(v)} là số âm.",
                              "Nhập lại số không âm.", (v,))
                break


def sums(cx: CheckInput) -> Iterator[Finding]:
    for parent, parts in cx.cat.sum_rules():
        total = cx.value(parent)
        if total is None:
            continue
        given = [(p, cx.now[p].value) for p in parts if p in cx.now]
        if not given:
            continue
        s = sum(v for _, v in given)
        terms = " + ".join(num(v) for _, v in given)
        inds = [parent, *(p for p, _ in given)]
        values = (total, *(v for _, v in given))
        if len(given) == len(parts) and abs(s - total) > EPS:
            yield Finding("sum.mismatch", ERROR, inds,
                          f"{cx.name(parent)}: {terms} = {num(s)}, không phải {num(total)}.",
                          f"Nếu các số thành phần đúng thì tổng là {num(s)}; nếu tổng đúng, "
                          f"vui lòng kiểm tra lại các số thành phần.", values)
        elif len(given) < len(parts) and s > total + EPS:
            yield Finding("sum.parts_exceed", ERROR, inds,
                          f"{cx.name(parent)}: {num(total)} nhỏ hơn tổng các phần đã nhập "
                          f"({terms} = {num(s)}).",
                          f"Tổng ít nhất phải là {num(s)}.", values)


def parts_within_whole(cx: CheckInput) -> Iterator[Finding]:
    for ind, f in cx.now.items():
        meta = cx.cat.get(ind)
        whole = meta.at_most if meta else None
        w = cx.value(whole) if whole else None
        if whole is not None and w is not None and f.value > w + EPS:
            yield Finding("part.exceeds_whole", ERROR, [ind, whole],
                          f"{cx.name(ind)} ({num(f.value)}) lớn hơn {lower_first(cx.name(whole))} ({num(w)}).",
                          "Số này là một phần của số kia nên không thể lớn hơn; vui lòng kiểm tra lại.",
                          (f.value, w))
        if f.denominator is not None and f.value > f.denominator + EPS:
            yield Finding("pair.exceeds_denominator", ERROR, [ind],
                          f"{cx.name(ind)}: {num(f.value)}/{num(f.denominator)}, số đã thực hiện lớn hơn "
                          f"tổng số cần thực hiện.",
                          "Kiểm tra lại số đã thực hiện hoặc tổng số.", (f.value, f.denominator))


def stated_rates(cx: CheckInput) -> Iterator[Finding]:
    """A rate the officer wrote must match its fraction, up to rounding or truncation."""
    for ind, f in cx.now.items():
        if f.rate is None:
            continue
        den = rate_base(cx, ind, f)
        actual = rate(f.value, den) if den else None
        if den is None or actual is None or f.value > den + EPS:
            continue
        values = (f.value, den, f.rate)
        shown = fmt_pct(actual, 1 if abs(actual - round(actual)) > 0.05 else 0)
        if not rate_agrees(f.rate, actual):
            yield Finding("rate.mismatch", ERROR, [ind],
                          f"{cx.name(ind)}: {num(f.value)}/{num(den)} = {shown}, không phải {fmt_pct(f.rate, 2)}.",
                          f"Sửa tỷ lệ thành {shown}.", values)
        elif f.rate >= 100 - EPS and f.value < den - EPS:
            yield Finding("rate.not_full", WARNING, [ind],
                          f"{cx.name(ind)}: {num(f.value)}/{num(den)} = {fmt_pct(actual, 2)}, chưa đạt 100% "
                          f"(còn {num(den - f.value)}).",
                          f"Ghi {fmt_pct(below_100(actual))} thay cho 100%.", values)


def rate_base(cx: CheckInput, ind: str, f: FigureInput) -> float | None:
    """What a stated rate of `ind` is a share of: its denominator; else the linked whole ("68 66 97%"); for a
    remainder without one, its part's denominator ("866/1.714, còn 848 chiếm 49,5%"); for a part, the whole its
    remainder is counted against ("đã cấp 53.061, đạt 84%" of the 62.989 in age)."""
    if f.denominator is not None:
        return f.denominator
    meta = cx.cat.get(ind)
    if meta is None:
        return None
    if meta.at_most:
        return cx.value(meta.at_most)
    if meta.remainder_of and meta.remainder_of in cx.now:
        return cx.now[meta.remainder_of].denominator
    rest = cx.cat.get(cx.cat.remainder_for(ind) or "")
    return cx.value(rest.whole) if rest and rest.whole else None


def remainders(cx: CheckInput) -> Iterator[Finding]:
    """Part + remainder = whole: "đã cấp 7.570, còn lại 3.134" of the 10.704 to issue."""
    for rest, part, whole_id in cx.cat.remainder_rules():
        r, p = cx.now.get(rest), cx.now.get(part)
        if r is None or p is None:
            continue
        whole = cx.value(whole_id) if whole_id else None
        if whole is None:
            whole = r.denominator if r.denominator is not None else p.denominator
        if whole is None or abs(p.value + r.value - whole) <= EPS:
            continue
        yield Finding("remainder.mismatch", ERROR, [part, rest, *([whole_id] if whole_id else [])],
                      f"{cx.name(part)}: {num(p.value)} + còn lại {num(r.value)} = {num(p.value + r.value)}, "
                      f"không phải {num(whole)}.",
                      f"Nếu tổng {num(whole)} đúng thì còn lại là {num(whole - p.value)}; nếu không, vui lòng kiểm "
                      f"tra lại tổng số.", (p.value, r.value, whole))


def rate_agrees(stated: float, actual: float) -> bool:
    if abs(stated - actual) <= RATE_TOLERANCE:
        return True
    decimals = next((d for d in range(4) if abs(round(stated, d) - stated) < EPS), 4)
    scale = 10 ** decimals
    candidates = (round(actual, decimals), math.floor(actual * scale) / scale, math.ceil(actual * scale) / scale)
    return any(abs(stated - c) < EPS for c in candidates)


def below_100(actual: float) -> float:
    """actual < 100 shown with one decimal, or two when one would round it up to 100."""
    r = round(actual, 1)
    return r if r < 100 else math.floor(actual * 100) / 100


STRUCTURAL_RULES: tuple[Rule, ...] = (negative_values, sums, parts_within_whole, remainders, stated_rates)


def period_before(p: PeriodSpec) -> PeriodSpec:
    """The period right before `p` in p's own calendar (a week may start on a Thursday, a month on the 16th)."""
    return previous_period(p, Calendar(week_start_weekday=p.start.weekday(), month_start_day=p.start.day))


# --- the contract of `baocao check --json` --------------------------------------------------------

def parse_check_request(d: dict) -> tuple[PeriodFigures, list[PeriodFigures], list[PeriodFigures], dict]:
    """{"period", "figures", "history"?, "weeks"?, "profile"?} -> (current, history, weeks, profile).

    A history entry without "period" is taken as the period before the previous entry (newest first).
    Raises ValueError / KeyError / TypeError on malformed input.
    """
    if not isinstance(d, dict):
        raise ValueError("the input must be a JSON object")
    current = PeriodFigures.from_dict(d)
    history: list[PeriodFigures] = []
    prev = current.period
    for h in d.get("history") or []:
        if not isinstance(h, dict):
            raise ValueError("each history entry must be an object")
        prev = PeriodSpec.from_dict(h["period"]) if h.get("period") else period_before(prev)
        history.append(PeriodFigures(prev, [FigureInput.from_dict(f) for f in h.get("figures", [])]))
    weeks = [PeriodFigures.from_dict(w) for w in d.get("weeks") or []]
    profile = d.get("profile") or {}
    if not isinstance(profile, dict):
        raise ValueError("profile must be an object")
    return current, history, weeks, profile
