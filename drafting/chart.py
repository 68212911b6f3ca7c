"""A line chart of the main indicators over the last periods (PNG), for the appendix and the chat.

Drawn on matplotlib's Agg canvas directly (no pyplot global state), so it is safe in a bot process. matplotlib
is imported when a chart is drawn (~0.7 s): the bot's start and its first reply do not wait for it.
"""
from __future__ import annotations

from pathlib import Path

from common.vnnum import fmt_int
from figures.periods import PeriodSpec
from figures.types import PeriodFigures

# indicator -> legend label; comparable magnitudes so one axis reads well
MAIN_INDICATORS = {
    "cccd.thu_nhan": "Hồ sơ cấp CCCD",
    "dinh_danh.ho_so": "Hồ sơ định danh điện tử",
    "dinh_danh.kich_hoat": "Tài khoản định danh được kích hoạt",
    "tthc.tiep_nhan": "Hồ sơ TTHC tiếp nhận",
}
MAX_PERIODS = 8
TITLE = "Một số chỉ tiêu chính qua các kỳ báo cáo"


def short_label(p: PeriodSpec) -> str:
    if p.kind in ("tuan", "dot_xuat"):
        return f"{p.start.day}/{p.start.month}-{p.end.day}/{p.end.month}"
    if p.kind == "thang":
        return f"{p.end.month:02d}/{p.end.year}"
    if p.kind == "quy":
        return f"Q{(p.start.month - 1) // 3 + 1}/{p.start.year}"
    if p.kind == "sau_thang":
        return f"6T{'1' if p.start.month <= 6 else '2'}/{p.start.year}"
    return str(p.start.year)


def render_chart(current: PeriodFigures, history: list[PeriodFigures], out: Path) -> Path | None:
    """Draw the last periods of the current kind, oldest first; None when fewer than two carry data."""
    same = [h for h in history if h.period.kind == current.period.kind and h.period.end < current.period.start]
    series = sorted(same, key=lambda h: h.period.end)[-(MAX_PERIODS - 1):] + [current]
    lines = {}
    for ind, label in MAIN_INDICATORS.items():
        values = [pf.by_indicator().get(ind) for pf in series]
        if sum(v is not None for v in values) >= 2:
            lines[label] = [v.value if v is not None else float("nan") for v in values]
    if not lines:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.3, 3.2), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = list(range(len(series)))
    for label, ys in lines.items():
        ax.plot(xs, ys, marker="o", linewidth=1.6, markersize=3.5, label=label)
    ax.set_xticks(xs, [short_label(pf.period) for pf in series], fontsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.set_major_formatter(lambda v, _: fmt_int(v))
    top = max((y for ys in lines.values() for y in ys if y == y), default=1.0)
    ax.set_ylim(0, top * 1.35 or 1)  # headroom for the legend
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(TITLE, fontsize=9)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.1)  # fixed: tight_layout drew it twice
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png")
    return out
