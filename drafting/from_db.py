"""A DraftInput from a stored report: the unit's header data, figures, history, narrative and kept reasons."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.vntext import fold
from db.models import Period, Report, Unit
from db.repo import findings as findings_repo
from drafting.inputs import DraftInput, Signer, UnitInfo
from drafting.unit_structures import structure_for
from figures.report_data import history_of, period_figures


def kept_reasons(s: Session, report_id: int) -> dict[str, str]:
    """indicator -> the reason an officer gave when keeping a flagged value (used in the sentence)."""
    out: dict[str, str] = {}
    for f in findings_repo.with_status(s, report_id, "kept"):
        if f.resolution_note.strip() and f.indicators:
            out.setdefault(f.indicators[0], f.resolution_note.strip())
    return out


def draft_input(s: Session, report: Report, report_date: date) -> DraftInput:
    unit = report.unit
    current = period_figures(s, report)
    notes = {f.indicator: f.note for f in current.figures if f.note}
    notes.update(kept_reasons(s, report.id))
    options = report.options or {}
    parent = unit.parent
    return DraftInput(
        unit=UnitInfo(name=unit.name, level=unit.level, place=unit.place_name, agency=unit.agency_name,
                      parent_agency=unit.parent_agency, parent_name=parent.name if parent else "",
                      parent_level=parent.level if parent else ""),
        current=current, report_date=report_date, history=history_of(s, report), request=report.request or "",
        narrative=dict(report.narrative or {}),
        signer=Signer(unit.signer_authority, unit.leader_title, unit.leader_name),
        recipients=list(unit.recipients or []), notes=notes, appendix=bool(options.get("appendix", True)),
        subject=str(options.get("subject") or ""), structure=structure_for(s, unit.id, report.period.kind))


def report_by_label(s: Session, unit_code: str, label: str) -> Report | None:
    """A unit's report by its period label as shown to officers ('tuần 17/11 - 23/11/2026', 'tháng 10/2026')."""
    rows = s.scalars(select(Report).join(Period).join(Unit, Unit.id == Report.unit_id).where(Unit.code == unit_code))
    wanted = fold(label)
    return next((r for r in rows if fold(r.period.label) == wanted), None)
