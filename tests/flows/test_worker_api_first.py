"""A worker reaches the Prefect API before it takes its first lease: under load the temporary server took longer
to start than the first 60 s lease lasted, so the lease ran out while the file had not been read."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from schemas.intake import FileState
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from tests.bad_inputs import text_pdf


def _silent_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_worker_takes_no_lease_while_the_prefect_api_does_not_answer(tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.runtime import archive_for
    from flows.submit import submit_paths
    from flows.worker import Worker

    settings = Settings(data_dir=tmp_path / "var")
    (tmp_path / "bescheid.pdf").write_bytes(text_pdf(1, "Bescheid des Jobcenters"))
    _files, admission = submit_paths([tmp_path / "bescheid.pdf"], settings)
    worker = Worker(settings, use_deployment=True, poll_s=0.2, lease_s=5.0)

    def run() -> None:
        with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{_silent_port()}/api"}):
            worker.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(8)  # warm-up, then several looks at the silent API
    progress = archive_for(settings).batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert not worker.ready.is_set()
    assert [f.status for f in progress.files] == [FileState.QUEUED], "no lease taken before the API answers"
    assert worker.processed == 0
    worker.stop.set()  # asked to stop while waiting: it ends without taking anything
    thread.join(timeout=30)
    assert not thread.is_alive()
    progress = archive_for(settings).batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert [f.status for f in progress.files] == [FileState.QUEUED]


def test_without_a_configured_api_the_temporary_server_answers_before_the_first_claim(tmp_path: Path) -> None:
    from prefect.server.api.server import SubprocessASGIServer

    from flows.runtime import archive_for, stop_prefect_api
    from flows.submit import submit_paths
    from flows.worker import Worker

    stop_prefect_api()  # an earlier test's temporary server must not make this one pass
    settings = Settings(data_dir=tmp_path / "var")
    (tmp_path / "bescheid.pdf").write_bytes(text_pdf(1, "Bescheid des Jobcenters"))
    submit_paths([tmp_path / "bescheid.pdf"], settings)
    archive = archive_for(settings)
    claim_intake = archive.claim_intake
    api_up_at_claims: list[bool] = []

    def claim_and_note(*args: object, **kwargs: object) -> object:
        api_up_at_claims.append(any(s.running for s in SubprocessASGIServer._instances.values()))
        return claim_intake(*args, **kwargs)  # type: ignore[arg-type]

    archive.claim_intake = claim_and_note  # type: ignore[method-assign,assignment]
    worker = Worker(settings, use_deployment=False, poll_s=0.2)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 300
    while worker.processed == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    worker.stop.set()
    thread.join(timeout=60)
    assert worker.processed == 1
    assert api_up_at_claims and all(api_up_at_claims), "the first lease was taken before the API was up"


def test_intake_gives_up_waiting_for_a_silent_api_with_the_files_left_queued(tmp_path: Path) -> None:
    import pytest
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.runtime import archive_for
    from flows.submit import submit_paths
    from flows.worker import Worker
    from schemas.errors import TransientError

    settings = Settings(data_dir=tmp_path / "var")
    (tmp_path / "bescheid.pdf").write_bytes(text_pdf(1, "Bescheid des Jobcenters"))
    _files, admission = submit_paths([tmp_path / "bescheid.pdf"], settings)
    worker = Worker(settings, use_deployment=False, poll_s=0.2)
    with (
        temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{_silent_port()}/api"}),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr("flows.worker.API_WAIT_S", 3.0)
        with pytest.raises(TransientError, match="did not answer"):
            worker.drain([f.sha256 for f in admission.files])
    progress = archive_for(settings).batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert [f.status for f in progress.files] == [FileState.QUEUED], "left where a re-run finds it"
