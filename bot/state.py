"""Conversation state, typed: the flow a chat is in, its step, and that flow's own data.

A chat's `conversation_states` row keeps `flow`, `step` and `data`:

    data = {"unit_id": …, "report_id": …,        # what the chat works on, kept across flows
            "buttons": [[label, payload, words]], # the last buttons shown: typed words press them
            "flow": {…}}                          # the current flow's fields (a FlowState subclass)

Every flow declares its state as a FlowState subclass with its name and steps; FLOWS is the table of them
(drawn in docs/ARCHITECTURE.md). In a FREE_TEXT step the flow reads every text first; elsewhere a message that
says what it is (labelled, a filled form, a pasted report) is read by its own handler before the flow. Data that
does not validate (an older version, a hand-edited row) gives the flow's defaults rather than an error.
"""
from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

FLOWS: dict[str, type[FlowState]] = {}


class FlowState(BaseModel):
    model_config = ConfigDict(extra="ignore")
    FLOW: ClassVar[str] = ""
    STEPS: ClassVar[tuple[str, ...]] = ()
    FREE_TEXT: ClassVar[tuple[str, ...]] = ()  # steps where the officer types prose (read as it is, never as figures)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.FLOW:
            if cls.FLOW in FLOWS and FLOWS[cls.FLOW] is not cls:
                raise ValueError(f"two states for flow {cls.FLOW!r}")
            FLOWS[cls.FLOW] = cls

    @classmethod
    def takes_text(cls, flow: str, step: str) -> bool:
        kind = FLOWS.get(flow)
        return kind is not None and step in kind.FREE_TEXT

    @classmethod
    def load(cls, raw: object) -> Self:
        try:
            return cls.model_validate(raw or {})
        except ValidationError:
            return cls()
