"""Access management: units, members of a unit, revocation, channel-account link codes, audit trail."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import clock
from common.errors import Conflict, NotFound
from db.models import AuditEvent, LinkCode, Membership, Officer, Unit
from db.repo import people

LINK_CODE_MINUTES = 15


@dataclass(frozen=True)
class Member:
    officer_id: int
    name: str
    roles: tuple[str, ...]
    channels: tuple[str, ...]


def audit(s: Session, action: str, officer_id: int | None, unit_id: int | None, detail: str = "", *,
          report_id: int | None = None) -> None:
    s.add(AuditEvent(officer_id=officer_id, unit_id=unit_id, report_id=report_id, action=action, detail=detail))


def create_unit(s: Session, code: str, name: str, level: str = "xa", parent_code: str | None = None) -> Unit:
    if people.unit_by_code(s, code) is not None:
        raise Conflict(f"Đã có đơn vị mã {code}.")
    parent = people.unit_by_code(s, parent_code) if parent_code else None
    if parent_code and parent is None:
        raise NotFound(f"Không có đơn vị cấp trên mã {parent_code}.")
    unit = Unit(code=code, name=name, level=level, parent_id=parent.id if parent else None, recipients=[])
    s.add(unit)
    s.flush()
    audit(s, "unit.create", None, unit.id, f"{code} {name}")
    return unit


def members(s: Session, unit_id: int) -> list[Member]:
    """Active members of a unit with their roles and linked channels, by name."""
    rows = s.scalars(select(Membership).where(Membership.unit_id == unit_id, Membership.active.is_(True))
                     .order_by(Membership.officer_id, Membership.role))
    by_officer: dict[int, list[Membership]] = {}
    for m in rows:
        by_officer.setdefault(m.officer_id, []).append(m)
    out = []
    for oid, ms in by_officer.items():
        officer = ms[0].officer
        channels = sorted({i.channel for i in officer.identities})
        out.append(Member(oid, officer.display_name, tuple(m.role for m in ms), tuple(channels)))
    return sorted(out, key=lambda m: (m.name, m.officer_id))


def revoke_member(s: Session, unit_id: int, officer_id: int, by_officer_id: int | None) -> int:
    """Ends every role of the officer in the unit. Returns how many roles were revoked."""
    n = people.revoke_all(s, officer_id, unit_id)
    if n:
        audit(s, "member.revoke", by_officer_id, unit_id, f"officer {officer_id}")
    return n


def admins_left_after(s: Session, unit_id: int, officer_id: int) -> int:
    rows = s.scalars(select(Membership).where(Membership.unit_id == unit_id, Membership.role == "admin",
                                              Membership.active.is_(True), Membership.officer_id != officer_id))
    return len(list(rows))


def create_link_code(s: Session, officer: Officer) -> LinkCode:
    lc = LinkCode(code=secrets.token_hex(4).upper(), officer_id=officer.id,
                  expires_at=clock.now() + timedelta(minutes=LINK_CODE_MINUTES))
    s.add(lc)
    s.flush()
    return lc


def redeem_link_code(s: Session, code: str, channel: str, external_id: str) -> Officer | None:
    """Links the channel account to the code's officer. None when the code is unknown, used or expired.

    Raises ValueError when the account already belongs to another officer.
    """
    lc = s.scalar(select(LinkCode).where(LinkCode.code == code.strip().upper()))
    if lc is None or lc.used_at is not None or _aware(lc.expires_at) < clock.now():
        return None
    officer = s.get_one(Officer, lc.officer_id)
    current = people.officer_by_identity(s, channel, external_id)
    if current is not None and current.id != officer.id:
        raise ValueError("account linked to another officer")
    if any(i.channel == channel for i in officer.identities if i.external_id != external_id):
        raise ValueError("officer already has an account on this channel")
    people.link_identity(s, officer, channel, external_id)
    lc.used_at = clock.now()
    audit(s, "identity.link", officer.id, None, channel)
    return officer



def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)  # SQLite returns naive datetimes
