"""Channel updates not processed on arrival: held ones (the sender's pace limit postponed them; processed later,
in order) and failed ones (given up after repeated failures; acknowledged to the channel and kept for an admin)."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.models import FailedUpdate, HeldUpdate, ProcessedUpdate


def seen(s: Session, channel: str, update_id: str) -> bool:
    """True when the update was processed already or is waiting among the held ones (a redelivery)."""
    for model in (ProcessedUpdate, HeldUpdate):
        if s.scalar(select(model.id).where(model.channel == channel, model.update_id == update_id)) is not None:
            return True
    return False


def hold(s: Session, channel: str, update_id: str, chat_id: str, user_id: str, incoming: dict) -> None:
    s.add(HeldUpdate(channel=channel, update_id=update_id, chat_id=chat_id, user_id=user_id, incoming=incoming))
    s.flush()


def held_count(s: Session, channel: str, chat_id: str) -> int:
    return s.scalar(select(func.count()).select_from(HeldUpdate)
                    .where(HeldUpdate.channel == channel, HeldUpdate.chat_id == chat_id)) or 0


def oldest_held(s: Session, channel: str, chat_id: str) -> HeldUpdate | None:
    return s.scalar(select(HeldUpdate).where(HeldUpdate.channel == channel, HeldUpdate.chat_id == chat_id)
                    .order_by(HeldUpdate.id).limit(1))


def held_chats(s: Session, channel: str) -> list[str]:
    """Chats with held updates, the longest waiting first."""
    rows = s.execute(select(HeldUpdate.chat_id, func.min(HeldUpdate.id)).where(HeldUpdate.channel == channel)
                     .group_by(HeldUpdate.chat_id).order_by(func.min(HeldUpdate.id)))
    return [chat for chat, _ in rows]


def release(s: Session, row_id: int) -> None:
    s.execute(delete(HeldUpdate).where(HeldUpdate.id == row_id))


def note_failure(s: Session, row_id: int, error: str) -> int:
    """Counts a failed attempt at a held update; returns the attempts so far."""
    row = s.get_one(HeldUpdate, row_id)
    row.attempts += 1
    row.last_error = error[:2000]
    return row.attempts


def record_failed(s: Session, channel: str, update_id: str, payload: dict, error: str, attempts: int) -> None:
    s.add(FailedUpdate(channel=channel, update_id=update_id, payload=payload, error=error[:4000],
                       attempts=attempts))
    s.flush()


def failed_updates(s: Session, limit: int = 50) -> list[FailedUpdate]:
    """The most recent failed updates, newest first."""
    return list(s.scalars(select(FailedUpdate).order_by(FailedUpdate.id.desc()).limit(limit)))
