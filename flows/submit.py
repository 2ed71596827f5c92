"""Files and folders handed in from the command line (or by another system through the CLI): through the
intake door, and, for `dach intake`, read right away in this process.

`submit_paths` is `dach submit`: admit and return at once (the workers read the files). `intake_files` is
`dach intake`: admit, then read this batch's files here with an in-process worker, and report every
document, as before the door existed; a file admitted before is reported with the documents it made.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from flows.runtime import archive_for, start_temporary_server, wait_for_temporary_server
from flows.steps import display_name, open_regular
from ocr import sandbox
from schemas.documents import ErrorInfo
from schemas.errors import InputRejected
from schemas.intake import (
    AdmissionStatus,
    BatchAdmission,
    BatchReport,
    FileState,
    IntakeChannel,
    IntakeClaim,
    IntakeItem,
    IntakeStatus,
    Upload,
)
from schemas.record import SYSTEM_ACTOR, Actor
from schemas.settings import OcrLimits, Settings

if TYPE_CHECKING:
    from flows.stack import Stack

log = logging.getLogger(__name__)
_CHUNK = 1 << 20


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, and the files inside given folders (sorted, recursive; hidden files skipped). Links and
    special files are listed too (never followed, never read): the door rejects each on its own."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            out += [
                p
                for p in sorted(path.rglob("*"))
                if (p.is_symlink() or not p.is_dir())
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        else:
            out.append(path)
    return out


def upload_of(path: Path, limits: OcrLimits) -> Upload:
    """A file as the door takes it; one over the size limit is not read into memory (only hashed). A link or
    a special file is never read: it reaches the door refused, with its reason."""
    label = os.fsencode(str(path)).decode("utf-8", "replace")
    try:
        fd = open_regular(path)
    except InputRejected as exc:
        marker = hashlib.sha256(b"refused\0" + os.fsencode(str(path))).hexdigest()  # one entry per refused file
        refused = ErrorInfo(code=exc.code, message=exc.message)
        return Upload.from_os_name(path.name, b"", label=label, size=0, sha256=marker, refused=refused)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limits.max_file_bytes:
            digest = hashlib.sha256()
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
            return Upload.from_os_name(path.name, b"", label=label, size=size, sha256=digest.hexdigest())
        data = handle.read()
    return Upload.from_os_name(path.name, data, label=label)


def submit_paths(
    paths: Sequence[Path],
    settings: Settings,
    *,
    actor: Actor = SYSTEM_ACTOR,
    channel: IntakeChannel = IntakeChannel.CLI,
) -> tuple[list[Path], BatchAdmission]:
    """Admit files and folders through the door; the files in order, and the door's answer for each."""
    parsers = _start_parsers(settings)
    files = expand_paths(paths)
    uploads = [upload_of(path, settings.limits) for path in files]
    archive = archive_for(settings)
    parsers.join()  # the door's check of each file runs in them (its own start's failure is raised there)
    return files, archive.admit(uploads, channel, actor)


def _start_parsers(settings: Settings) -> threading.Thread:
    """Start the parser processes the door checks each file in (`ocr.sandbox`) beside the opening of the record
    database, not after it: the command waited for their start doing nothing (the fork server imports the
    parsers, 1.2-1.5 s before `dach intake` or `dach submit` could check its first file), and opening the record
    (its imports, a new database's migrations) is 0.9 CPU-s of its own. A start that fails leaves the pool
    unstarted: the door's first check starts it again, and raises what kept it from starting."""

    def start() -> None:
        try:
            sandbox.warm(settings.limits)
        except Exception as exc:  # raised again, to the command, by the door's first check
            log.info("the parser processes did not start ahead of the door: %s", exc)

    starting = threading.Thread(target=start, name="dach-parsers", daemon=True)
    starting.start()
    return starting


