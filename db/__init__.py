"""Storage layer: SQLAlchemy models, engine/session setup, Alembic migrations, repositories.

Imports nothing above it (no bot/, figures/, retrieval/, drafting/).
"""
