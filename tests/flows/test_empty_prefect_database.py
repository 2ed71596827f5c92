"""A new Prefect home starts from a copy of the empty database a temporary server migrated before (issue 16:
Prefect's migrations were 3.4 of the 6.1 CPU-s a temporary server took to start on a new home)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flows.runtime import keep_prefect_database, seed_prefect_database


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PREFECT_API_DATABASE_CONNECTION_URL", raising=False)
    monkeypatch.delenv("PREFECT_SERVER_DATABASE_CONNECTION_URL", raising=False)
    return tmp_path / "cache" / "dach"


def _migrated(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(home / "prefect.db") as db:
        db.execute("create table alembic_version (version_num text)")
        db.execute("insert into alembic_version values ('head')")


def test_a_new_home_gets_the_database_a_first_server_migrated(tmp_path: Path, cache: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert seed_prefect_database(first) is True, "nothing kept yet: the first server migrates a new database"
    assert not (first / "prefect.db").exists()
    _migrated(first)
    keep_prefect_database(first)
    kept = list(cache.iterdir())
    assert len(kept) == 1 and kept[0].name.endswith("-empty.db"), f"one copy, no part file left: {kept}"
    assert seed_prefect_database(second) is False, "a copy of the kept one: nothing to keep after its start"
    with sqlite3.connect(second / "prefect.db") as db:
        assert db.execute("select version_num from alembic_version").fetchall() == [("head",)]


def test_a_home_with_a_database_or_another_database_is_left_alone(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first"
    _migrated(first)
    keep_prefect_database(first)
    used = tmp_path / "used"
    used.mkdir()
    (used / "prefect.db").write_bytes(b"runs recorded here")
    assert seed_prefect_database(used) is False
    assert (used / "prefect.db").read_bytes() == b"runs recorded here"
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://prefect@db/prefect")
    assert seed_prefect_database(tmp_path / "on-postgres") is False
    assert not (tmp_path / "on-postgres" / "prefect.db").exists()
