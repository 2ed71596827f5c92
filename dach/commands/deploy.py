"""`dach deploy`: register the intake flow with a Prefect server (PREFECT_API_URL).

It creates the `dach-intake` process work pool and the `dach-intake/intake-file` deployment: one flow run per
admitted file, named by its SHA-256. The deployment points at the flow by module (`flows.intake.intake_file`),
not at this checkout's folder, so any machine with the dach image runs it. Scheduled beside it, found by module
too: the nightly retention sweep, the event dispatcher (which also delivers due webhooks) and the daily
expiry checks (which also send the e-mail digests). No polling schedule is registered for the scanner share (the
scanner share is watched by `dach watch`, one cheap long-lived process). `dach worker` creates each run
through this deployment, with the idempotency key `<sha256>:<attempt>`, and runs it in its own process.
"""

from __future__ import annotations

import contextlib
import os

import typer

from dach.commands.common import load_settings


def register(app: typer.Typer) -> None:
    @app.command()
    def deploy(
        pool: str = typer.Option("dach-intake", help="work pool the deployment belongs to"),
        pool_limit: int = typer.Option(
            os.cpu_count() or 2, min=1, help="flow runs a Prefect process worker of the pool may start at once"
        ),
        dispatch_every: int = typer.Option(15, min=1, help="seconds between runs of the event dispatcher"),
    ) -> None:
        """Create the work pool and the intake deployment on the Prefect server (PREFECT_API_URL)."""
        from flows.runtime import configure_prefect

        configure_prefect(load_settings())
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
        from prefect.deployments.runner import EntrypointType, RunnerDeployment
        from prefect.exceptions import ObjectAlreadyExists

        from flows.dispatch import daily_checks, dispatch_events
        from flows.intake import intake_file
        from flows.retention import retention_sweep
        from flows.worker import DEPLOYMENT, FLOW_NAME

        with get_client(sync_client=True) as client:
            with contextlib.suppress(ObjectAlreadyExists):  # deploying again is fine
                client.create_work_pool(WorkPoolCreate(name=pool, type="process", concurrency_limit=pool_limit))
            client.update_work_pool(pool, WorkPoolUpdate(concurrency_limit=pool_limit))
        deployment = intake_file.to_deployment(
            name=DEPLOYMENT,
            work_pool_name=pool,
            entrypoint_type=EntrypointType.MODULE_PATH,
            description="Read and file one admitted scan (parameter: its SHA-256); run by `dach worker`.",
        )
        if not isinstance(deployment, RunnerDeployment):  # to_deployment is sync here (no event loop running)
            raise TypeError("Prefect returned a coroutine outside an event loop; this is a bug in dach deploy")
        deployment.apply()
        typer.echo(f"work pool {pool} (limit {pool_limit}): deployment {FLOW_NAME}/{DEPLOYMENT}")
        # Scheduled work, found by module like the intake: the nightly retention sweep; the dispatcher that
        # hands record changes over to the departments (it also runs after every intake file); the daily
        # checks that raise follow-ups before expiry dates and send the e-mail digests. Due webhooks go out
        # from each dispatcher run.
        scheduled = (
            (retention_sweep, "retention-sweep", {"cron": "30 2 * * *"}),
            (dispatch_events, "dispatcher", {"interval": dispatch_every}),
            (daily_checks, "daily-checks", {"cron": "15 5 * * *"}),
        )
        for flow, name, schedule in scheduled:
            scheduled_deployment = flow.to_deployment(
                name=name, work_pool_name=pool, entrypoint_type=EntrypointType.MODULE_PATH, **schedule
            )
            if not isinstance(scheduled_deployment, RunnerDeployment):
                raise TypeError("Prefect returned a coroutine outside an event loop; this is a bug in dach deploy")
            scheduled_deployment.apply()
            typer.echo(f"deployment {flow.name}/{name} ({schedule})")
