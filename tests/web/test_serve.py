"""`dach serve`: the web app runs under a uvicorn whose loop ticks once a second, not ten times (issue 12: an
idle installation costs next to nothing; the idle app's ticks were 0.23 % of a core, three times the rest of
an idle dach), and on the embedded default it hands record events over to the departments itself."""

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


def test_the_embedded_app_hands_a_clerks_change_over_within_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded default runs no `dach scheduler`: without the app's own dispatcher a change made in the web
    app reached the other departments only when the next scan was filed."""
    import time

    import uvicorn
    from sqlalchemy import select

    from flows.runtime import archive_for
    from schemas.documents import DocumentType
    from schemas.settings import Settings
    from storage.db import transaction
    from storage.models import RecordEvent
    from tests.storage.conftest import Filer

    monkeypatch.setattr(
        importlib.import_module("uvicorn.main"), "Server", importlib.import_module("uvicorn.main").Server
    )
    settings = Settings(data_dir=tmp_path / "var")
    waited: list[float] = []

    def run(application: Any, **options: Any) -> None:  # the app is up: a change is made in the record
        archive = archive_for(settings)
        Filer(archive).file(DocumentType.PASSPORT)
        started = time.monotonic()
        while time.monotonic() - started < 15:
            with transaction(archive._sessions) as session:
                if not list(session.scalars(select(RecordEvent).where(RecordEvent.dispatched_at.is_(None)))):
                    waited.append(time.monotonic() - started)
                    return
            time.sleep(0.2)

    monkeypatch.setattr(uvicorn, "run", run)
    env = {"DACH_DATA_DIR": str(tmp_path / "var"), "DACH_CONFIG": "/nonexistent/dach.toml"}
    done = CliRunner().invoke(app, ["serve", "--no-worker"], env=env)
    assert done.exit_code == 0, done.output
    assert waited, "the filed document's event was still pending after 15 s"
