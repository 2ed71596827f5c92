"""search index: an insertion order for PostgreSQL, to rank the newest matches of common words

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 06:40:00

SQLite's FTS5 table has its rowid already; PostgreSQL gets an identity column `seq` with a b-tree index, so
search can look at the newest documents first (a seq range ANDed with the full-text index) and stop early.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("ALTER TABLE search_index ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY")
    op.execute("CREATE INDEX ix_search_index_seq ON search_index (seq)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_index_seq")
    op.execute("ALTER TABLE search_index DROP COLUMN seq")
