"""Each unit's own report structure, kept per report kind (`unit_templates`): the admin's outline, validated when
saved; a kind without one uses the unit's all-kinds outline, then the built-in default."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.errors import InvalidInput
from db.models import UnitTemplate
from drafting.structure import DEFAULT_PRESET, Structure, parse_outline, preset, presets, to_outline
from figures.periods import KINDS

ALL_KINDS = ""


@dataclass(frozen=True)
class Current:
    structure: Structure
    outline: str
    source: str  # "" = built-in default; chat | cli | learned | preset:<name>
    kind: str  # the kind the outline was saved for ("" = every kind)


def _row(s: Session, unit_id: int, kind: str) -> UnitTemplate | None:
    if kind not in (*KINDS, ALL_KINDS):
        raise InvalidInput(f"Kỳ báo cáo không hợp lệ: {kind!r}.")
    return s.scalar(select(UnitTemplate).where(UnitTemplate.unit_id == unit_id, UnitTemplate.period_kind == kind))


def current(s: Session, unit_id: int, kind: str) -> Current:
    for k in (kind, ALL_KINDS):
        row = _row(s, unit_id, k)
        if row is not None:
            return Current(parse_outline(row.outline), row.outline, row.source, k)
    st = preset(DEFAULT_PRESET)
    return Current(st, to_outline(st), "", ALL_KINDS)


def structure_for(s: Session, unit_id: int, kind: str) -> Structure:
    return current(s, unit_id, kind).structure


def save(s: Session, unit_id: int, kind: str, outline: str, *, source: str, officer_id: int | None = None
         ) -> Structure:
    """Store a unit's outline for `kind` (validated first: a bad outline raises and nothing changes)."""
    st = parse_outline(outline)
    text = to_outline(st)  # stored as shown back, so what the admin sees is what is kept
    row = _row(s, unit_id, kind)
    if row is None:
        row = UnitTemplate(unit_id=unit_id, period_kind=kind, outline=text)
        s.add(row)
    row.outline, row.source, row.updated_by = text, source, officer_id
    s.flush()
    return st


def use_preset(s: Session, unit_id: int, kind: str, name: str, officer_id: int | None = None) -> Structure:
    if name not in presets():
        raise KeyError(name)
    return save(s, unit_id, kind, to_outline(preset(name)), source=f"preset:{name}", officer_id=officer_id)


def reset(s: Session, unit_id: int, kind: str) -> bool:
    """Back to the built-in default for `kind`; True when the unit had its own outline for it."""
    row = _row(s, unit_id, kind)
    if row is None:
        return False
    s.delete(row)
    s.flush()
    return True
