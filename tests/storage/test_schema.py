"""The migrations and the models describe the same schema, and a database opens at the newest revision."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage import Archive
from storage.db import HEAD_REVISION, MIGRATIONS, current_revision
from storage.models import Base


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_an_opened_archive_is_migrated_and_matches_the_models(archive: Archive) -> None:
    assert current_revision(archive.engine) == HEAD_REVISION
    with archive.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # The search index is dialect-specific DDL outside the models (FTS5 table + rowid map / tsvector table),
    # and so is the trigram vocabulary of name forms (FTS5 trigram table / pg_trgm index).
    outside = ("search_index", "search_rowids", "search_vocab", "ix_search_terms_covering")
    unexplained = [d for d in diff if not any(name in repr(d) for name in outside)]
    assert unexplained == []
