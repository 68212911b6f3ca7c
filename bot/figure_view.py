"""Figures as short, table-like Vietnamese lines for a phone screen: name, value (with denominator or
rate), unit. Numbers come from stored figures and are written in Vietnamese style (2.291; 58,8%).
"""
from __future__ import annotations

from collections.abc import Collection

from knowledge.catalogue import Catalogue
from reporting.figures import value_text


def figure_line(cat: Catalogue, indicator: str, value: float, denominator: float | None = None,
                stated_rate: float | None = None, note: str = "") -> str:
    ind = cat.get(indicator)
    line = f"• {ind.name if ind else indicator}: {value_text(ind, value, denominator, stated_rate)}"
    return f"{line} {note}" if note else line


def indicator_label(cat: Catalogue, indicator: str) -> str:
    ind = cat.get(indicator)
    return f"{ind.name} ({ind.unit})" if ind else indicator


def section_order(cat: Catalogue) -> dict[str, int]:
    """Position of every indicator in report order: by section, then as the catalogue lists them."""
    rank = {s.id: n for n, s in enumerate(cat.sections)}
    ids = sorted(cat.indicators, key=lambda i: rank.get(cat.indicators[i].section, len(rank)))
    return {i: n for n, i in enumerate(ids)}


def progress_text(cat: Catalogue, title: str, figures: dict[str, tuple[float, float | None, float | None]],
                  template: list[str], skipped: Collection[str] = frozenset()) -> str:
    """What is filled (grouped by section) and what the template still misses."""
    order = section_order(cat)
    filled_in_template = [i for i in template if i in figures]
    lines = [title, f"Đã có {len(filled_in_template)}/{len(template)} chỉ tiêu theo mẫu."]
    current = None
    for ind_id in sorted(figures, key=lambda i: order.get(i, len(order))):
        ind = cat.get(ind_id)
        section = ind.section if ind else ""
        if section != current:
            current = section
            lines.append("")
            lines.append(_section_name(cat, section) + ":")
        lines.append(figure_line(cat, ind_id, *figures[ind_id]))
    missing = [i for i in template if i not in figures]
    if missing:
        lines.append("")
        lines.append(f"Còn thiếu ({len(missing)}):")
        for sec in cat.sections:
            names = [cat.indicators[i].name + (" (đã bỏ qua)" if i in skipped else "")
                     for i in missing if cat.indicators[i].section == sec.id]
            if names:
                lines.append(f"• {sec.name}: " + "; ".join(names))
    return "\n".join(lines)


def _section_name(cat: Catalogue, section_id: str) -> str:
    for s in cat.sections:
        if s.id == section_id:
            return s.name
    return "Khác"
