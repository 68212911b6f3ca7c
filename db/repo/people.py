"""Units, officers, channel identities, memberships and invites."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from common import clock
from common.errors import InvalidInput
from db.models import Identity, Invite, Membership, Officer, Unit, utcnow

ROLES = ("reporter", "approver", "admin", "tong_hop")  # tong_hop: a province reads its communes


def _known(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"Vai trò «{role}» chưa đúng; chọn một trong: {', '.join(ROLES)}.")


def unit_by_code(s: Session, code: str) -> Unit | None:
    return s.scalar(select(Unit).where(Unit.code == code))


def officer_by_identity(s: Session, channel: str, external_id: str) -> Officer | None:
    return s.scalar(select(Officer).join(Identity).where(Identity.channel == channel,
                                                         Identity.external_id == external_id))


# Built once: every update starts with it (parameters: channel, external_id).
_OFFICER_WITH_MEMBERSHIPS = (
    select(Officer, Membership, Unit).join(Identity, Identity.officer_id == Officer.id)
    .outerjoin(Membership, and_(Membership.officer_id == Officer.id, Membership.active.is_(True)))
    .outerjoin(Unit, Unit.id == Membership.unit_id)
    .where(Identity.channel == bindparam("channel"), Identity.external_id == bindparam("external_id"))
    .options(contains_eager(Membership.unit)).order_by(Membership.id))


def officer_with_memberships(s: Session, channel: str, external_id: str) -> tuple[Officer | None, list[Membership]]:
    """The officer behind a channel identity and their active memberships (units loaded), in one statement."""
    rows = s.execute(_OFFICER_WITH_MEMBERSHIPS, {"channel": channel, "external_id": external_id}).all()
    if not rows:
        return None, []
    return rows[0][0], [m for _, m, _ in rows if m is not None]


def link_identity(s: Session, officer: Officer, channel: str, external_id: str) -> Identity:
    ident = s.scalar(select(Identity).where(Identity.channel == channel, Identity.external_id == external_id))
    if ident is None:
        ident = Identity(officer_id=officer.id, channel=channel, external_id=external_id)
        s.add(ident)
        s.flush()
    return ident


def active_memberships(s: Session, officer_id: int) -> list[Membership]:
    return list(s.scalars(select(Membership).options(joinedload(Membership.unit))
                          .where(Membership.officer_id == officer_id, Membership.active.is_(True))
                          .order_by(Membership.id)))


def roles_in_unit(s: Session, officer_id: int, unit_id: int) -> set[str]:
    return {m.role for m in active_memberships(s, officer_id) if m.unit_id == unit_id}


def unit_ids_ever(s: Session, officer_id: int | None) -> set[int]:
    """Units the officer is or was a member of (revoked memberships included)."""
    return set(s.scalars(select(Membership.unit_id).where(Membership.officer_id == officer_id)))


def grant(s: Session, officer: Officer, unit: Unit, role: str) -> Membership:
    _known(role)
    m = s.scalar(select(Membership).where(Membership.officer_id == officer.id, Membership.unit_id == unit.id,
                                          Membership.role == role))
    if m is None:
        m = Membership(officer_id=officer.id, unit_id=unit.id, role=role)
        s.add(m)
    m.active, m.revoked_at = True, None
    s.flush()
    return m


def revoke_all(s: Session, officer_id: int, unit_id: int) -> int:
    n = 0
    for m in active_memberships(s, officer_id):
        if m.unit_id == unit_id:
            m.active, m.revoked_at = False, utcnow()
            n += 1
    s.flush()
    return n


def approvers_of(s: Session, unit_id: int) -> list[Officer]:
    rows = s.scalars(select(Membership).where(Membership.unit_id == unit_id, Membership.role == "approver",
                                              Membership.active.is_(True)))
    return [m.officer for m in rows]


def create_invite(s: Session, unit: Unit, role: str, created_by: int | None, days: int = 7) -> Invite:
    _known(role)
    inv = Invite(code=secrets.token_hex(4).upper(), unit_id=unit.id, role=role, created_by=created_by,
                 expires_at=clock.now() + timedelta(days=days))
    s.add(inv)
    s.flush()
    return inv


def invite_by_code(s: Session, code: str) -> Invite | None:
    return s.scalar(select(Invite).where(Invite.code == code.strip().upper()))
