"""The production compose file: parsed here because no Docker engine runs on the build machines."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from schemas.settings import env_variable_names

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _environment(service: dict[str, object]) -> dict[str, str]:
    env = service.get("environment") or {}
    assert isinstance(env, dict)
    return {str(k): str(v) for k, v in env.items()}


def test_the_stack_has_every_part_of_production() -> None:
    assert {"postgres", "minio", "prefect-server", "prefect-db", "dach-worker", "dach-web"} <= set(SERVICES)


def test_every_dach_variable_it_sets_is_one_the_settings_know() -> None:
    known = env_variable_names()
    for name, service in SERVICES.items():
        for variable in _environment(service):
            if variable.startswith("DACH_"):
                assert variable in known, f"{name} sets {variable}, which schemas/settings.py does not know"


def test_images_are_pinned_and_minio_has_the_ready_health_check() -> None:
    for name, service in SERVICES.items():
        image = service.get("image", "")
        if "build" not in service:
            assert re.search(r":[\w.\-]+$", image) and not image.endswith(":latest"), f"{name}: pin {image}"
    assert SERVICES["minio"]["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]


def test_prefect_server_keeps_its_own_postgresql_database() -> None:
    url = _environment(SERVICES["prefect-server"])["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert url.startswith("postgresql+asyncpg://") and "@prefect-db:" in url


def test_no_secret_is_committed() -> None:
    for name, service in SERVICES.items():
        for variable, value in _environment(service).items():
            if re.search(r"PASSWORD|SECRET|ACCESS_KEY", variable):
                assert value.startswith("${"), f"{name}.{variable} must come from .env, not the compose file"
    assert not (ROOT / ".env").exists() or ".env" in (ROOT / ".gitignore").read_text()
    assert (ROOT / ".env.example").is_file()


def test_workers_and_web_point_at_the_production_backends() -> None:
    for name in ("dach-worker", "dach-web"):
        env = _environment(SERVICES[name])
        assert env["DACH_DATABASE_URL"].startswith("postgresql://")
        assert env["DACH_S3_ENDPOINT"] == "minio:9000"
