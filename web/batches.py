"""Uploaded stacks: handed to the intake door, read by the workers, followed from the record database.

An upload goes through `Archive.admit` like every other channel: each file is checked by content, its
original kept under its SHA-256 (the browser's file name is kept for display only and never becomes a path
or key) and queued; the answer comes at once with the batch id. The web process reads nothing: the workers
(`dach worker`) take the queued files, and the panel shows each file's state and every document as soon as
its row is written, wherever the work runs. The page asks with a long poll: it names the version it shows,
and the request is answered as soon as the batch's state in the database differs (looked at a few times a
second), or after `LONG_POLL_S` with the same panel.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from schemas.documents import ErrorInfo
from schemas.errors import DachError, NotFound
from schemas.intake import (
    BatchProgress,
    FileProgress,
    FileState,
    IntakeChannel,
    IntakeItem,
    IntakeStatus,
    Upload,
)
from schemas.record import Actor
from web.archive import IntakePort

log = logging.getLogger(__name__)

MAX_THUMBNAILS = 50
THUMBNAIL_WIDTH = 160
_THUMBNAIL_CACHE = 256


class BatchStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class BatchFile:
    display_name: str
    status: FileState
    thumbnails: frozenset[int]  # pages with a preview (drawn from the stored original on request)
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.status not in (FileState.QUEUED, FileState.RUNNING)


@dataclass(frozen=True)
class Batch:
    """A batch as the panel shows it, built from the record database each time it is asked for."""

    id: str
    owner: str
    files: list[BatchFile]
    rejected: list[tuple[str, ErrorInfo]]
    items: list[tuple[int, IntakeItem]]  # (index into files, outcome)
    status: BatchStatus
    version: int  # changes whenever anything the panel shows changes

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)

    @property
    def files_done(self) -> int:
        return sum(1 for f in self.files if f.done)


def _item(progress: FileProgress, index: int) -> list[tuple[int, IntakeItem]]:
    out = [
        (
            index,
            IntakeItem(
                file=progress.file,
                status=IntakeStatus.NEEDS_REVIEW if d.status == IntakeStatus.NEEDS_REVIEW else IntakeStatus.FILED,
                document_id=d.id,
                type=d.type,
                pages=d.pages,
                person_id=d.person_id,
                person_name=d.person_name,
                review_notes=d.review_notes,
            ),
        )
        for d in progress.documents
    ]
    if progress.status is FileState.QUARANTINED and progress.attempts:  # set aside while (not before) reading
        out.append(
            (
                index,
                IntakeItem(
                    file=progress.file,
                    status=IntakeStatus.QUARANTINED,
                    quarantine_id=progress.quarantine_id,
                    error=progress.error,
                ),
            )
        )
    return out


def batch_view(progress: BatchProgress) -> Batch:
    """The panel's view of a batch: files the door rejected are listed apart, the others with their
    documents; a file set aside while it was read shows as a row with its reason."""
    files: list[BatchFile] = []
    rejected: list[tuple[str, ErrorInfo]] = []
    items: list[tuple[int, IntakeItem]] = []
    for f in progress.files:
        if f.status is FileState.QUARANTINED and not f.attempts and f.error is not None:
            rejected.append((f.file, f.error))
            continue
        index = len(files)
        pages = frozenset(range(1, min(f.page_count, MAX_THUMBNAILS) + 1))
        files.append(BatchFile(display_name=f.file, status=f.status, thumbnails=pages))
        items += _item(f, index)
    states = {f.status for f in files}
    if not states or states <= {FileState.FILED, FileState.NEEDS_REVIEW, FileState.QUARANTINED}:
        status = BatchStatus.DONE
    elif FileState.RUNNING in states or any(f.done for f in files):
        status = BatchStatus.RUNNING
    else:
        status = BatchStatus.QUEUED
    digest = hashlib.blake2b(progress.model_dump_json().encode(), digest_size=6).digest()
    return Batch(
        id=progress.batch_id,
        owner=progress.created_by,
        files=files,
        rejected=rejected,
        items=items,
        status=status,
        version=int.from_bytes(digest, "big"),
    )


class BatchDesk:
    """Hands uploads to the intake door and shows batches from the record (no work is done here)."""

    def __init__(self, archive: IntakePort) -> None:
        self.archive = archive
        self._thumbnails: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """Uploads are taken as soon as the app answers: the door does no OCR (the workers do)."""
        return True

    def admit(
        self,
        actor: Actor,
        uploads: Sequence[tuple[str, bytes]],
        channel: IntakeChannel,
        batch_id: str | None = None,
    ) -> Batch:
        """Check every upload by content and queue the admitted ones; a rejected file is reported at once and
        kept in the record's quarantine with its reason (nothing handed in is lost). `batch_id`: a visit's
        batch (`Archive.visit_batch`), so everything the person brought is one batch."""
        files = [Upload(name=name, data=data) for name, data in uploads]
        admission = self.archive.admit(files, channel, actor, batch_id=batch_id)
        return self.get(admission.batch_id, actor)

    def get(self, batch_id: str, actor: Actor) -> Batch:
        """The batch as the database knows it now (NotFound / AccessDenied for someone else's)."""
        return batch_view(self.archive.batch_progress(batch_id, actor))

    def recent(self, actor: Actor, limit: int = 10) -> list[Batch]:
        return [self.get(batch_id, actor) for batch_id in self.archive.recent_batches(actor, limit)]

    def thumbnail(self, batch_id: str, actor: Actor, file_index: int, page: int) -> bytes:
        """A small PNG of a page of an uploaded file, from the stored original: the uploader sees what they
        scanned even where the record's policy does not let their role read the filed document."""
        progress = self.archive.batch_progress(batch_id, actor)
        shown = [f for f in progress.files if not (f.status is FileState.QUARANTINED and not f.attempts)]
        if not 0 <= file_index < len(shown) or not 1 <= page <= min(shown[file_index].page_count, MAX_THUMBNAILS):
            raise NotFound(f"batch {batch_id} has no thumbnail of page {page} of file {file_index + 1}")
        key = shown[file_index].object_key
        if key is None:
            raise NotFound(f"file {file_index + 1} of batch {batch_id} is not stored")
        with self._lock:
            if (key, page) in self._thumbnails:
                self._thumbnails.move_to_end((key, page))
                return self._thumbnails[(key, page)]
        from web.pages import render_png

        try:
            png = render_png(self.archive.get_object(key), page - 1, THUMBNAIL_WIDTH)
        except (OSError, ValueError, RuntimeError) as exc:
            raise NotFound(f"no thumbnail of page {page}: {exc}") from exc
        except DachError:
            raise
        with self._lock:
            self._thumbnails[(key, page)] = png
            while len(self._thumbnails) > _THUMBNAIL_CACHE:
                self._thumbnails.popitem(last=False)
        return png
