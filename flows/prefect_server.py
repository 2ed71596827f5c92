"""`dach prefect-server`: Prefect's own server (`prefect server start`), with its background worker told to look
for work every few seconds instead of four times a second.

Prefect 3.9 runs its background services (the scheduler that makes the runs of dach's scheduled deployments,
late runs, cancellation clean-up) as perpetual tasks on docket. docket's worker asks its store for due and new
work every 250 ms (`scheduling_resolution`, `minimum_check_interval`) and writes a heartbeat every 2 s; no
Prefect setting changes either. On an idle installation that polling was most of what the server costs: 1.09 %
of a core with the services of prefect-server.env, 0.65 % with a look every 2 s. The services dach keeps run
every 30 to 60 s, and the only other work docket is handed (marking a new deployment ready, deleting the logs
of a deleted run) does not need to start within 250 ms, so nothing dach relies on gets later in a way that
shows. Everything else is `prefect server start` as it is: its options, settings and API.

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


def serve(arguments: Sequence[str]) -> None:
    """`prefect server start ARGUMENTS`, in this process, with the patient background worker."""
    import sys

    patient_background_worker()
    from prefect.cli import app

    sys.argv = ["prefect", "server", "start", *arguments]
    app()
