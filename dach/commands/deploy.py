"""`dach deploy`: register dach's flows with a Prefect server so workers in a work pool run them.

Scaling out is Prefect's job: `dach deploy` creates the `dach-intake` process work pool and two deployments
(the watched scanner inbox, every 30 s, and intake of given paths); start as many
`prefect worker start --pool dach-intake` as the machines allow.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import typer

from dach.commands.common import load_settings

POOL = "dach-intake"
ROOT = Path(__file__).resolve().parents[2]


def register(app: typer.Typer) -> None:
    @app.command()
    def deploy(
        pool: str = typer.Option(POOL, help="work pool the workers poll"),
        inbox_every: int = typer.Option(30, help="seconds between looks into the scanner inbox"),
        dispatch_every: int = typer.Option(15, help="seconds between runs of the event dispatcher"),
    ) -> None:
        """Create the work pool and the intake deployments on the Prefect server (PREFECT_API_URL)."""
        from flows.runtime import configure_prefect

        configure_prefect(load_settings())
        from prefect import Flow
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.actions import WorkPoolCreate
        from prefect.exceptions import ObjectAlreadyExists

        # Deploying again is fine: the pool stays as it is.
        with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        schedules = {"watch_inbox": inbox_every, "intake_paths": None}
        names = {"watch_inbox": "scanner-inbox", "intake_paths": "intake-paths"}
        for function, interval in schedules.items():
            source = Flow.from_source(source=str(ROOT), entrypoint=f"flows/inbox.py:{function}")
            assert isinstance(source, Flow)  # from_source is sync here (no event loop running)
            source.deploy(name=names[function], work_pool_name=pool, interval=interval, print_next_steps=False)
        # The dispatcher hands record changes over to the departments (it also runs after every intake
        # batch); the daily checks raise follow-ups before expiry dates.
        for entrypoint, name, every in (
            ("flows/dispatch.py:dispatch_events", "dispatcher", dispatch_every),
            ("flows/dispatch.py:daily_checks", "daily-checks", 86_400),
        ):
            source = Flow.from_source(source=str(ROOT), entrypoint=entrypoint)
            assert isinstance(source, Flow)
            source.deploy(name=name, work_pool_name=pool, interval=every, print_next_steps=False)
        typer.echo(f"work pool {pool}: deployments scanner-inbox (every {inbox_every} s) and intake-paths")
        typer.echo(f"work pool {pool}: dispatcher (every {dispatch_every} s, also webhooks) and daily-checks (daily)")
