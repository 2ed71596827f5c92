"""`dach serve` runs the web app under a uvicorn whose loop ticks once a second, not ten times (issue 12: an
idle installation costs next to nothing; the idle app's ticks were 0.23 % of a core, three times the rest of
an idle dach)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dach.cli import app


def test_serve_runs_the_app_under_the_once_a_second_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    uvicorn_main = importlib.import_module("uvicorn.main")
    monkeypatch.setattr(uvicorn_main, "Server", uvicorn_main.Server)  # put back whatever serve makes of it
    served: list[Any] = []

    def run(application: Any, **options: Any) -> None:  # what uvicorn.run would build its server from
        served.append((application, options, uvicorn_main.Server))

    monkeypatch.setattr(uvicorn, "run", run)
    env = {"DACH_DATA_DIR": str(tmp_path / "var"), "DACH_CONFIG": "/nonexistent/dach.toml"}
    done = CliRunner().invoke(app, ["serve", "--no-worker", "--port", "8123"], env=env)
    assert done.exit_code == 0, done.output
    ((application, options, server_class),) = served
    assert options["port"] == 8123 and application is not None
    assert getattr(server_class, "dach_patient", False), "the app would run under uvicorn's ten ticks a second"
