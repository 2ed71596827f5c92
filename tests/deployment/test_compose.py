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


def _locked_version(package: str) -> str:
    import tomllib

    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return next(str(p["version"]) for p in lock["package"] if p["name"] == package)


def test_the_prefect_server_is_the_locked_client_version() -> None:
    """A 3.4 server refused the 3.9 client's deployments (`schedules[0].replaces extra_forbidden`): the server runs
    from dach's own image, whose Prefect is the lock's, through `dach prefect-server` (its patient background
    worker, flows/prefect_server.py)."""
    import prefect

    server = SERVICES["prefect-server"]
    assert server["build"] == "." and server["image"] == SERVICES["dach-worker"]["image"] == "dach:local"
    assert server["command"][:2] == ["dach", "prefect-server"]
    assert prefect.__version__ == _locked_version("prefect"), "the environment the image is built from"


def test_every_dach_service_runs_a_command_the_cli_accepts() -> None:
    """The commands compose runs are the ones tested: each parses with dach's own CLI (nothing is run)."""
    import typer.main

    from dach.cli import app

    cli = typer.main.get_command(app)
    seen = set()
    for name, service in SERVICES.items():
        command = service.get("command")
        if service.get("image") != "dach:local" or not command:
            continue
        assert command[0] == "dach", f"{name} runs {command[0]}, not the dach CLI"
        sub = cli.commands[command[1]]  # type: ignore[attr-defined]
        sub.make_context(command[1], list(command[2:]))
        seen.add(command[1])
    assert {"deploy", "worker", "scheduler", "watch", "serve", "prefect-server"} <= seen


def test_every_pool_dach_deploy_fills_has_its_executor_in_the_stack() -> None:
    """`dach deploy` registered the sweep, the dispatcher and the daily checks, but no service ran them: the
    scheduled pool has `dach scheduler`, the intake pool `dach worker`, and no Prefect process worker takes
    either (it would start a process, ~8 CPU-s, for every run)."""
    from flows.scheduled import SCHEDULED_POOL, Scheduler

    commands = {name: list(service.get("command") or []) for name, service in SERVICES.items()}
    executors = {name: command[1] for name, command in commands.items() if command[:1] == ["dach"]}
    assert executors["dach-worker"] == "worker" and executors["dach-scheduler"] == "scheduler"
    assert commands["dach-scheduler"] == ["dach", "scheduler"] and Scheduler().pool == SCHEDULED_POOL
    assert not [name for name, command in commands.items() if command[:2] == ["prefect", "worker"]]
    for name in ("dach-worker", "dach-scheduler"):
        after = SERVICES[name]["depends_on"]["dach-deploy"]["condition"]
        assert after == "service_completed_successfully", f"{name} starts once the deployments exist"


def test_workers_need_no_shared_disk_and_the_scanner_share_is_writable() -> None:
    assert not SERVICES["dach-worker"].get("volumes"), "workers read originals from S3, not from a shared folder"
    assert not SERVICES["dach-web"].get("volumes"), "the web app admits into S3 and the database only"
    (share,) = SERVICES["dach-watch"]["volumes"]
    assert share.endswith(":/srv/scanner:rw")
    assert SERVICES["dach-watch"]["command"][-2:] == ["--inbox", "/srv/scanner"]


def test_the_image_leaves_out_environments_data_and_secrets() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", "var", ".git", ".env", "**/demo-logins.txt"} <= ignored


def test_the_prefect_server_runs_the_services_the_benchmarks_measure() -> None:
    """Compose and the benchmarks take the Prefect server's settings from one file; each is a setting Prefect
    knows (a misspelt one would be ignored without a word), and the scheduler, which makes the runs of the
    scheduled deployments, stays on (issue 12: idle, the default services cost 2.1 % of a core)."""
    from prefect.settings import Settings

    from tests.prefect_server import SETTINGS_FILE, prefect_server_settings

    server = SERVICES["prefect-server"]
    assert server["env_file"] == [SETTINGS_FILE.name] and (ROOT / SETTINGS_FILE.name) == SETTINGS_FILE
    settings = prefect_server_settings()
    inline = {name for name in _environment(server) if name in settings or name.startswith("PREFECT_SERVER_SERVICES_")}
    assert not inline, f"{sorted(inline)} are set in {SETTINGS_FILE.name}, not in docker-compose.yml"
    known = set(Settings().to_environment_variables(exclude_unset=False))
    assert set(settings) <= known, f"not Prefect settings: {sorted(set(settings) - known)}"
    assert settings["PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"] == "true"
    assert settings["PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED"] == "true"
    assert settings["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
