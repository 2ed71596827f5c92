"""The intake door and its queue, on both backends: admission by content and SHA-256, disjoint leases for
any number of workers, expired leases back to the queue, three failures to quarantine."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from schemas.documents import ErrorInfo
from schemas.errors import AccessDenied
from schemas.intake import AdmissionStatus, FileState, IntakeChannel, Upload
from schemas.record import SYSTEM_ACTOR, Actor, Department, Role
from storage import Archive
from storage.intake import MAX_ATTEMPTS, display_name
from tests.storage.conftest import Backend
from tests.web.conftest import pdf_page

CLERK = Actor(name="empfang", role=Role.FRONT_DESK, department=Department.FRONT_DESK)


def _scans(n: int) -> list[Upload]:
    return [Upload(name=f"scan {i}.pdf", data=pdf_page([f"Bescheid {i}"])) for i in range(n)]


def test_the_door_admits_by_content_once_per_sha256_and_keeps_rejected_files(archive: Archive) -> None:
    good, program = pdf_page(["Bescheid"]), b"\x7fELF\x02\x01\x01" + b"\x00" * 200
    uploads = [
        Upload(name="../../etc/passwd.pdf", data=good),
        Upload(name="rechnung.pdf", data=program),
        Upload(name="nochmal.pdf", data=good),
        Upload(name="leer.pdf", data=b""),
    ]
    first = archive.admit(uploads, IntakeChannel.WEB, CLERK)
    assert [f.status for f in first.files] == [
        AdmissionStatus.QUEUED,
        AdmissionStatus.REJECTED,
        AdmissionStatus.DUPLICATE,
        AdmissionStatus.REJECTED,
    ]
    assert [f.error.code if f.error else None for f in first.files] == [None, "executable_file", None, "empty_file"]
    assert first.files[0].sha256 == first.files[2].sha256
    again = archive.admit(uploads[:2], IntakeChannel.API, CLERK)
    assert [f.status for f in again.files] == [AdmissionStatus.DUPLICATE, AdmissionStatus.REJECTED]
    progress = archive.batch_progress(first.batch_id, CLERK)
    assert [f.file for f in progress.files] == ["../../etc/passwd.pdf", "rechnung.pdf", "nochmal.pdf", "leer.pdf"]
    assert [f.status for f in progress.files] == [
        FileState.QUEUED,
        FileState.QUARANTINED,
        FileState.QUEUED,
        FileState.QUARANTINED,
    ]
    key = progress.files[0].object_key
    assert key is not None and key.startswith("sha256/") and archive.get_object(key) == good
    kept = [q for q in archive.list_quarantine(_admin()) if q.original_name == "rechnung.pdf"]
    assert kept and archive.get_object(str(kept[0].object_key)) == program
    with pytest.raises(AccessDenied):
        archive.batch_progress(first.batch_id, _admin())


def _admin() -> Actor:
    return Actor(name="archiv", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE)


def test_names_that_are_not_utf8_are_kept_exactly_and_shown_safely() -> None:
    assert display_name("Bescheid.pdf") == ("Bescheid.pdf", None)
    text, raw = display_name(b"Scan \xe4rger\x07.pdf")
    assert text == "Scan \ufffdrger.pdf" and raw is not None
    import base64

    assert base64.b64decode(raw) == b"Scan \xe4rger\x07.pdf"
    assert display_name("Scan \udce4.pdf")[1] is not None, "a surrogate-escaped file-system name is kept too"


def test_workers_take_disjoint_files_even_all_at_once(archive: Archive) -> None:
    admission = archive.admit(_scans(12), IntakeChannel.CLI, SYSTEM_ACTOR)
    taken: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(owner: str) -> None:
        while (claim := archive.claim_intake(owner)) is not None:
            with lock:
                taken.append((claim.sha256, owner))
            archive.finish_intake(claim.sha256, owner, FileState.FILED, documents=[])

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(sha for sha, _ in taken) == sorted(f.sha256 for f in admission.files), "each file exactly once"
    progress = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert {f.status for f in progress.files} == {FileState.FILED}


def _stack(pages: int, label: str) -> Upload:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for page in range(pages):
        pdf.drawString(60, 780, f"{label} Seite {page + 1}")
        pdf.showPage()
    pdf.save()
    return Upload(name=f"{label}.pdf", data=out.getvalue())


def test_of_a_batch_the_longest_file_is_taken_first_and_batches_in_the_order_they_came(archive: Archive) -> None:
    """Two workers on a batch of 1-7 page files in hash order ended with one reading a long file alone;
    longest first, the batch ends on short files. An earlier batch still goes before a later one."""
    first = archive.admit([_stack(n, f"erste {n}") for n in (1, 3, 2)], IntakeChannel.CLI, SYSTEM_ACTOR)
    later = archive.admit([_stack(5, "zweite")], IntakeChannel.CLI, SYSTEM_ACTOR)
    taken = []
    while (claim := archive.claim_intake("w")) is not None:
        taken.append((claim.batch_id, claim.page_count))
    assert taken == [(first.batch_id, 3), (first.batch_id, 2), (first.batch_id, 1), (later.batch_id, 5)]


def test_an_expired_lease_returns_to_the_queue_and_the_third_failure_quarantines(backend: Backend) -> None:
    archive = backend.archive
    admission = archive.admit(_scans(1), IntakeChannel.SCANNER, SYSTEM_ACTOR)
    (admitted,) = admission.files
    for attempt in range(1, MAX_ATTEMPTS + 1):
        claim = archive.claim_intake(f"dead-{attempt}", lease=timedelta(seconds=-1))  # killed at once
        assert claim is not None and claim.attempt == attempt
        assert archive.claim_intake("other") is None, "a leased file is not handed out twice"
        assert not archive.heartbeat_intake(admitted.sha256, "someone-else")
        reaped = archive.reap_intake()
        assert [r.sha256 for r in reaped] == [admitted.sha256]
        assert reaped[0].status is (FileState.QUARANTINED if attempt == MAX_ATTEMPTS else FileState.QUEUED)
        assert not archive.heartbeat_intake(admitted.sha256, f"dead-{attempt}"), "the dead worker's lease is gone"
    assert archive.claim_intake("late") is None
    (state,) = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR).files
    assert state.status is FileState.QUARANTINED and state.error is not None
    assert state.error.code == "failed_repeatedly" and state.quarantine_id


def test_a_file_set_aside_for_the_machines_fault_is_read_again_when_handed_in_again(archive: Archive) -> None:
    """A full disk (or a store answering nonsense) set good files aside after their last attempt; the re-run
    after the outage reported them as duplicates of the quarantined file and never read them. Handed in again,
    they are queued again; a file set aside for its own fault is not."""
    uploads = _scans(2)
    first = archive.admit(uploads, IntakeChannel.CLI, SYSTEM_ACTOR)
    full = ErrorInfo(code="storage_full", message="the disk is full")
    broken = ErrorInfo(code="corrupt_file", message="page 1 cannot be decoded")
    for attempt in range(MAX_ATTEMPTS):
        claim = archive.claim_intake(f"w{attempt}", sha256s=[first.files[0].sha256])
        assert claim is not None
        archive.release_intake(claim.sha256, f"w{attempt}", full)
    claim = archive.claim_intake("w", sha256s=[first.files[1].sha256])
    assert claim is not None
    assert archive.finish_intake(claim.sha256, "w", FileState.QUARANTINED, error=broken)
    assert [f.status for f in archive.batch_progress(first.batch_id, SYSTEM_ACTOR).files] == [
        FileState.QUARANTINED,
        FileState.QUARANTINED,
    ]

    again = archive.admit(uploads, IntakeChannel.CLI, SYSTEM_ACTOR)
    assert [f.status for f in again.files] == [AdmissionStatus.QUEUED, AdmissionStatus.DUPLICATE]
    states = archive.batch_progress(again.batch_id, SYSTEM_ACTOR).files
    assert [s.status for s in states] == [FileState.QUEUED, FileState.QUARANTINED]
    assert states[0].error is None
    retried = archive.claim_intake("after")
    assert retried is not None and retried.sha256 == first.files[0].sha256
    assert retried.attempt == 1, "a fresh count of attempts"
    assert archive.claim_intake("more") is None, "the broken file stays aside"


def test_a_released_file_is_retried_and_a_late_finish_of_a_lost_lease_changes_nothing(archive: Archive) -> None:
    (admitted,) = archive.admit(_scans(1), IntakeChannel.CLI, SYSTEM_ACTOR).files
    first = archive.claim_intake("a")
    assert first is not None
    transient = ErrorInfo(code="store_unavailable", message="the store was away")
    assert archive.release_intake(admitted.sha256, "a", transient) is FileState.QUEUED
    second = archive.claim_intake("b")
    assert second is not None and second.attempt == 2
    assert not archive.finish_intake(admitted.sha256, "a", FileState.FILED), "a has no lease any more"
    assert archive.heartbeat_intake(admitted.sha256, "b")
    assert archive.finish_intake(admitted.sha256, "b", FileState.NEEDS_REVIEW, documents=["doc_x"])
    assert archive.intake_queue() == {"needs_review": 1}


def test_an_original_admitted_with_its_media_type_is_filed_on_every_backend(archive: Archive) -> None:
    """moto answered the retention query of an object stored as image/png with the object's bytes (a crash
    of every worker in the first scale-out run); filing must set the retention anyway."""
    import io

    from PIL import Image

    from tests.storage.conftest import Filer

    png = io.BytesIO()
    Image.new("L", (64, 64), 255).save(png, format="PNG")
    (admitted,) = archive.admit([Upload(name="scan.png", data=png.getvalue())], IntakeChannel.WEB, CLERK).files
    assert admitted.status is AdmissionStatus.QUEUED
    outcome = archive.file_document(Filer(archive).request(original=png.getvalue()), SYSTEM_ACTOR)
    assert outcome.document_id


def test_a_queued_original_is_not_an_orphan(archive: Archive) -> None:
    """The orphan sweep removes objects no row points at: an original waiting in the queue has its row."""
    (admitted,) = archive.admit(_scans(1), IntakeChannel.CLI, SYSTEM_ACTOR).files
    key = f"sha256/{admitted.sha256[:2]}/{admitted.sha256[2:]}"
    assert key not in archive.sweep_orphans(older_than=timedelta(0))
    assert key not in archive.missing_objects()


def test_a_queued_file_rings_the_bell_an_idle_worker_waits_for(archive: Archive) -> None:
    """Idle workers used to ask the database every 2 s; on PostgreSQL they wait for the door's bell instead
    (SQLite has none: the worker polls there)."""
    bell = archive.intake_bell()
    if archive.engine.dialect.name != "postgresql":
        assert bell is None
        return
    assert bell is not None
    try:
        assert bell.wait(timeout=1.0), "the first wait only starts listening: look once"
        assert not bell.wait(timeout=0.5), "nothing queued, no bell"
        scans = _scans(1)
        archive.admit(scans, IntakeChannel.SCANNER, SYSTEM_ACTOR)
        assert bell.wait(timeout=5.0), "a queued file rings"
        claim = archive.claim_intake("dies", lease=timedelta(seconds=-1))
        assert claim is not None and not bell.wait(timeout=0.5)
        assert archive.reap_intake(), "the lease ran out"
        assert bell.wait(timeout=5.0), "a file back in the queue rings too"
        archive.admit(scans, IntakeChannel.SCANNER, SYSTEM_ACTOR)
        assert not bell.wait(timeout=0.5), "a duplicate queues nothing"
    finally:
        bell.close()
