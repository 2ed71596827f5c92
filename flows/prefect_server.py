"""`dach prefect-server`: Prefect's own server (`prefect server start`), with its background worker told to look
for work every few seconds instead of four times a second, and its web server's housekeeping tick once a second
instead of ten times.

Prefect 3.9 runs its background services (the scheduler that makes the runs of dach's scheduled deployments,
late runs, cancellation clean-up) as perpetual tasks on docket. docket's worker asks its store for due and new
work every 250 ms (`scheduling_resolution`, `minimum_check_interval`) and writes a heartbeat every 2 s; no
Prefect setting changes either. On an idle installation that polling was most of what the server costs: 1.09 %
of a core with the services of prefect-server.env, 0.65 % with a look every 2 s. The services dach keeps run
every 30 to 60 s, and the only other work docket is handed (marking a new deployment ready, deleting the logs
of a deleted run) does not need to start within 250 ms, so nothing dach relies on gets later in a way that
shows.

uvicorn, the web server, wakes ten times a second to update its `Date` header (once a second) and to see whether
it was asked to stop: 0.2 % of a core on an idle machine, a quarter of what the idle server cost after the change
above. Its tick here is once a second: the header changes as often as before, and a stop takes up to a second to
be noticed instead of a tenth. Everything else is `prefect server start` as it is: its options, settings and API.

Running the server from dach's image also keeps the server at the locked client's version by construction (a
newer client sends fields an older server refuses with 422).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

log = logging.getLogger(__name__)

# How often the server's background worker looks for due and new work, and writes its heartbeat.
CHECK_EVERY = timedelta(seconds=2)
HEARTBEAT_EVERY = timedelta(seconds=10)
# How often uvicorn's main loop ticks (it counts ticks in tenths of a second: a tick here advances its count by 10).
TICK_S = 1.0


class PrefectServerChanged(RuntimeError):
    """The installed Prefect no longer starts its background worker where this module expects it."""


def patient_background_worker() -> None:
    """Make the server's docket worker and docket look for work every `CHECK_EVERY` (not 250 ms) and beat every
    `HEARTBEAT_EVERY` (not 2 s). Only the names the server module looks up are replaced: a docket used
    elsewhere in the process keeps docket's defaults."""
    from prefect.server.api import background_workers, server

    worker_class: Any = getattr(background_workers, "Worker", None)
    docket_class: Any = getattr(server, "Docket", None)
    if worker_class is None or docket_class is None:
        raise PrefectServerChanged(
            "Prefect's server no longer starts its background worker through "
            "prefect.server.api.background_workers.Worker and prefect.server.api.server.Docket; "
            "update flows/prefect_server.py for the installed Prefect, or run `prefect server start`"
        )
    if getattr(worker_class, "dach_patient", False):
        return

    class PatientWorker(worker_class):
        dach_patient = True

        def __init__(self, docket: Any, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("minimum_check_interval", CHECK_EVERY)
            kwargs.setdefault("scheduling_resolution", CHECK_EVERY)
            super().__init__(docket, *args, **kwargs)

    class PatientDocket(docket_class):
        dach_patient = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("heartbeat_interval", HEARTBEAT_EVERY)
            super().__init__(*args, **kwargs)

    background_workers.Worker = PatientWorker  # type: ignore[misc]
    server.Docket = PatientDocket  # type: ignore[misc]


def slow_ticking_web_server() -> None:
    """Make `uvicorn.run` (which `prefect server start` and `dach serve` call) build a server whose main loop
    ticks every `TICK_S` seconds instead of every 0.1 s. Each tick passes uvicorn's own count as if ten tenths
    had passed, so the `Date` header and the notify callback (every tenth count) keep their once-a-second
    rhythm."""
    import asyncio
    import importlib

    uvicorn_main = importlib.import_module("uvicorn.main")  # the module: the package's `main` is its CLI command

    server_class: Any = getattr(uvicorn_main, "Server", None)
    if server_class is None or not callable(getattr(server_class, "on_tick", None)):
        raise PrefectServerChanged(
            "uvicorn.run no longer builds uvicorn.main.Server with an on_tick method; "
            "update flows/prefect_server.py for the installed uvicorn"
        )
    if getattr(server_class, "dach_patient", False):
        return
    per_tick = round(TICK_S * 10)

    class SlowTickingServer(server_class):
        dach_patient = True

        async def main_loop(self) -> None:
            counter = 0
            should_exit = await self.on_tick(counter)
            while not should_exit:
                counter = (counter + per_tick) % 864000
                await asyncio.sleep(TICK_S)
                should_exit = await self.on_tick(counter)

    setattr(uvicorn_main, "Server", SlowTickingServer)  # noqa: B010 (a module imported by name)


def serve(arguments: Sequence[str]) -> None:
    """`prefect server start ARGUMENTS`, in this process, with the patient background worker and web server."""
    import sys

    patient_background_worker()
    slow_ticking_web_server()
    from prefect.cli import app

    sys.argv = ["prefect", "server", "start", *arguments]
    app()
