"""`dach deploy` registers dach's flows with a Prefect server (PREFECT_API_URL); `dach scheduler` runs the
scheduled ones.

Two work pools, so that neither kind of work waits for or takes the other's:
- `dach-intake` holds the `dach-intake/intake-file` deployment: a flow run per admitted file, named by its
  SHA-256, that goes on with its worker's next files. `dach worker` creates each run through it with the
  idempotency key `<sha256>:<attempt>:<batch>` (Pending, never Scheduled, so no poller of a pool takes it) and
  runs it in its own process.
- `dach-scheduled` (concurrency limit 1) holds the nightly retention sweep, the event dispatcher (which also
  delivers due webhooks; it runs after every intake file as well) and the daily expiry checks (which also send
  the e-mail digests). `dach scheduler`, one long-lived process, runs them in-process as they fall due. On
  PostgreSQL it also dispatches every record event the moment the record rings its event bell, so there the
  dispatcher's schedule is only a backstop (every 10 minutes; every 2 minutes where the record has no bell).
Every deployment names its flow by module (`flows.intake.intake_file`), not this checkout's folder, so any
machine with the dach image runs it. No polling schedule is registered for the scanner share: `dach watch` is
one cheap long-lived process.
"""

from __future__ import annotations

import contextlib
import os
import threading

import typer

from dach.commands.common import load_settings

DISPATCH_EVERY = 120  # seconds between scheduled dispatcher runs where nothing else dispatches record events
DISPATCH_EVERY_WITH_BELL = 600  # the backstop where `dach scheduler` follows the record's event bell


def register(app: typer.Typer) -> None:
    @app.command()
    def deploy(
        pool: str = typer.Option("dach-intake", help="work pool the deployment belongs to"),
        pool_limit: int = typer.Option(
            os.cpu_count() or 2, min=1, help="flow runs a Prefect process worker of the pool may start at once"
        ),
        dispatch_every: int | None = typer.Option(
            None,
            min=1,
            help="seconds between scheduled runs of the event dispatcher (it also runs after every file, and on "
            "PostgreSQL `dach scheduler` dispatches each event as it is written) [default: 600 on PostgreSQL, "
            "else 120]",
        ),
    ) -> None:
        """Create the work pools, the intake deployment and the scheduled ones on the Prefect server."""
        from flows.runtime import configure_prefect
        from storage.bells import heard_on

        settings = load_settings()
        configure_prefect(settings)
        if dispatch_every is None:
            with_bell = heard_on(settings.effective_database_url)
            dispatch_every = DISPATCH_EVERY_WITH_BELL if with_bell else DISPATCH_EVERY
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
        from prefect.deployments.runner import EntrypointType, RunnerDeployment
        from prefect.exceptions import ObjectAlreadyExists

        from flows.intake import intake_file
        from flows.scheduled import SCHEDULED_POOL, scheduled_deployments
        from flows.worker import DEPLOYMENT, FLOW_NAME

        with get_client(sync_client=True) as client:
            # One scheduled run at a time: a sweep that outlasts the dispatcher's interval makes it wait.
            for name, limit in ((pool, pool_limit), (SCHEDULED_POOL, 1)):
                with contextlib.suppress(ObjectAlreadyExists):  # deploying again is fine
                    client.create_work_pool(WorkPoolCreate(name=name, type="process", concurrency_limit=limit))
                client.update_work_pool(name, WorkPoolUpdate(concurrency_limit=limit))
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
        for flow, name, schedule in scheduled_deployments(dispatch_every):
            scheduled_deployment = flow.to_deployment(
                name=name, work_pool_name=SCHEDULED_POOL, entrypoint_type=EntrypointType.MODULE_PATH, **schedule
            )
            if not isinstance(scheduled_deployment, RunnerDeployment):
                raise TypeError("Prefect returned a coroutine outside an event loop; this is a bug in dach deploy")
            scheduled_deployment.apply()
            typer.echo(f"deployment {flow.name}/{name} ({schedule}) in {SCHEDULED_POOL}: run by `dach scheduler`")

    @app.command(
        name="prefect-server",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )
    def prefect_server(ctx: typer.Context) -> None:
        """The Prefect server dach's workers and scheduler use: `prefect server start` (same options; `--help`
        lists them) with its background worker polling every 2 s, not every 250 ms (what docker-compose runs)."""
        from flows.prefect_server import serve

        serve(ctx.args)

    @app.command()
    def scheduler(
        max_sleep: float = typer.Option(60.0, min=1.0, help="seconds between looks when nothing is due sooner"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="show Prefect's run log"),
    ) -> None:
        """Run the scheduled deployments (sweep, dispatcher, daily checks) in this process as they fall due, and
        on PostgreSQL dispatch each record event as it is written."""
        import logging
        import signal

        from flows.runtime import configure_prefect

        if not os.environ.get("PREFECT_API_URL"):
            typer.echo("dach scheduler needs a Prefect server: set PREFECT_API_URL (and run `dach deploy`)", err=True)
            raise typer.Exit(code=2)
        settings = load_settings()
        configure_prefect(settings, verbose=verbose)
        logging.getLogger("flows").setLevel(logging.INFO if verbose else logging.WARNING)
        from flows.dispatch import follow_events
        from flows.scheduled import Scheduler

        runner = Scheduler(max_sleep_s=max_sleep)
        for signum in (signal.SIGTERM, signal.SIGINT):  # finish the run in hand, take no new one
            signal.signal(signum, lambda *_: runner.stop.set())
        typer.echo(f"scheduler {runner.identity} ready: pool {runner.pool}")
        # Runs go in a thread of their own: in the main thread Prefect's engine puts its own SIGTERM handler
        # in place for each run, which would crash the run in hand instead of letting it finish.
        thread = threading.Thread(target=runner.run, name="dach-scheduler", daemon=True)
        thread.start()
        threading.Thread(target=follow_events, args=(settings, runner.stop), name="dach-events", daemon=True).start()
        while thread.is_alive():
            thread.join(timeout=1.0)
