"""`dach worker`: a long-lived process that takes admitted files from the queue and runs the intake flow.

Any number of workers on any number of machines share the queue in the record database: each claims one
file at a time as a lease (`Archive.claim_intake`), so they take disjoint work without talking to each
other, and needs nothing but the database, the object store and the Prefect API (no shared disk). For the
file it claims the worker creates a flow run of the `dach-intake/intake-file` deployment with the idempotency
key `<sha256>:<attempt>:<batch>` and runs it in its own process, without the seconds of CPU a new process per run
costs; the run goes on with the next files the worker claims for it, each under its own lease, up to
`files_per_run` (a small batch per run: a run costs a dozen Prefect API calls, a listener thread and three
state rows, more than reading a one-page scan). `concurrency` files are read at once, each with
`DACH_OCR_WORKERS` tesseract processes. An idle worker costs next to nothing: on PostgreSQL it waits for
the door's bell (`storage.bells.Bell`) and looks at the queue when it rings (and once a minute, for a
bell lost with a dropped connection); on SQLite it polls.

Crash recovery needs no person: the flow renews the file's lease while it runs; every worker also reaps, in a
thread of its own every `reap_every_s`, the leases that ran out (a worker killed with `kill -9`, a machine
gone): the file goes back to the queue, which rings the bell, and its flow run is marked Crashed, and after
three failed attempts the file is quarantined with the reason. A worker asked to stop (SIGTERM) takes no new
file and finishes the ones it holds.

When nothing is queued or being read anywhere, there is no lease to run out, so the reaper (on PostgreSQL)
waits for the bell instead: a file has to be queued, which rings every worker's bell, before any worker can
claim it. It looks once more after two leases' time (for flow runs stranded at the very end of the work) and
then every `quiet_reap_s`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flows.runtime import archive_for, wait_for_prefect_api
from schemas.documents import ErrorInfo
from schemas.errors import DachError, TransientError
from schemas.intake import BatchReport, IntakeClaim, IntakeItem
from schemas.settings import Settings
from storage import Archive
from storage.bells import Bell

log = logging.getLogger(__name__)

POOL = "dach-intake"
FLOW_NAME = "dach-intake"
DEPLOYMENT = "intake-file"
OnItem = Callable[[IntakeItem], None]
API_WAIT_S = 300.0  # `dach intake` waits this long for the Prefect API before it fails (exit 2)
# The listener's longest wait for the bell: how soon an idle worker notices it was asked to stop (each wait that
# ends without a bell costs a wake-up, 30 a minute at 2 s).
LISTEN_S = 5.0


@dataclass
class Worker:
    """Takes files from the queue and reads them, `concurrency` at a time."""

    settings: Settings
    concurrency: int = 1
    lease_s: float = 60.0
    poll_s: float = 2.0  # between looks at an empty queue where the door has no bell (SQLite)
    # between looks at an empty queue while listening for the bell (PostgreSQL): a file queued, or re-queued by
    # any worker's reaper, rings it; the look only covers a bell lost with a dropped connection
    idle_poll_s: float = 60.0
    reap_every_s: float = 15.0
    quiet_reap_s: float = 600.0  # between reaps while nothing is queued or read anywhere (PostgreSQL's bell)
    sweep_every: int = 4  # reaps between looks for stranded flow runs on the Prefect server
    files_per_run: int = 8  # files one flow run reads one after the other (a run costs more than a short file)
    use_deployment: bool = True
    name: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    stop: threading.Event = field(default_factory=threading.Event)
    ready: threading.Event = field(default_factory=threading.Event)
    processed: int = 0
    _deployment_id: Any = None
    _last_reap: float = 0.0
    _reaps: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _wake: threading.Event = field(default_factory=threading.Event)
    _reaper_wake: threading.Event = field(default_factory=threading.Event)
    _listening: bool = False
    _quiet: bool = False  # the last look found nothing queued or read anywhere

    @property
    def archive(self) -> Archive:
        return archive_for(self.settings)

    # --- one file ------------------------------------------------------------------------------------

    def claim(self, slot: int = 0, *, sha256s: Sequence[str] | None = None) -> tuple[IntakeClaim, str] | None:
        """Claim the oldest queued file (of `sha256s`, if given) for `slot`: the claim and its lease owner."""
        owner = f"{self.name}/{slot}"
        wanted = list(sha256s) if sha256s is not None else None
        claim = self.archive.claim_intake(owner, lease=timedelta(seconds=self.lease_s), sha256s=wanted)
        return (claim, owner) if claim is not None else None

    def process_next(
        self,
        slot: int = 0,
        *,
        sha256s: Sequence[str] | None = None,
        on_item: OnItem | None = None,
        held: IntakeClaim | None = None,
    ) -> BatchReport | None:
        """Claim the oldest queued file (of `sha256s`, if given) and read it, and in the same flow run up to
        `files_per_run - 1` files claimed after it; None if the queue is empty. `held`: a file this slot
        claimed already (`dach intake`'s head start), read first."""
        wanted = list(sha256s) if sha256s is not None else None
        claimed = (held, f"{self.name}/{slot}") if held is not None else self.claim(slot, sha256s=sha256s)
        if claimed is None:
            return None
        return self._run(claimed[0], claimed[1], on_item, wanted)

    def _run(
        self, claim: IntakeClaim, owner: str, on_item: OnItem | None, wanted: list[str] | None
    ) -> BatchReport | None:
        from flows.intake import bounded

        intake_file = bounded(self.settings)
        parameters = {"sha256": claim.sha256, "lease_owner": owner}
        local: dict[str, Any] = {"settings": self.settings, "on_item": on_item, "lease_s": self.lease_s}
        held = [claim]  # the file the run reads now: given back below if the run fails outside the flow's care
        log.info("%s: reading %s (attempt %d)", owner, claim.sha256[:12], claim.attempt)
        try:
            run = self._create_run(claim, parameters)
            if run is None:
                return intake_file(claim.sha256, owner, self.settings, on_item, self.lease_s)
            from prefect.flow_engine import run_flow_sync

            self.archive.note_flow_run(claim.sha256, owner, str(run.id))
            local["next_claim"] = self._successors(owner, str(run.id), wanted, held)
            report = run_flow_sync(intake_file, flow_run=run, parameters={**parameters, **local})
            return report if isinstance(report, BatchReport) else None
        except Exception as exc:  # the flow gave the file back already; make sure, and keep the worker alive
            log.warning("%s: %s failed: %s", owner, held[-1].sha256[:12], exc)
            code = exc.code if isinstance(exc, DachError) else "crashed"
            error = ErrorInfo(code=code, message=str(exc)[:2000] or code)
            self.archive.release_intake(held[-1].sha256, owner, error)
            return None
        finally:
            with self._lock:
                self.processed += len(held)

    def _successors(
        self, owner: str, run_id: str, wanted: list[str] | None, held: list[IntakeClaim]
    ) -> Callable[[], IntakeClaim | None]:
        """What a flow run calls for its next file: a claim for the run, until `files_per_run` files, an
        empty queue or a request to stop."""

        def next_claim() -> IntakeClaim | None:
            if len(held) >= self.files_per_run or self.stop.is_set():
                return None
            lease = timedelta(seconds=self.lease_s)
            claim = self.archive.claim_intake(owner, lease=lease, sha256s=wanted, flow_run_id=run_id)
            if claim is not None:
                held.append(claim)
                log.info("%s: reading %s (attempt %d) in the same run", owner, claim.sha256[:12], claim.attempt)
            return claim

        return next_claim

    def _create_run(self, claim: IntakeClaim, parameters: dict[str, str]) -> Any:
        """A flow run of the deployment for this attempt at this file (None without a deployment: embedded).

        Created Pending, not Scheduled: no Prefect worker polling the pool takes it; this worker runs it."""
        deployment = self._deployment()
        if deployment is None:
            return None
        from prefect.client.orchestration import get_client
        from prefect.states import Pending

        with get_client(sync_client=True) as client:
            return client.create_flow_run_from_deployment(
                deployment,
                parameters=parameters,
                state=Pending(),
                # The batch names the admission in this record database: another installation (or the
                # benchmark's next round) on the same Prefect server reading the same bytes is not handed
                # this one's finished run, which the engine would not run again.
                idempotency_key=f"{claim.sha256}:{claim.attempt}:{claim.batch_id}",
                name=f"{claim.sha256[:12]}-{claim.attempt}",
            )

    def _deployment(self) -> Any:
        if not self.use_deployment:
            return None
        if self._deployment_id is None:
            from prefect.client.orchestration import get_client
            from prefect.exceptions import ObjectNotFound

            try:
                with get_client(sync_client=True) as client:
                    self._deployment_id = client.read_deployment_by_name(f"{FLOW_NAME}/{DEPLOYMENT}").id
            except ObjectNotFound:
                log.warning("no deployment %s/%s (run `dach deploy`): flows run without it", FLOW_NAME, DEPLOYMENT)
                self.use_deployment = False
                return None
        return self._deployment_id

    # --- crash recovery --------------------------------------------------------------------------------

    def reap(self, *, sweep: bool = False) -> int:
        """Give files whose worker died back to the queue, and mark their flow runs Crashed."""
        reaped = self.archive.reap_intake()
        runs = [r.flow_run_id for r in reaped if r.flow_run_id]
        if runs and self.use_deployment:
            crash_runs(runs, "its worker stopped renewing the lease (killed or cut off); the file was re-queued")
        self._reaps += 1
        # Runs stranded in the moment between creating and noting them are rare: looked for now and then,
        # not at every reap (each look is a Prefect API call, from every worker).
        if self.use_deployment and (sweep or (self._reaps - 1) % self.sweep_every == 0):  # first, every 4th
            sweep_stranded_runs(self, older_than_s=self.lease_s * 2)
        return len(reaped)

    def _maybe_reap(self, *, sweep: bool = False) -> None:
        with self._lock:
            due = time.monotonic() - self._last_reap >= self.reap_every_s
            if due:
                self._last_reap = time.monotonic()
        if due:
            try:
                self.reap(sweep=sweep)
            except Exception as exc:  # the reaper must never stop the worker; the next round tries again
                log.warning("reaping failed: %s", exc)

    def _next_reap_in(self) -> float:
        """Seconds until the reaper looks again: `reap_every_s` while files are queued or read anywhere (or
        the bell cannot be heard); when all is quiet, once more after two leases (a run stranded at the end
        is swept then), and after that every `quiet_reap_s` or when the bell rings."""
        if not self._listening:
            return self.reap_every_s
        try:
            busy = self.archive.intake_busy()
        except Exception as exc:  # the database is away: keep the usual rhythm
            log.warning("reaper: %s", exc)
            busy = True
        if busy:
            self._quiet = False
            return self.reap_every_s
        if not self._quiet:
            self._quiet = True
            return self.lease_s * 2 + self.reap_every_s
        return self.quiet_reap_s

    # --- the loop --------------------------------------------------------------------------------------

    def _prefect_client(self) -> AbstractContextManager[Any]:
        """One Prefect API client for a slot's lifetime: creating the run, running it and reaping all use it.
        A client per call built a TLS context each time (even for http://): three per file, ~0.2 CPU-s."""
        if not self.use_deployment:
            return nullcontext()  # the embedded API starts with the first flow run, not with the worker
        from prefect.context import SyncClientContext

        return SyncClientContext.get_or_create()

    def _loop(self, slot: int) -> None:
        while not self.stop.is_set():
            try:
                with self._prefect_client():
                    self._take_files(slot)
            except Exception as exc:  # the Prefect API was away when the client checked its version (or
                # anything else escaped the loop): the slot waits and starts again instead of ending for good
                log.warning("worker %s: %s", self.name, exc)
                self.stop.wait(self.reap_every_s)

    def _take_files(self, slot: int) -> None:
        while not self.stop.is_set():
            self._wake.clear()  # a bell from now on means a file queued (or re-queued by a reap) after this look
            try:
                found = self.process_next(slot)
            except DachError as exc:  # the database is away: wait and try again
                log.warning("worker %s: %s", self.name, exc)
                found = None
            if found is None:  # nothing queued (or it failed): wait for the bell or a poll
                self._wake.wait(self.idle_poll_s if self._listening else self.poll_s)

    def _reap_loop(self) -> None:
        """Reap every `reap_every_s`, whether the slots are reading or not: a lease that ran out while this
        worker's one slot read a long file was reaped only after that file, and the dead worker's file waited
        (the 2-minute recovery target missed by a minute under load). A re-queued file rings the bell, so an
        idle slot of any worker takes it at once."""
        while not self.stop.is_set():
            try:
                with self._prefect_client():
                    while not self.stop.is_set():
                        self._reaper_wake.clear()  # a bell from now on means work queued after this look
                        self._maybe_reap(sweep=self._quiet)
                        wait = self._next_reap_in()
                        # Quiet, the bell (or a stop, which the listener passes on) ends the wait; busy, only a
                        # stop does: bells come with every queued file and would put the next reap off.
                        quiet = self._listening and self._quiet
                        (self._reaper_wake if quiet else self.stop).wait(wait)
            except Exception as exc:  # the Prefect API was away when the client checked its version
                log.warning("worker %s: reaper: %s", self.name, exc)
                self.stop.wait(self.reap_every_s)

    def _listen(self, bell: Bell) -> None:
        """Wake the idle slots when the door queues a file (PostgreSQL's notifications), and when asked to stop."""
        try:
            while not self.stop.is_set():
                if bell.wait(timeout=LISTEN_S):
                    self._wake.set()
                    self._reaper_wake.set()
        finally:
            bell.close()
            self._wake.set()
            self._reaper_wake.set()

    def run(self) -> None:
        """Work until `stop` is set; each slot reads one file at a time."""
        from flows.intake import warm_up

        warm_up(self.settings)
        if not wait_for_prefect_api(self.stop):  # asked to stop while warming up or waiting for the API
            return
        self._deployment()  # looked up once, before the first file
        self.ready.set()
        bell = self.archive.intake_bell()
        self._listening = bell is not None  # set before the slots start: they wait for the bell, not a poll
        threads = [
            threading.Thread(target=self._loop, args=(slot,), name=f"dach-worker-{slot}", daemon=True)
            for slot in range(self.concurrency)
        ]
        threads.append(threading.Thread(target=self._reap_loop, name="dach-worker-reaper", daemon=True))
        if bell is not None:
            threads.append(threading.Thread(target=self._listen, args=(bell,), name="dach-worker-bell", daemon=True))
        for thread in threads:
            thread.start()
        log.info(
            "worker %s: %d slot(s), %d OCR process(es) each", self.name, self.concurrency, self.settings.ocr_workers
        )
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=1.0)

    def drain(
        self, sha256s: Sequence[str], on_item: OnItem | None = None, held: IntakeClaim | None = None
    ) -> list[BatchReport]:
        """Read the given files now, in this process (`dach intake`: submit and process in one command), the
        one slot 0 holds already (`held`) first."""
        if not wait_for_prefect_api(self.stop, timeout_s=API_WAIT_S):  # before the first lease, as in `run`
            raise TransientError(f"the Prefect API did not answer within {API_WAIT_S:.0f} s; nothing was read")
        reports: list[BatchReport] = []
        while True:
            report = self.process_next(sha256s=sha256s, on_item=on_item, held=held)
            held = None
            if report is None:
                if not self._pending(sha256s):
                    return reports
                self._maybe_reap()
                time.sleep(self.poll_s)  # another worker holds one of them: wait for it
                continue
            reports.append(report)

    def _pending(self, sha256s: Sequence[str]) -> bool:
        return self.archive.unfinished_intake(list(sha256s)) > 0


def crash_runs(run_ids: Sequence[str], message: str) -> None:
    """Mark flow runs Crashed (forced: their process is gone and cannot report it itself)."""
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    with get_client(sync_client=True) as client:
        for run_id in run_ids:
            try:
                client.set_flow_run_state(run_id, Crashed(message=message), force=True)
            except Exception as exc:  # one run the server no longer knows must not stop the others
                log.warning("could not mark flow run %s crashed: %s", run_id, exc)


def sweep_stranded_runs(worker: Worker, *, older_than_s: float) -> int:
    """Runs of the deployment left Pending or Running although no lease points at them any more (their worker
    died between creating the run and noting it, or after the file was given to another worker)."""
    from datetime import UTC, datetime

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    deployment = worker._deployment()
    if deployment is None:
        return 0
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING]))
            ),
            limit=200,
        )
    live = worker.archive.live_flow_runs()
    now = datetime.now(UTC)
    stranded = [
        str(r.id)
        for r in runs
        if str(r.id) not in live and r.state is not None and (now - r.state.timestamp).total_seconds() > older_than_s
    ]
    if stranded:
        crash_runs(stranded, "no worker holds this file's lease any more; the file was re-queued or finished")
    return len(stranded)
