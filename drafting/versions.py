"""Draft versions of a report: each rendering is a new `Draft` row and a new file under the drafts dir."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common.vntext import fold
from db.models import Draft, Report
from db.repo import reports
from db.repo.units import has_children
from drafting.changes import Snapshot, changes, summary_lines
from drafting.from_db import draft_input
from drafting.province_draft import province_input, render_province
from drafting.render import RenderResult, render
from figures.unit_catalogue import unit_catalogue


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def versions(s: Session, report_id: int) -> list[Draft]:
    return list(s.scalars(select(Draft).where(Draft.report_id == report_id).order_by(Draft.version)))


def latest(s: Session, report_id: int) -> Draft | None:
    return s.scalar(select(Draft).where(Draft.report_id == report_id).order_by(Draft.version.desc()).limit(1))


def new_version(s: Session, report: Report, drafts_dir: Path, report_date: date, *, created_by: int | None = None,
                note: str = "") -> tuple[Draft, RenderResult]:
    """Render the report as it is now and keep the file as the next version (numbered under the report's
    row lock, so two renders at once get two numbers)."""
    reports.lock(s, report)
    number = (s.scalar(select(func.max(Draft.version)).where(Draft.report_id == report.id)) or 0) + 1
    out = Path(drafts_dir) / _slug(report.unit.code) / f"{_slug(report.period.label)}-v{number}.docx"
    if has_children(s, report.unit_id):  # a province (or a legacy district): the consolidated draft
        result = render_province(province_input(s, report, report_date), out)
    else:
        result = render(draft_input(s, report, report_date), out, cat=unit_catalogue(s, report.unit_id))
    draft = Draft(report_id=report.id, version=number, path=str(out), report_revision=report.revision,
                  sha256=hashlib.sha256(out.read_bytes()).hexdigest(), note=note, created_by=created_by,
                  content=result.snapshot.as_dict() if result.snapshot else {})
    s.add(draft)
    s.flush()
    return draft, result


def changes_since_previous(s: Session, draft: Draft) -> list[str]:
    """One screen on what changed since the version before `draft`; nothing for a first version (or one made
    before versions kept their content)."""
    previous = s.scalar(select(Draft).where(Draft.report_id == draft.report_id, Draft.version < draft.version)
                        .order_by(Draft.version.desc()).limit(1))
    if previous is None:
        return []
    old, new = Snapshot.from_dict(previous.content), Snapshot.from_dict(draft.content)
    if old is None or new is None:
        return []
    unit_id = s.scalar(select(Report.unit_id).where(Report.id == draft.report_id))
    return summary_lines(changes(old, new), unit_catalogue(s, unit_id), previous.version)
