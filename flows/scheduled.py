"""`dach scheduler`: run the scheduled deployments (the nightly retention sweep, the dispatcher, the daily checks)
in one long-lived process, as they fall due on the Prefect server.

Why not a Prefect process worker: it starts a new Python process for every flow run (about 8 CPU-s each), so the
dispatcher alone would cost a busy core's worth of an idle system. Here one loop asks the server for the runs of
the `dach-scheduled` work pool that are due, claims each by proposing Pending (the server lets exactly one
claimant win, so a second scheduler is harmless), runs it in this process and then sleeps until the next one is
due. The two pools never share work: `dach worker` creates the intake's runs Pending in `dach-intake` and runs
them itself, so they are never Scheduled runs of this pool, and this loop asks for nothing but its own pool.

Runs do not pile up: runs are taken one at a time, and of the overdue runs of one deployment (the scheduler
was down, or a sweep took longer than the dispatcher's interval) only the newest is run and the older ones are
cancelled; each of these flows does everything that is due, so one run covers those it replaces. A run whose
scheduler died (`kill -9`, a container restarted) is marked Crashed by the next scheduler on that host, which
sees from the run's `infrastructure_pid` (host, process, start token) that its process is gone.
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)

SCHEDULED_POOL = "dach-scheduled"
# Only flows of dach's own flows/ room are run: a deployment of this pool names its flow by module path.
FLOW_MODULES = "flows."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_flow(entrypoint: str) -> Any:
    """The flow a deployment of this pool names (`flows.dispatch.dispatch_events`), imported from the image."""
    module, _, name = entrypoint.rpartition(".")
    if not module.startswith(FLOW_MODULES) or ":" in entrypoint:
        raise ValueError(f"the scheduler runs only dach's own flows by module path, not {entrypoint!r}")
    return getattr(importlib.import_module(module), name)


@dataclass
class Scheduler:
    """Runs due runs of the scheduled pool in this process, one at a time, and sleeps in between."""

    pool: str = SCHEDULED_POOL
    max_sleep_s: float = 60.0  # look again at least this often: a new deployment, a changed schedule
    stale_after: timedelta = timedelta(hours=6)  # a run on another host without news this long has died
    recover_every_s: float = 600.0
    host: str = field(default_factory=socket.gethostname)
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    stop: threading.Event = field(default_factory=threading.Event)
    ran: list[str] = field(default_factory=list)
    cancelled: int = 0
    crashed: int = 0
    _flows: dict[str, Any] = field(default_factory=dict)
    _entrypoints: dict[Any, str] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        """What the runs it takes record as their `infrastructure_pid`."""
        return f"{self.host}:{os.getpid()}:{self.token}"

    def run(self) -> None:
        """Until `stop` is set: run what is due and sleep; now and then mark the runs of a dead scheduler
        Crashed (they would hold the pool's one slot)."""
        from prefect.context import SyncClientContext

        while not self.stop.is_set():
            try:  # one API client for every look and run: each new one built a TLS context, even for http://
                with SyncClientContext.get_or_create():
                    self._run_until_stopped()
            except Exception as exc:  # the server was away when the client checked its version: try again
                log.warning("scheduler: %s", exc)
                self.stop.wait(self.max_sleep_s / 4)

    def _run_until_stopped(self) -> None:
        recover_at = 0.0
        while not self.stop.is_set():
            try:
                if time.monotonic() >= recover_at:
                    self.recover()
                    recover_at = time.monotonic() + self.recover_every_s
                wait = self.tick()
            except Exception as exc:  # the server is away for a moment: the next look tries again
                log.warning("scheduler: %s", exc)
                wait = self.max_sleep_s / 4
            self.stop.wait(wait)

    def tick(self, now: datetime | None = None) -> float:
        """Run the due runs; seconds until the next one (at most `max_sleep_s`).

        Read as flow runs of the pool, not through the worker endpoint: that one hands out no more runs than
        the pool's limit allows (one), so a backlog would be run one by one instead of being seen whole."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import (
            FlowRunFilter,
            FlowRunFilterExpectedStartTime,
            FlowRunFilterState,
            FlowRunFilterStateType,
            WorkPoolFilter,
            WorkPoolFilterName,
        )
        from prefect.client.schemas.objects import StateType
        from prefect.client.schemas.sorting import FlowRunSort

        now = now or datetime.now(UTC)
        horizon = FlowRunFilterExpectedStartTime(before_=now + timedelta(seconds=self.max_sleep_s))
        waiting = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs(
                work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[self.pool])),
                flow_run_filter=FlowRunFilter(state=waiting, expected_start_time=horizon),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC,
                limit=200,
            )
        due = [r for r in runs if r.expected_start_time is None or r.expected_start_time <= now]
        for run in self._newest_per_deployment(due):
            if self.stop.is_set():
                break
            self._run_one(run)
        later = [r.expected_start_time for r in runs if r.expected_start_time and r.expected_start_time > now]
        if not later:
            return self.max_sleep_s
        return max(0.5, min(self.max_sleep_s, (min(later) - datetime.now(UTC)).total_seconds()))

    def _newest_per_deployment(self, due: list[Any]) -> list[Any]:
        """Of each deployment's overdue runs the newest; the older ones are cancelled (it covers them)."""
        from prefect.client.orchestration import get_client
        from prefect.states import Cancelled

        newest: dict[Any, Any] = {}
        older: list[Any] = []
        for run in sorted(due, key=lambda r: r.expected_start_time or datetime.min.replace(tzinfo=UTC)):
            if run.deployment_id in newest:
                older.append(newest[run.deployment_id])
            newest[run.deployment_id] = run
        if older:
            message = "skipped: a later run of the same schedule does everything that was due"
            with get_client(sync_client=True) as client:
                for run in older:
                    result: Any = client.set_flow_run_state(run.id, Cancelled(message=message))
                    self.cancelled += result.status.value == "ACCEPT"
            log.info("scheduler: %d overdue run(s) covered by a later one", len(older))
        return list(newest.values())

    def _run_one(self, run: Any) -> None:
        from prefect.client.orchestration import get_client
        from prefect.flow_engine import run_flow_sync
        from prefect.states import Pending

        with get_client(sync_client=True) as client:
            claimed: Any = client.set_flow_run_state(run.id, Pending())
            if claimed.status.value != "ACCEPT":  # another scheduler took it, or it was cancelled meanwhile
                return
            client.update_flow_run(run.id, infrastructure_pid=self.identity)
            entrypoint = self._entrypoint(client, run.deployment_id)
            run = client.read_flow_run(run.id)
        flow = self._flows.get(entrypoint) or self._flows.setdefault(entrypoint, load_flow(entrypoint))
        log.info("scheduler: running %s (%s)", run.name, entrypoint)
        started = time.process_time()
        try:
            run_flow_sync(flow, flow_run=run, parameters=dict(run.parameters or {}), return_type="state")
        finally:
            self.ran.append(str(run.id))
            log.info("scheduler: %s done, %.2f CPU-s", run.name, time.process_time() - started)

    def _entrypoint(self, client: Any, deployment_id: Any) -> str:
        if deployment_id not in self._entrypoints:
            self._entrypoints[deployment_id] = str(client.read_deployment(deployment_id).entrypoint)
        return self._entrypoints[deployment_id]

    # --- crash recovery --------------------------------------------------------------------------------

    def recover(self, now: datetime | None = None) -> int:
        """Mark Crashed the runs of this pool left Pending or Running by a scheduler that is gone."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import (
            FlowRunFilter,
            FlowRunFilterState,
            FlowRunFilterStateType,
            WorkPoolFilter,
            WorkPoolFilterName,
        )
        from prefect.client.schemas.objects import StateType
        from prefect.states import Crashed

        now = now or datetime.now(UTC)
        live = FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING])
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs(
                work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[self.pool])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=live)),
                limit=200,
            )
            dead = [r for r in runs if self._is_orphan(r.infrastructure_pid, r.state, now)]
            for run in dead:
                client.set_flow_run_state(
                    run.id, Crashed(message="its scheduler stopped (killed or restarted)"), force=True
                )
        self.crashed += len(dead)
        if dead:
            log.warning("scheduler: %d run(s) of a stopped scheduler marked Crashed", len(dead))
        return len(dead)

    def _is_orphan(self, owner: str | None, state: Any, now: datetime) -> bool:
        host, _, rest = (owner or "").partition(":")
        pid, _, token = rest.partition(":")
        if host == self.host and pid.isdigit():
            return token != self.token and (int(pid) == os.getpid() or not _alive(int(pid)))
        return state is not None and now - state.timestamp > self.stale_after


def scheduled_deployments(dispatch_every: int) -> Iterable[tuple[Any, str, dict[str, Any]]]:
    """What `dach deploy` registers in the scheduled pool: (flow, deployment name, schedule)."""
    from flows.dispatch import daily_checks, dispatch_events
    from flows.retention import retention_sweep

    return (
        (retention_sweep, "retention-sweep", {"cron": "30 2 * * *"}),
        (dispatch_events, "dispatcher", {"interval": dispatch_every}),
        (daily_checks, "daily-checks", {"cron": "15 5 * * *"}),
    )
