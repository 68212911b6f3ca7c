"""Small SQL helpers that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Insert, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import Base


def is_postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


@cache
def _insert_if_absent(postgres: bool, model: type[Base]) -> Insert:
    """Built once per table (every update claims its id with it); the values come as parameters."""
    dialect = postgresql if postgres else sqlite
    return dialect.insert(model).on_conflict_do_nothing().returning(*inspect(model).primary_key)


def insert_if_absent(s: Session, model: type[Base], values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True if this call inserted the row, False if it existed (also when a
    concurrent transaction inserted it first)."""
    return s.execute(_insert_if_absent(is_postgres(s), model), values).first() is not None
