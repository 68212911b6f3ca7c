"""The report's own text and options (narrative parts, the request it answers, draft options): changed only
while the report is editable, under its row lock, each change counted in the report's revision."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import Report
from db.repo import reports


def _editing(s: Session, report: Report) -> Report:
    reports.lock(s, report)
    reports.ensure_editable(report)
    reports.touch(report)
    return report


def set_narrative(s: Session, report: Report, key: str, text: str, *, append: bool = False) -> str:
    """Replace (or append to) one narrative part; returns the part's new text."""
    _editing(s, report)
    old = (report.narrative or {}).get(key, "").strip()
    new = f"{old}\n{text.strip()}" if append and old else text.strip()
    report.narrative = {**(report.narrative or {}), key: new}  # reassign: the JSON column is then dirty
    return new


def set_request(s: Session, report: Report, request: str) -> None:
    _editing(s, report).request = request


def set_option(s: Session, report: Report, name: str, value: Any) -> None:
    _editing(s, report)
    report.options = {**(report.options or {}), name: value}
