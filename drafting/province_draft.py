"""The province's draft: the provincial report shape — results by the 5 utility groups of QĐ 06 and the
essential public services, from the totals of the communes' approved reports (plus the province's own figures),
compared with last period by code; an appendix table of every commune with its report status and key rates.

Consolidating units (a province, or a legacy district with communes below it) get this draft from the same
/duthao, /trinh, /duyet flow as a commune (drafting/versions.py picks it).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from common import clock
from db.models import Report
from drafting import unit_structures
from drafting.changes import snapshot
from drafting.from_db import draft_input
from drafting.inputs import DraftInput
from drafting.render import RenderResult, document_context
from drafting.sections import build_body
from drafting.structure import preset
from drafting.wording import in_period
from figures.periods import PREVIOUS_NAMES
from knowledge.catalogue import Catalogue, load_catalogue
from province.completeness import Completeness
from province.key_figures import KEY_FIGURES
from province.overview import overview
from province.rollup import Rollup, roll_up
from province.status import STATUS_NAMES, is_approved


@dataclass
class CommuneRow:
    tt: str
    name: str
    status: str  # "Đã duyệt, đúng hạn"
    values: list[str]  # one per KEY_FIGURES


@dataclass
class ProvinceDraftInput:
    base: DraftInput  # the province's header, signer, narrative; current = totals; history = last period's totals
    totals: Rollup  # communes only (what the table's "Tổng" row shows)
    previous: Rollup | None  # last period's, over the same communes (and the province's own figures)
    not_included: list[str] = field(default_factory=list)  # "xã Tân Lập (chưa có báo cáo)"
    own_count: int = 0  # indicators the province entered itself
    rows: list[CommuneRow] = field(default_factory=list)
    total_row: CommuneRow | None = None


def _status_text(status: str, late: bool) -> str:
    text = STATUS_NAMES[status]
    return f"{text[:1].upper()}{text[1:]}" + ((", trễ hạn" if late else ", đúng hạn") if is_approved(status) else "")


def _rows(cat: Catalogue, ov, completeness: Completeness) -> tuple[list[CommuneRow], list[str]]:
    rows, left_out = [], []
    for n, (unit, st) in enumerate(zip(ov.communes, completeness.rows), 1):
        report = ov.current.reports.get(unit.id)
        values = [""] * len(KEY_FIGURES)
        if is_approved(st.status):  # only approved figures are official
            one = roll_up(cat, ov.period, [unit.code], {unit.code: ov.current.figures_of(report)})
            values = [k.text(one) for k in KEY_FIGURES]
        else:
            left_out.append(f"{unit.name} ({STATUS_NAMES[st.status]})")
        rows.append(CommuneRow(str(n), unit.name, _status_text(st.status, st.late(completeness.now)), values))
    return rows, left_out


PROVINCE_PRESET = "tinh"  # the outline of a province's report unless its admin saved one (knowledge/templates/mau)


def province_input(s: Session, report: Report, report_date: date, tz: str = clock.VIETNAM,
                   now: datetime | None = None) -> ProvinceDraftInput:
    cat = load_catalogue()
    own = draft_input(s, report, report_date)  # the province's own header, signer, narrative and figures
    ov = overview(s, report.unit, own.period, now or clock.now(), tz, cat=cat)
    with_own = ov.rollup(with_own=True)
    previous = ov.comparison(with_own, with_own=True)
    rows, left_out = _rows(cat, ov, ov.completeness)
    communes = ov.rollup()
    total = CommuneRow("", f"Tổng ({communes.coverage} đơn vị đã duyệt)", "",
                       [k.text(communes) for k in KEY_FIGURES])
    saved = unit_structures.current(s, report.unit_id, report.period.kind)
    base = replace(own, current=with_own.as_period_figures(),
                   history=[previous.as_period_figures()] if previous else [],
                   structure=saved.structure if saved.source else preset(PROVINCE_PRESET),
                   source_note=_source_note(own, communes, previous, left_out, len(ov.own_figures)))
    return ProvinceDraftInput(base, communes, previous, left_out, len(ov.own_figures), rows, total)


def _source_note(own: DraftInput, totals: Rollup, previous: Rollup | None, not_included: list[str],
                 own_count: int) -> str:
    """Whose figures the draft sums, who is missing, and what last period's comparison is over."""
    text = f"Số liệu tổng hợp từ báo cáo đã được duyệt của {totals.coverage} đơn vị cấp xã"
    if own_count:
        text += ", cộng số liệu của các sở, ngành của tỉnh"
    text += "."
    if not_included:
        text += f" Chưa có báo cáo được duyệt nên chưa tổng hợp: {', '.join(not_included)}."
    if previous is not None and len(previous.included) < len(totals.included):
        text += (f" So sánh với {PREVIOUS_NAMES[own.period.kind]} trên cùng các đơn vị "
                 f"({len(previous.included)} đơn vị có báo cáo được duyệt cả hai kỳ).")
    return text + " Chi tiết từng đơn vị tại Phụ lục."


def render_province(inp: ProvinceDraftInput, out: Path, cat: Catalogue | None = None) -> RenderResult:
    cat = cat or load_catalogue()
    base = inp.base
    body = build_body(base, cat)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    d = base.report_date
    appendix = {"caption": f"(Kèm theo Báo cáo số      /{base.doc_symbol} ngày {d.day:02d}/{d.month:02d}/{d.year} "
                           f"của {base.unit.short_agency})",
                "title": f"Tình hình báo cáo và một số chỉ tiêu của các đơn vị cấp xã {in_period(base.period)}",
                "rows": inp.rows, "total": inp.total_row} if base.appendix else None
    from docxtpl import DocxTemplate

    from drafting.province_template import PROVINCE_TEMPLATE_PATH  # with python-docx

    tpl = DocxTemplate(str(PROVINCE_TEMPLATE_PATH))
    tpl.render({**document_context(base, body), "appendix": appendix}, autoescape=True)
    tpl.save(str(out))
    warnings = list(body.writer.warnings)
    if not inp.totals.included:
        warnings.append("Chưa có báo cáo cấp xã nào được duyệt trong kỳ nên dự thảo chưa có số liệu tổng hợp.")
    summary = [f"Báo cáo {base.period.label} của {base.unit.name}: tổng hợp {inp.totals.coverage} đơn vị cấp xã "
               f"đã duyệt" + (f" và {inp.own_count} chỉ tiêu của sở, ngành." if inp.own_count else "."),
               f"{len(body.writer.used)} số liệu trong dự thảo; phụ lục: {'có' if appendix else 'không'} "
               "bảng các đơn vị cấp xã."]
    return RenderResult(out, None, warnings, summary, snapshot(base, body))
