"""Units created in bulk from a CSV (one province's communes at once) and one invite code per unit.

Columns: code, name, level, parent (header row required; `parent` is the code of an existing unit or of a unit
earlier in the file, empty for a province); optional: place_name, agency_name, leader_name, leader_title,
population. Levels: tinh, huyen (legacy district or an intermediate Tổ công tác), xa (xã, phường, đặc khu),
thon — Vietnamese words are accepted. Nothing is created unless every row is valid. A new unit takes its
parent's reporting calendar and deadlines.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from common.errors import InvalidInput
from common.vntext import fold
from db.models import Invite, Unit
from db.repo import access, people
from db.repo import units as units_repo

REQUIRED = ("code", "name", "level", "parent")
OPTIONAL = ("place_name", "agency_name", "leader_name", "leader_title", "population")
LEVEL_WORDS = {"tinh": "tinh", "huyen": "huyen", "quan": "huyen", "thi xa": "huyen", "xa": "xa", "phuong": "xa",
               "thi tran": "xa", "dac khu": "xa", "thon": "thon", "to dan pho": "thon"}
CALENDAR = ("week_start_weekday", "month_start_day", "report_kinds", "deadline_weekday", "deadline_month_day",
            "deadline_time", "remind_hours")


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    level: str
    parent: str
    extra: dict


def read_units_csv(text: str) -> list[UnitRow]:
    """Parses and validates the whole file; raises InvalidInput listing every problem with its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [fold(h or "").strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"Tệp CSV thiếu cột: {', '.join(missing)} (cần: {', '.join(REQUIRED)}).")
    rows, problems, seen = [], [], set()
    for n, raw in enumerate(reader, start=2):
        rec = {fold(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        level = LEVEL_WORDS.get(fold(rec["level"]))
        code = rec["code"]
        if not code or not rec["name"]:
            problems.append(f"dòng {n}: thiếu mã hoặc tên đơn vị")
        elif code in seen:
            problems.append(f"dòng {n}: mã {code} bị trùng trong tệp")
        if level is None:
            problems.append(f"dòng {n}: cấp «{rec['level']}» không hợp lệ (tinh, huyen, xa, thon)")
        seen.add(code)
        extra = {k: rec[k] for k in OPTIONAL if rec.get(k)}
        pop = extra.pop("population", "").replace(".", "")  # "5.200" as Vietnamese write it
        if pop.isdigit():
            extra["population"] = int(pop)
        elif pop:
            problems.append(f"dòng {n}: dân số «{rec['population']}» không phải là số")
        rows.append(UnitRow(n, code, rec["name"], level or "", rec["parent"], extra))
    if not rows and not problems:
        problems.append("tệp không có dòng dữ liệu nào")
    if problems:
        raise InvalidInput("Không tạo đơn vị nào vì tệp có lỗi:\n" + "\n".join(f"- {p}" for p in problems))
    return rows


def create_units(s: Session, rows: list[UnitRow]) -> list[Unit]:
    """Creates the units in file order (all or nothing: the caller's transaction)."""
    problems = []
    codes = {r.code for r in rows}
    for r in rows:
        if people.unit_by_code(s, r.code) is not None:
            problems.append(f"dòng {r.line}: mã {r.code} đã có trong hệ thống")
        if r.parent and r.parent not in codes and people.unit_by_code(s, r.parent) is None:
            problems.append(f"dòng {r.line}: không có đơn vị cấp trên mã {r.parent}")
    if problems:
        raise InvalidInput("Không tạo đơn vị nào:\n" + "\n".join(f"- {p}" for p in problems))
    created = []
    for r in rows:
        try:
            unit = access.create_unit(s, r.code, r.name, r.level, r.parent or None)
        except ValueError:  # the parent is further down the file
            raise InvalidInput(f"Dòng {r.line}: đơn vị cấp trên {r.parent} phải đứng trước đơn vị cấp dưới.") from None
        for k, v in r.extra.items():
            setattr(unit, k, v)
        if unit.parent is not None:
            for k in CALENDAR:
                setattr(unit, k, getattr(unit.parent, k))
        created.append(unit)
    s.flush()
    return created


def invites_for(s: Session, parent: Unit, role: str, created_by: int | None,
                days: int = 7) -> list[tuple[Unit, Invite]]:
    """One fresh invite code per commune under `parent` (e.g. each commune's first reporter)."""
    out = []
    for unit in units_repo.communes_of(s, parent.id):
        inv = people.create_invite(s, unit, role, created_by, days=days)
        access.audit(s, "invite.create", created_by, unit.id, f"{inv.code} {role} (bulk)")
        out.append((unit, inv))
    return out
