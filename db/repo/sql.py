"""Small SQL helpers that behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import Base


def is_postgres(s: Session) -> bool:
    return s.get_bind().dialect.name == "postgresql"


def insert_if_absent(s: Session, model: type[Base], values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: True if this call inserted the row, False if it existed (also when a
    concurrent transaction inserted it first)."""
    dialect = postgresql if is_postgres(s) else sqlite
    stmt = dialect.insert(model).values(**values).on_conflict_do_nothing().returning(*inspect(model).primary_key)
    return s.execute(stmt).first() is not None
