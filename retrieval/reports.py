"""A unit's approved past reports as indexable text, one section per catalogue section.

So "tháng trước mình báo cáo phần tuyên truyền thế nào?" finds the unit's own words and figures. Values
come from stored figures and are formatted with common/vnnum, exactly as drafts show them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.vnnum import fmt_int, fmt_num
from db.models import Report
from figures.unit_catalogue import unit_catalogue

NARRATIVE_HEADINGS = {"chi_dao": "Công tác chỉ đạo", "ton_tai": "Tồn tại, hạn chế",
                      "nhiem_vu": "Nhiệm vụ trọng tâm kỳ tới", "kien_nghi": "Kiến nghị, đề xuất"}


@dataclass(frozen=True)
class ReportDoc:
    key: str
    unit_id: int
    title: str
    issued_on: date
    issuer: str
    text: str


def approved_reports(s: Session, ids: set[int] | None = None) -> list[ReportDoc]:
    """Approved reports as text (only those with `ids`, when given)."""
    q = select(Report).where(Report.status == "approved").order_by(Report.id)
    if ids is not None:
        q = q.where(Report.id.in_(sorted(ids)))
    rows = s.scalars(q).all()
    return [_render(s, r) for r in rows]


def _value(v: float) -> str:
    return fmt_int(v) if float(v).is_integer() else fmt_num(v)


def _render(s: Session, r: Report) -> ReportDoc:
    cat = unit_catalogue(s, r.unit_id)  # the unit's own indicators too
    title = f"Báo cáo kết quả thực hiện Đề án 06 {r.period.label} của {r.unit.name}"
    lines = [title]
    if r.request:
        lines.append(r.request)
    by_section: dict[str, list[str]] = {}
    for f in sorted(r.figures, key=lambda f: f.indicator):
        ind = cat.get(f.indicator)
        if ind is None:
            continue
        value = _value(f.value) + (f"/{_value(f.denominator)}" if f.denominator else "")
        by_section.setdefault(ind.section, []).append(f"- {ind.name}: {value} {ind.unit}")
    n = 0
    for sec in cat.sections:
        if sec.id in by_section:
            n += 1
            lines.append(f"{n}. {sec.name} ({r.period.label})")
            lines.extend(by_section[sec.id])
    for key, heading in NARRATIVE_HEADINGS.items():
        text = (r.narrative or {}).get(key)
        if text:
            n += 1
            lines.append(f"{n}. {heading}")
            lines.append(str(text))
    return ReportDoc(f"report:{r.id}", r.unit_id, title, r.period.end, r.unit.name, "\n".join(lines))
