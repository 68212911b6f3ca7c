from sqlalchemy import inspect

from db import migrate
from db.session import make_engine

TABLES = {"units", "officers", "identities", "memberships", "invites", "periods", "reports", "figures",
          "figure_revisions", "findings", "drafts", "conversation_states", "processed_updates",
          "outgoing_messages", "knowledge_documents", "audit_events", "unit_templates",
          "held_updates", "failed_updates", "unit_indicators"}


def test_upgrade_on_empty_database_creates_schema(db_url):
    migrate.upgrade(db_url)
    migrate.upgrade(db_url)  # a second run is a no-op
    eng = make_engine(db_url)
    names = set(inspect(eng).get_table_names())
    eng.dispose()
    assert names >= TABLES
    assert "alembic_version" in names


def test_downgrade_to_base_and_back(db_url):
    migrate.upgrade(db_url)
    migrate.downgrade(db_url, "base")
    eng = make_engine(db_url)
    assert not TABLES & set(inspect(eng).get_table_names())
    eng.dispose()
    migrate.upgrade(db_url)


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    migrate.upgrade(url)
    eng = make_engine(url)
    with eng.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    eng.dispose()


def test_models_and_migrations_agree(db_url):
    """What the migrations build is what db/models.py declares (tables, columns, types, nullability, indexes)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base

    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    with eng.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    eng.dispose()
    assert diff == []
