"""The database connection: engine set-up per dialect and the migrations, run when the archive opens.

SQLite (the embedded default) runs in WAL mode with foreign keys on, and every transaction starts with
`BEGIN IMMEDIATE`: each storage call writes at least an audit entry, so taking the write lock up front avoids
the deadlock-prone upgrade from a read to a write lock. PostgreSQL serialises audit appends by locking the
`audit_head` row instead (see `storage/audit.py`).
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from schemas.errors import StorageError, StoreUnavailable

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest migration; `tests/storage/test_schema.py` checks it against the migration scripts.
HEAD_REVISION = "0012"
_PG_MIGRATION_LOCK = 0x0DAC4  # advisory lock id held while migrating


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed at the end, rolled back on any error; database outages become transient."""
    session = factory()
    try:
        with session.begin():
            yield session
    except OperationalError as exc:
        raise StoreUnavailable(
            f"the record database is not reachable or busy ({exc.orig.__class__.__name__}); "
            "it will be retried. "
            "Check DACH_DATABASE_URL and that the database is running."
        ) from exc
    finally:
        session.close()


@contextmanager
def _migration_lock(engine: Engine, sqlite_path: Path | None) -> Iterator[None]:
    """Only one process migrates at a time (workers starting together would race otherwise)."""
    if sqlite_path is not None:
        with open(sqlite_path.with_suffix(".migrate.lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = engine.dialect.has_table(conn, "alembic_version")
        if not has_table:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, sqlite_path: Path | None = None) -> None:
    """Bring the schema to the newest migration (`alembic upgrade head`), unless it is there already."""
    try:
        if current_revision(engine) == HEAD_REVISION:
            return
        from alembic import command
        from alembic.config import Config

        with _migration_lock(engine, sqlite_path):
            if current_revision(engine) == HEAD_REVISION:
                return
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            with engine.connect() as conn:
                config.attributes["connection"] = conn
                log.info("migrating the record database to %s", HEAD_REVISION)
                command.upgrade(config, "head")
                conn.commit()
    except OperationalError as exc:
        raise StoreUnavailable(
            f"cannot open the record database ({exc.orig}); check DACH_DATABASE_URL and that it is running."
        ) from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"migrating the record database failed: {exc}") from exc
