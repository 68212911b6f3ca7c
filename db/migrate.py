"""Run Alembic migrations programmatically (`baocao db upgrade`, tests, the run command).

`upgrade` first compares the database's revision with the migration files' heads (read with `ast`, one
query): a current schema costs a few milliseconds instead of importing and running Alembic (~0.8 s).
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

_HERE = Path(__file__).resolve().parent


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def heads() -> frozenset[str]:
    """Revisions no migration names as its down_revision."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_HERE / "migrations" / "versions").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                target, expr = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, expr = node.target, node.value
            else:
                continue
            name = getattr(target, "id", None)
            if name in ("revision", "down_revision"):
                value = ast.literal_eval(expr)
                values = value if isinstance(value, tuple | list) else (value,)
                (revisions if name == "revision" else parents).update(v for v in values if v)
    return frozenset(revisions - parents)


def is_current(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return set(c.execute(text("SELECT version_num FROM alembic_version")).scalars()) == heads()
    except SQLAlchemyError:  # no database or no version table yet
        return False
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    if revision == "head" and is_current(url):
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
