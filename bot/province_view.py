"""A province's overview as short Vietnamese text for a phone: who has reported, then the totals of the approved
communes with last period's for comparison. Every number comes from stored figures or code arithmetic."""
from __future__ import annotations

from bot.figure_view import figure_line
from common.vnnum import fmt_num
from figures.periods import PREVIOUS_NAMES
from province.completeness import CommuneStatus
from province.deadlines import deadline_text
from province.key_figures import KEY_FIGURES
from province.overview import Overview
from province.status import STATUS_NAMES

MAX_NAMES = 12


def names(rows: list[CommuneStatus], with_status: bool = False) -> str:
    shown = [f"{r.name} ({STATUS_NAMES[r.status]})" if with_status else r.name for r in rows[:MAX_NAMES]]
    more = f" và {len(rows) - MAX_NAMES} đơn vị khác" if len(rows) > MAX_NAMES else ""
    return ", ".join(shown) + more


def completeness_lines(ov: Overview, tz: str) -> list[str]:
    c = ov.completeness
    n = len(c.rows)
    lines = []
    deadlines = {r.deadline for r in c.rows}
    if len(deadlines) == 1:
        due = deadlines.pop()
        lines.append(f"Hạn trình duyệt: {deadline_text(due, tz)}" + (" (đã qua)." if c.now > due else "."))
    approved, late = c.approved, c.late(c.approved)
    line = f"• Đã duyệt: {len(approved)}/{n} (đúng hạn {len(approved) - len(late)}, trễ hạn {len(late)})"
    lines.append(line + (f": trễ hạn — {names(late)}." if late else "."))
    if c.waiting:
        lines.append(f"• Đã trình, chờ lãnh đạo đơn vị duyệt: {len(c.waiting)} — {names(c.waiting)}.")
    missing = c.not_handed_in
    if missing:
        overdue = c.late(missing)
        head = "chưa trình duyệt, đã quá hạn" if len(overdue) == len(missing) else "chưa trình duyệt"
        lines.append(f"• {head[:1].upper() + head[1:]}: {len(missing)} — {names(missing, with_status=True)}.")
    return lines


def _change(value: float, prev: float | None, prev_name: str) -> str:
    if prev is None:
        return ""
    d = value - prev
    if d == 0:
        return f" — bằng {prev_name}"
    return f" — {'tăng' if d > 0 else 'giảm'} {fmt_num(abs(d))} so với {prev_name} ({fmt_num(prev)})"


def totals_lines(ov: Overview) -> list[str]:
    now = ov.rollup()
    if not now.included:
        return ["Chưa có báo cáo nào được duyệt nên chưa có số liệu tổng hợp kỳ này."]
    prev = ov.comparison(now)
    prev_name = PREVIOUS_NAMES[ov.period.kind]
    lines = [f"Số liệu tổng hợp (cộng {now.coverage} đơn vị đã duyệt):"]
    if prev is not None and len(prev.included) < len(now.included):
        lines.append(f"(So sánh với {prev_name} trên cùng các đơn vị; {len(now.included) - len(prev.included)} "
                     f"đơn vị chưa có báo cáo được duyệt {prev_name}.)")
    for i in ov.cat.template(ov.period.kind):
        t = now.totals.get(i)
        if t is None:
            continue
        p = prev.totals.get(i) if prev else None
        lines.append(figure_line(ov.cat, i, t.value, t.denominator) + _change(t.value, p.value if p else None,
                                                                                prev_name))
    rates = [f"{k.header}: {k.text(now)}" for k in KEY_FIGURES if k.as_rate and k.text(now)]
    if rates:
        lines.append("Tỷ lệ tính trên tổng số của các đơn vị đã duyệt: " + "; ".join(rates) + ".")
    own = ov.own_figures
    if own:
        lines.append(f"{ov.unit.name[:1].upper() + ov.unit.name[1:]} đã nhập thêm {len(own)} chỉ tiêu của sở, ngành; "
                     "dự thảo báo cáo cộng cả phần này.")
    return lines


def overview_text(ov: Overview, tz: str) -> str:
    lines = [f"Tổng hợp {ov.period.label} — {ov.unit.name} ({len(ov.communes)} đơn vị cấp xã)."]
    lines += completeness_lines(ov, tz)
    lines += [""] + totals_lines(ov)
    lines.append("\nXem một đơn vị: /donvi TÊN. Xuất bảng Excel: /xuat. Kỳ khác: /tonghop tuần trước, "
                 "/tonghop tháng 10.")
    return "\n".join(lines)
