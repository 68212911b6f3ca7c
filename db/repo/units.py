"""The unit hierarchy (tỉnh → xã, or tỉnh → huyện → xã for old data) and reports read across many units."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from common.vntext import fold
from db.models import Figure, Membership, Officer, Period, Report, Unit
from db.repo.people import ROLES

REPORTING_LEVEL = "xa"  # xã, phường, đặc khu: the units whose reports a province sums
_LEVEL_WORD = re.compile(r"^(xa|phuong|thi tran|dac khu|huyen|quan|thi xa|thanh pho|tinh)\s+")


def descendants(s: Session, unit_id: int) -> list[Unit]:
    """Every unit below `unit_id`, at any depth (one recursive query)."""
    tree = select(Unit.id).where(Unit.parent_id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return list(s.scalars(select(Unit).where(Unit.id.in_(select(tree.c.id))).order_by(Unit.id)))


def by_place(unit: Unit) -> str:
    """Sort key: the place name without 'xã', 'phường' … ('phường Bắc Sơn' before 'xã Cẩm Thủy')."""
    return _LEVEL_WORD.sub("", fold(unit.name))


def communes_of(s: Session, unit_id: int) -> list[Unit]:
    """The reporting units (communes) below a province or a legacy district, by place name."""
    return sorted((u for u in descendants(s, unit_id) if u.level == REPORTING_LEVEL), key=by_place)


def has_children(s: Session, unit_id: int) -> bool:
    return s.scalar(select(Unit.id).where(Unit.parent_id == unit_id).limit(1)) is not None


def roles_for(s: Session, unit_id: int) -> tuple[str, ...]:
    """The roles an officer can hold in the unit: tong_hop only where there are units below to read."""
    return tuple(r for r in ROLES if r != "tong_hop" or has_children(s, unit_id))


def ancestors(s: Session, unit: Unit) -> list[Unit]:
    """The units above `unit`, nearest first."""
    out, seen = [], {unit.id}
    while unit.parent_id is not None and unit.parent_id not in seen:
        unit = s.get_one(Unit, unit.parent_id)
        seen.add(unit.id)
        out.append(unit)
    return out


def period_row(s: Session, kind: str, start: date, end: date) -> Period | None:
    return s.scalar(select(Period).where(Period.kind == kind, Period.start == start, Period.end == end))


def reports_of(s: Session, unit_ids: list[int], period: Period | None) -> dict[int, Row]:
    """unit id -> its report for `period` as a read-only row (id, unit_id, status, submitted_at, approved_at);
    units without one are absent. Rows, not ORM objects: a province reads hundreds at once."""
    if period is None or not unit_ids:
        return {}
    rows = s.execute(select(Report.id, Report.unit_id, Report.status, Report.submitted_at, Report.approved_at)
                     .where(Report.period_id == period.id, Report.unit_id.in_(unit_ids)))
    return {r.unit_id: r for r in rows}


def figures_of_reports(s: Session, report_ids: list[int]) -> dict[int, list[Row]]:
    """report id -> its figures as rows (indicator, value, denominator, stated_rate, note), in one query."""
    out: dict[int, list[Row]] = {rid: [] for rid in report_ids}
    if report_ids:
        for f in s.execute(select(Figure.report_id, Figure.indicator, Figure.value, Figure.denominator,
                                  Figure.stated_rate, Figure.note)
                           .where(Figure.report_id.in_(report_ids)).order_by(Figure.indicator)):
            out[f.report_id].append(f)
    return out


def officers_with_role(s: Session, unit_ids: list[int], role: str) -> dict[int, list[Officer]]:
    """unit id -> the officers holding `role` there (active memberships)."""
    out: dict[int, list[Officer]] = {}
    if unit_ids:
        rows = s.scalars(select(Membership).where(Membership.unit_id.in_(unit_ids), Membership.role == role,
                                                  Membership.active.is_(True)).order_by(Membership.officer_id))
        for m in rows:
            out.setdefault(m.unit_id, []).append(m.officer)
    return out
