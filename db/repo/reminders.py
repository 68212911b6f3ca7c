"""Reminders already sent (one row per officer, unit, period and kind) and where an officer can be reached."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import ConversationState, Identity, ReminderSent


def sent(s: Session, kind: str, period_kind: str, period_start: date) -> set[tuple[int, int]]:
    """(unit id, officer id) pairs already reminded of this period."""
    rows = s.execute(select(ReminderSent.unit_id, ReminderSent.officer_id).where(
        ReminderSent.kind == kind, ReminderSent.period_kind == period_kind, ReminderSent.period_start == period_start))
    return {(u, o) for u, o in rows}


def claim(s: Session, kind: str, unit_id: int, officer_id: int, period_kind: str, period_start: date,
          period_end: date, channel: str) -> bool:
    """Records the reminder inside the caller's transaction; False if it was already sent (by this or another
    worker). The caller writes the message to the outbox in the same transaction, so both or neither persist."""
    try:
        with s.begin_nested():
            s.add(ReminderSent(kind=kind, unit_id=unit_id, officer_id=officer_id, period_kind=period_kind,
                               period_start=period_start, period_end=period_end, channel=channel))
            s.flush()
    except IntegrityError:
        return False
    return True


def reachable_chat(s: Session, officer_id: int, channels: tuple[str, ...]) -> tuple[str, str] | None:
    """(channel, chat id) of the officer on one of `channels`: the one they wrote from last, else the first
    channel in `channels` order they have an account on (private chats: chat id = user id)."""
    accounts = {i.channel: i.external_id for i in s.scalars(
        select(Identity).where(Identity.officer_id == officer_id, Identity.channel.in_(channels)))}
    if not accounts:
        return None
    last = s.scalars(select(ConversationState).where(ConversationState.officer_id == officer_id,
                                                     ConversationState.channel.in_(list(accounts)))
                     .order_by(ConversationState.updated_at.desc()).limit(1)).first()
    if last is not None and accounts.get(last.channel) == last.chat_id:
        return last.channel, last.chat_id
    channel = next(c for c in channels if c in accounts)
    return channel, accounts[channel]
