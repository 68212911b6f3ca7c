"""Rules that compare a report with the unit's earlier reports: cumulative figures never decrease, a flow
stays within the growth of its cumulative twin, outliers against the unit's own history (median and MAD,
DHIS2's modified z-score), indicators that stopped being reported, and the weeks of a month vs the month.
"""
from __future__ import annotations

from collections.abc import Iterator
from statistics import median

from common.vntext import lower_first
from figures.checks import EPS, ERROR, WARNING, CheckInput, Finding, Rule, num

Z_LIMIT = 3.5  # modified z-score beyond which a value is an outlier (Iglewicz and Hoaglin)
MIN_ROBUST_HISTORY = 5  # periods needed before median/MAD is trusted; fewer use the ratio bound
RATIO_BOUND = 5.0  # with little history: more than ×5 or under ÷5 the usual level
MIN_RATIO = 2.0  # even a robust outlier must also be ×2 / ÷2 away, so a very steady series does not nag
MIN_COUNT = 10  # counts this small (2 vs 0) are noise, never an alarm
PRECEDENT_MARGIN = 1.5  # within ×1.5 of the highest (÷1.5 of the lowest) value already reported: no alarm
MAD_FLOOR = 0.1  # the MAD is taken as at least 10% of the median, so a steady series is not over-sensitive
MAX_HISTORY = 12
MISSING_STREAK = 3  # an indicator reported in each of the last 3 periods is expected again
COMPLETENESS_RULES = frozenset({"missing.regular"})  # run only once the report is complete


def _past(cx: CheckInput, ind: str) -> list[tuple[int, float]]:
    """(history index, value) of `ind` in the last MAX_HISTORY periods, newest first."""
    return [(i, h[ind].value) for i, (_, h) in enumerate(cx.history[:MAX_HISTORY]) if ind in h]


def cumulative_never_decreases(cx: CheckInput) -> Iterator[Finding]:
    for ind, f in cx.now.items():
        if cx.kind(ind) != "cumulative":
            continue
        past = _past(cx, ind)
        if past and f.value < past[0][1] - EPS:
            i, prev = past[0]
            yield Finding("cumulative.decrease", ERROR, [ind],
                          f"{cx.name(ind)}: {num(f.value)} thấp hơn {cx.previous_label(i)} ({num(prev)}); "
                          f"số lũy kế không thể giảm.",
                          f"Số lũy kế ít nhất là {num(prev)}, trừ khi đã rà soát xóa trùng.", (f.value, prev))


def flow_within_twin_growth(cx: CheckInput) -> Iterator[Finding]:
    for ind, f in cx.now.items():
        meta = cx.cat.get(ind)
        twin = meta.twin if meta else None
        cum = cx.value(twin) if twin else None
        if twin is None or cum is None:
            continue
        past = _past(cx, twin)
        base = past[0][1] if past else 0.0  # without history the cumulative itself bounds the flow
        growth = cum - base
        if growth < -EPS or f.value <= growth + EPS:
            continue  # a decrease is cumulative.decrease's finding
        since = f" so với {cx.previous_label(past[0][0])} ({num(base)} → {num(cum)})" if past else f" ({num(cum)})"
        yield Finding("twin.flow_exceeds_growth", WARNING, [ind, twin],
                      f"{cx.name(ind)} ({num(f.value)}) lớn hơn mức tăng của {lower_first(cx.name(twin))}"
                      f"{since}: chỉ tăng {num(growth)}.",
                      "Kiểm tra lại số trong kỳ hoặc số lũy kế.", (f.value, cum, base))


