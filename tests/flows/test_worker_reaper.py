"""A worker reaps in a thread of its own: a dead worker's file goes back to the queue while this worker's one
slot is still reading a long file (issue 12: the reap ran only between two files, so under load the kill
series waited for the survivor's own file before the dead worker's file was even re-queued)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

from schemas.documents import ErrorInfo
from schemas.intake import FileState, IntakeChannel, Upload
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from tests.web.conftest import pdf_page


def test_a_dead_workers_file_is_requeued_while_the_only_slot_reads(tmp_path: Path) -> None:
    from flows.runtime import archive_for
    from flows.worker import Worker

    settings = Settings(data_dir=tmp_path / "var")
    archive = archive_for(settings)
    scans = [Upload(name=f"scan {i}.pdf", data=pdf_page([f"Bescheid {i}"])) for i in range(2)]
    admission = archive.admit(scans, IntakeChannel.SCANNER, SYSTEM_ACTOR)
    dead = archive.claim_intake("killed-worker/0", lease=timedelta(seconds=1))  # its worker is gone: no heartbeat
    assert dead is not None

    worker = Worker(settings, concurrency=1, use_deployment=False, reap_every_s=0.5, poll_s=0.2)
    reading, done_reading = threading.Event(), threading.Event()

    def long_read(slot: int = 0, **_: object) -> None:
        """The slot holds the other file as a long read would, until the test lets it go."""
        if reading.is_set():
            return None  # the one long read is over: the slot finds nothing more to do here
        claim = archive.claim_intake(f"{worker.name}/{slot}", lease=timedelta(seconds=60))
        assert claim is not None and claim.sha256 != dead.sha256
        reading.set()
        done_reading.wait(30)
        archive.release_intake(claim.sha256, f"{worker.name}/{slot}", ErrorInfo(code="test", message="let go"))
        return None

    worker.process_next = long_read  # type: ignore[method-assign]
    slot = threading.Thread(target=worker._loop, args=(0,), daemon=True)
    reaper = threading.Thread(target=worker._reap_loop, daemon=True)
    slot.start()
    assert reading.wait(30)
    reaper.start()
    try:
        deadline = time.monotonic() + 20
        state = None
        while time.monotonic() < deadline:
            files = {f.sha256: f.status for f in archive.batch_progress(admission.batch_id, SYSTEM_ACTOR).files}
            state = files.get(dead.sha256)
            if state is FileState.QUEUED:
                break
            time.sleep(0.2)
        assert state is FileState.QUEUED, f"the dead worker's file waits for the slot: {state}"
        assert not done_reading.is_set() and slot.is_alive(), "re-queued while the slot was still reading"
    finally:
        done_reading.set()
        worker.stop.set()
        slot.join(10)
        reaper.join(10)
