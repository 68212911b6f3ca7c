"""A unit's catalogue: the shared indicators plus the unit's own ("chỉ tiêu riêng", table `unit_indicators`).

Everything that reads or writes one unit's figures (the parser in chat, the quick form, progress, checks, the
draft) takes its catalogue from here, so an indicator an admin adds in chat is known everywhere at once.

Figure messages stay within their statement budget: the process keeps each unit's rows with the unit's
`indicators_revision` (read with the unit, which the update has loaded anyway) and reads them again only when the
revision differs — another process's change is seen on the next update. `catalogue_for` caches the catalogue
built from one set of rows.
"""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from common.errors import InvalidInput
from db.models import Unit, UnitIndicator
from db.repo import indicators
from knowledge.catalogue import Catalogue, Extension, catalogue_for, load_catalogue

log = logging.getLogger(__name__)
_KEY = "unit_catalogues"
# (database, unit id) -> (the unit's indicators_revision, its own indicators)
_rows: dict[tuple[str, int], tuple[int, tuple[Extension, ...]]] = {}


def as_extension(row: UnitIndicator) -> Extension:
    return Extension(name=row.name, unit=row.measure, section=row.section, parent=row.parent, kind=row.kind,
                     aliases=list(row.aliases or []), code=row.code)


def unit_catalogue(s: Session, unit_id: int | None) -> Catalogue:
    """The catalogue of `unit_id` (the shared one when None or when the unit has no own indicators)."""
    if unit_id is None:
        return load_catalogue()
    cache = s.info.get(_KEY)
    if cache is None:
        cache = s.info[_KEY] = {}
        if not event.contains(s, "after_soft_rollback", _drop):
            event.listen(s, "after_soft_rollback", _drop)
    if unit_id not in cache:
        cache[unit_id] = _build(unit_id, _extensions(s, unit_id))
    return cache[unit_id]


def _extensions(s: Session, unit_id: int) -> tuple[Extension, ...]:
    unit = s.get(Unit, unit_id)
    revision = unit.indicators_revision if unit is not None else 0
    key = (str(s.get_bind().engine.url), unit_id)
    kept = _rows.get(key)
    if kept is not None and kept[0] == revision:
        return kept[1]
    exts = tuple(as_extension(r) for r in indicators.of_unit(s, unit_id)) if revision else ()
    if unit_id not in s.info.get("indicators_changed", ()):  # not kept while this transaction may roll back
        _rows[key] = (revision, exts)
    return exts


def _build(unit_id: int, exts: tuple[Extension, ...]) -> Catalogue:
    try:
        return catalogue_for(exts)
    except InvalidInput:  # e.g. the shared catalogue gained an indicator of the same name: keep the unit working
        kept: list[Extension] = []
        for e in exts:
            try:
                catalogue_for([*kept, e])
                kept.append(e)
            except InvalidInput as err:
                log.warning("unit %s: own indicator %s left out: %s", unit_id, e.indicator_id, err.message_vi)
        return catalogue_for(kept)


def _drop(s: Session, _previous) -> None:
    """A rollback (an officer error undoes a handler's writes) may have undone a change of own indicators."""
    s.info.pop(_KEY, None)


def forget(s: Session, unit_id: int) -> None:
    """After the unit's own indicators changed in this transaction: read them again."""
    s.info.get(_KEY, {}).pop(unit_id, None)
