"""An idle worker's reaper (issue 12: an empty installation should cost next to nothing). On PostgreSQL, with
nothing queued or read anywhere, there is no lease that could run out, so the reaper waits for the door's bell
instead of asking the database every few seconds; a queued file rings it and the usual rhythm is back, so a
worker that dies with that file is still reaped at once. On SQLite (no bell) the reaper keeps its rhythm."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from schemas.intake import FileState, IntakeChannel, Upload
from schemas.record import SYSTEM_ACTOR
from tests.storage.conftest import Backend
from tests.web.conftest import pdf_page


def test_an_idle_reaper_waits_for_the_bell_and_still_reaps_a_dead_workers_file(backend: Backend) -> None:
    from flows.worker import Worker

    worker = Worker(backend.settings, use_deployment=False, reap_every_s=0.3, lease_s=0.5, quiet_reap_s=60.0)
    bell = backend.archive.intake_bell()
    worker._listening = bell is not None
    threads = [threading.Thread(target=worker._reap_loop, daemon=True)]
    if bell is not None:
        threads.append(threading.Thread(target=worker._listen, args=(bell,), daemon=True))
    for thread in threads:
        thread.start()
    try:
        time.sleep(4.0)  # an empty queue
        idle_reaps = worker._reaps
        if bell is None:
            assert idle_reaps >= 8, f"without a bell the reaper keeps its rhythm: {idle_reaps} reaps in 4 s"
        else:
            # the first look, one more after two leases (runs stranded at the end), then quiet
            assert 1 <= idle_reaps <= 3, f"an idle reaper with a bell looked {idle_reaps} times in 4 s"

        admission = backend.archive.admit(
            [Upload(name="scan.pdf", data=pdf_page(["Bescheid"]))], IntakeChannel.SCANNER, SYSTEM_ACTOR
        )
        dead = backend.archive.claim_intake("killed-worker/0", lease=timedelta(seconds=1))  # never renewed
        assert dead is not None
        deadline, state = time.monotonic() + 10, None
        while time.monotonic() < deadline:
            files = backend.archive.batch_progress(admission.batch_id, SYSTEM_ACTOR).files
            state = {f.sha256: f.status for f in files}[dead.sha256]
            if state is FileState.QUEUED:
                break
            time.sleep(0.1)
        assert state is FileState.QUEUED, f"the dead worker's file was not re-queued: {state}"
        assert worker._reaps > idle_reaps
    finally:
        worker.stop.set()
        for thread in threads:
            thread.join(10)
        assert not any(thread.is_alive() for thread in threads), "the reaper did not stop when asked"