def intake_files(
    paths: Sequence[Path],
    settings: Settings,
    *,
    actor: Actor = SYSTEM_ACTOR,
    on_item: Callable[[IntakeItem], None] | None = None,
    use_deployment: bool = False,
) -> BatchReport:
    """`dach intake`: admit, then read this batch's files in this process, and report every document."""
    started = time.monotonic()
    files, admission = submit_paths(paths, settings, actor=actor)
    from flows.worker import Worker  # Prefect is imported only where files are read

    # Files known from an earlier run are read too if they are still unfinished: a run that failed (a full
    # disk, the database away) may have left them queued or held under a lease that is running out; they are
    # waited for and read here, not left out of the report (a re-run exited 0 without 2 of its 3 files).
    queued = [f.sha256 for f in admission.files if f.status is not AdmissionStatus.REJECTED]
    worker = Worker(settings, use_deployment=use_deployment, poll_s=0.5)
    ahead: AbstractContextManager[IntakeClaim | None] = nullcontext()
    reading = bool(queued) and archive_for(settings).unfinished_intake(queued) > 0  # a re-run of filed scans: no
    if reading:
        from flows.ahead import head_start

        # The first file is read and filed from here on, until the flow takes it over; the Prefect server starts
        # and the rest of the warm-up is done once its first document is filed.
        tell = on_item or (lambda item: None)
        claim = lambda: worker.claim(sha256s=queued)  # noqa: E731

        def stack_for(claimed: IntakeClaim) -> Stack:
            # No Prefect, and imported once the first pages are being read: the classifiers' imports (spaCy,
            # 0.5 CPU-s) no longer hold back the first tesseract run.
            from flows.stack import Stack

            return Stack(claimed, settings, tell)

        ahead = head_start(archive_for(settings), queued, settings, claim, stack_for, worker.lease_s)
    dropped: dict[str, tuple[int, ...]] = {}
    with ahead as held:
        if reading:
            from flows.ahead import wait_for_first_document

            wait_for_first_document()  # its CPU first: Prefect's import and server would make it wait
            start_temporary_server()
            from flows.intake import warm_up

            warm_up(settings)  # the model, the parser processes, the flow engine: before the flow needs them
        wait_for_temporary_server()
        for report in worker.drain(queued, on_item=on_item, held=held):
            dropped.update(report.dropped_pages)
    by_name = {path.name: display_name(path) for path in files}
    report = report_of(admission, files, settings, started)
    return report.model_copy(update={"dropped_pages": {by_name.get(k, k): v for k, v in dropped.items()}})


def report_of(admission: BatchAdmission, files: Sequence[Path], settings: Settings, started: float) -> BatchReport:
    """The batch's outcome per document, from the record (what this run filed and what was there before)."""
    archive = archive_for(settings)
    progress = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR)
    items: list[IntakeItem] = []
    for path, admitted, state in zip(files, admission.files, progress.files, strict=True):
        name = display_name(path)  # a name that is not UTF-8 shows its odd bytes as \xNN (the file is filed)
        if state.status is FileState.QUARANTINED and not state.documents:
            error = state.error or admitted.error or ErrorInfo(code="quarantined", message="set aside")
            items.append(
                IntakeItem(file=name, status=IntakeStatus.QUARANTINED, quarantine_id=state.quarantine_id, error=error)
            )
            continue
        for doc in state.documents:
            status = (
                IntakeStatus.DUPLICATE if admitted.status is AdmissionStatus.DUPLICATE else IntakeStatus(doc.status)
            )
            items.append(
                IntakeItem(
                    file=name,
                    status=status,
                    document_id=doc.id,
                    type=doc.type,
                    pages=doc.pages,
                    person_id=doc.person_id,
                    review_notes=doc.review_notes,
                )
            )
        if state.status is FileState.QUARANTINED:
            items.append(
                IntakeItem(
                    file=name, status=IntakeStatus.QUARANTINED, quarantine_id=state.quarantine_id, error=state.error
                )
            )
    return BatchReport(batch_id=admission.batch_id, items=tuple(items), seconds=time.monotonic() - started)
