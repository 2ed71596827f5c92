"""search: spelling-proof terms per document, a trigram vocabulary for typos, saved searches per user

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:40:00

A clerk who types `Alhasan`, `Sirotenko`, `Сиротенко` or `12/11/05` found nothing because the full-text
index knows only the words as written. `search_terms` holds, per document, the romanisation-proof forms of
its person's names, its dates and its numbers (`classifiers.search_terms`), with the document type beside
them so the reader's rights filter the lookup itself. `search_vocab` holds each name form once, with a
trigram index (FTS5 `trigram` on SQLite, pg_trgm on PostgreSQL) to find forms a typo away. Existing
documents are indexed here from the full-text index's names and fields.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=80), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("term", "document_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_search_terms_document_id", "search_terms", ["document_id"])
    if sqlite:
        op.execute("CREATE VIRTUAL TABLE search_vocab USING fts5(term, tokenize = 'trigram')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE TABLE search_vocab (term varchar(80) PRIMARY KEY)")
        op.execute("CREATE INDEX ix_search_vocab_trgm ON search_vocab USING gin (term gin_trgm_ops)")
        # Index-only lookups: term -> (document, type) without visiting the table.
        op.execute("CREATE INDEX ix_search_terms_covering ON search_terms (term) INCLUDE (document_id, doc_type)")
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_saved_searches_user_id", "saved_searches", ["user_id"])
    _backfill(sqlite)


def _backfill(sqlite: bool) -> None:
    from storage import name_index  # the same code that indexes new documents

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT document_id, doc_type, names, fields FROM search_index")).fetchall()
    for document_id, doc_type, names, fields in rows:
        name_index.write_terms(conn, document_id, doc_type, names, fields)


def downgrade() -> None:
    op.drop_index("ix_saved_searches_user_id", table_name="saved_searches")
    op.drop_table("saved_searches")
    op.execute("DROP TABLE search_vocab")
    op.drop_index("ix_search_terms_document_id", table_name="search_terms")
    op.drop_table("search_terms")