def outliers(cx: CheckInput) -> Iterator[Finding]:
    for ind, f in cx.now.items():
        if cx.kind(ind) not in ("flow", "stock") or f.value < 0:
            continue
        past = _past(cx, ind)
        if not past:
            continue
        values = [v for _, v in past]
        med = median(values)
        if max(f.value, med) < MIN_COUNT or abs(f.value - med) < MIN_COUNT:
            continue
        if not _is_outlier(f.value, values, med):
            continue
        high = f.value > med
        i, prev = past[0]
        # word it against last period when that shows the jump too, else against the usual level
        if (f.value > prev) == high and _ratio(f.value, prev) >= MIN_RATIO:
            ref, label = prev, cx.previous_label(i)
        else:
            ref, label = med, f"mức thường lệ {len(values)} {cx.kind_name} gần đây"
        yield Finding("outlier.high" if high else "outlier.low", WARNING, [ind],
                      f"{cx.name(ind)}: {num(f.value)}, {_compare(f.value, ref, label)}.",
                      "Nếu số đúng, chọn \"Giữ nguyên và ghi lý do\" (ví dụ: có đợt cao điểm, cấp lưu động); "
                      "nếu nhầm, chọn \"Sửa\".", (f.value,))


def _ratio(a: float, b: float) -> float:
    lo, hi = sorted((a, b))
    return hi / lo if lo > 0 else float("inf")


def _is_outlier(x: float, values: list[float], med: float) -> bool:
    far = _ratio(x, med) >= (RATIO_BOUND if len(values) < MIN_ROBUST_HISTORY else MIN_RATIO)
    if len(values) < MIN_ROBUST_HISTORY or not far:
        return far
    # a level the unit has already reported (within a margin) has precedent; this guards against a small
    # sample's MAD being narrow by chance
    if min(values) / PRECEDENT_MARGIN <= x <= max(values) * PRECEDENT_MARGIN:
        return False
    mad = max(median(abs(v - med) for v in values), MAD_FLOOR * med)
    return mad == 0 or 0.6745 * abs(x - med) / mad > Z_LIMIT


def _compare(x: float, ref: float, label: str) -> str:
    if ref == 0:
        return f"trong khi {label} là 0"
    if x == 0:
        return f"trong khi {label} là {num(ref)}"
    r = x / ref
    if r >= 1:
        return f"cao gấp {num(round(r) if r >= 10 else round(r, 1))} lần {label} ({num(ref)})"
    k = ref / x
    return f"chỉ bằng 1/{num(round(k) if k >= 10 else round(k, 1))} {label} ({num(ref)})"


def missing_regulars(cx: CheckInput) -> Iterator[Finding]:
    """An indicator reported in each of the last periods but absent now (only once the report is complete)."""
    if not cx.complete or len(cx.history) < MISSING_STREAK:
        return
    recent = [h for _, h in cx.history[:MISSING_STREAK]]
    for ind in recent[0]:
        if ind in cx.now or not all(ind in h for h in recent):
            continue
        meta = cx.cat.get(ind)
        if meta and meta.parts and all(p in cx.now for p in meta.parts):
            continue  # derivable from its parts
        yield Finding("missing.regular", WARNING, [ind],
                      f"{cx.name(ind)}: chưa có số liệu kỳ này, trong khi {MISSING_STREAK} {cx.kind_name} gần đây "
                      f"đều báo cáo (gần nhất: {num(recent[0][ind].value)}).",
                      "Nhập số liệu (ghi 0 nếu không phát sinh), hoặc xác nhận kỳ này không báo cáo.", ())


def weeks_within_month(cx: CheckInput) -> Iterator[Finding]:
    """A month's flow cannot be less than the sum of the weeks that lie inside it."""
    if not cx.weeks:
        return
    for ind, f in cx.now.items():
        meta = cx.cat.get(ind)
        if not meta or meta.kind != "flow" or meta.pair:  # pair counts come from lists that repeat across weeks
            continue
        weekly = [w[ind].value for w in cx.weeks if ind in w]
        total = sum(weekly)
        if weekly and total > f.value + EPS:
            yield Finding("weeks.exceed_month", ERROR, [ind],
                          f"{cx.name(ind)}: {cx.kind_name} này {num(f.value)}, nhưng {len(weekly)} tuần trong "
                          f"{cx.kind_name} đã báo cáo tổng {num(total)}.",
                          f"Số của {cx.kind_name} ít nhất là {num(total)}.", (f.value, total))


HISTORY_RULES: tuple[Rule, ...] = (cumulative_never_decreases, flow_within_twin_growth, weeks_within_month,
                                   outliers, missing_regulars)
