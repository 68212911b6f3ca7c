"""Wiring: settings -> database -> engine. Used by the CLI and by tests."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.engine import Engine
from common.logs import setup_logging
from common.settings import Settings
from db import migrate
from db.models import Unit
from db.session import Database


def secrets_of(settings: Settings) -> list[str]:
    vals = [settings.telegram_bot_token, settings.telegram_webhook_secret, settings.zalo_bot_token,
            settings.zalo_webhook_secret, settings.llm_api_key, settings.download_link_secret]
    return [v.get_secret_value() for v in vals if v is not None]


def build(settings: Settings, upgrade: bool = True) -> tuple[Database, Engine]:
    settings.ensure_dirs()
    setup_logging(settings.log_level, secrets_of(settings))
    if upgrade:
        migrate.upgrade(settings.db_url)
    db = Database(settings.db_url)
    return db, Engine(db, settings)


def is_empty(db: Database) -> bool:
    with db.session() as s:
        return not s.scalar(select(func.count()).select_from(Unit))
