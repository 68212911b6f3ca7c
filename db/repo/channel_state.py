"""Conversation state per chat and de-duplication of channel updates."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import clock
from db.models import ConversationState, ProcessedUpdate
from db.repo.sql import insert_if_absent


def load_state(s: Session, channel: str, chat_id: str) -> ConversationState:
    st = s.scalar(select(ConversationState).where(ConversationState.channel == channel,
                                                  ConversationState.chat_id == chat_id))
    if st is None:
        st = ConversationState(channel=channel, chat_id=chat_id, flow="", step="", data={})
        s.add(st)
        s.flush()
    return st


def claim_update(s: Session, channel: str, update_id: str) -> bool:
    """Record an update id inside the current transaction. False if it was already processed.

    The row commits or rolls back together with the update's effects, so a crash mid-update leaves
    the update unclaimed and a redelivery is processed again, exactly once in the end.
    """
    return insert_if_absent(s, ProcessedUpdate, {"channel": channel, "update_id": update_id,
                                                           "processed_at": clock.now()})
