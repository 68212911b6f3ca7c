"""The models and the migrations describe the same schema (tables, columns, types, indexes, constraints)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db import migrate
from db.models import Base
from db.session import make_engine


def test_migrated_schema_matches_the_models(db_url):
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    with eng.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    eng.dispose()
    assert diff == []
