"""Settings are typed, validated once, and come from DACH_* variables or dach.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from schemas.settings import Settings


def test_with_nothing_set_the_embedded_default_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.effective_database_url == "sqlite:///var/dach.sqlite"
    assert not settings.uses_s3


def test_a_plain_postgresql_url_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DACH_DATABASE_URL", "postgresql://dach@db:5432/dach")
    assert Settings().effective_database_url == "postgresql+psycopg://dach@db:5432/dach"


def test_nested_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DACH_LIMITS__MAX_PAGES", "12")
    assert Settings().limits.max_pages == 12


def test_unknown_and_invalid_values_fail_with_the_variable_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DACH_OCR_WORKERS", "0")
    with pytest.raises(ValidationError, match="ocr_workers"):
        Settings()


def test_an_s3_endpoint_is_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DACH_S3_ENDPOINT", "http://minio:9000")
    with pytest.raises(ValidationError, match="host:port"):
        Settings()


def test_settings_come_from_dach_toml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "dach.toml").write_text('languages = "deu"\n[limits]\nmax_pages = 3\n')
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.languages == "deu" and settings.limits.max_pages == 3


def test_a_misspelt_key_in_dach_toml_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "dach.toml").write_text("langauges = 'deu'\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValidationError, match="langauges"):
        Settings()
