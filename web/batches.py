"""Uploaded stacks: admitted by content, saved into the inbox, run through the intake flow in the background.

An upload is checked with `ocr.sources.inspect_source` (magic bytes, size, pages, pixels) before it is
written anywhere, then saved as `<data_dir>/inbox/.web/<batch>-<nn>.<ext>`: the user's file name is kept for
display only and never becomes a path. One worker thread runs the flow file by file; the flow reports each
document as soon as it is filed, so the first documents of a stack are visible while the rest of it is still
being read. The page asks for the batch's state with a long poll: the request names the version it shows
and is answered as soon as the batch changes (`Batch.version`), so a filed document is on the screen within
a few hundredths of a second instead of at the next tick of a timer.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ocr.sources import inspect_source
from schemas.documents import ErrorInfo
from schemas.errors import DachError, InputRejected
from schemas.intake import BatchReport, IntakeItem
from schemas.record import Actor
from schemas.settings import Settings

log = logging.getLogger(__name__)

Quarantine = Callable[[bytes, str, ErrorInfo, str | None], str]
OnItem = Callable[[IntakeItem], None]
IntakeFunction = Callable[[Sequence[Path], Settings, str, Actor, OnItem], BatchReport]

_EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif"}
MAX_KEPT_BATCHES = 200
MAX_THUMBNAILS = 50
THUMBNAIL_WIDTH = 160


class BatchStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class BatchFile:
    display_name: str
    path: Path
    media_type: str
    page_count: int
    done: bool = False
    error: str | None = None
    thumbnails: dict[int, bytes] = field(default_factory=dict)  # page -> small PNG of the upload itself


@dataclass
class Batch:
    id: str
    actor: Actor  # who uploaded: the documents are filed in their name
    files: list[BatchFile]
    rejected: list[tuple[str, InputRejected]]
    status: BatchStatus = BatchStatus.QUEUED
    items: list[tuple[int, IntakeItem]] = field(default_factory=list)  # (index into files, outcome)
    created: float = field(default_factory=time.monotonic)
    first_result_s: float | None = None
    version: int = 0  # raised by every change the panel shows; a long poll waits for it to pass its own

    @property
    def owner(self) -> str:
        return self.actor.name

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.DONE, BatchStatus.FAILED)

    def touch(self) -> None:
        self.version += 1

    @property
    def files_done(self) -> int:
        return sum(1 for f in self.files if f.done)

    def add(self, index: int, item: IntakeItem) -> None:
        """Show an outcome of file `index`; a later report on the same document (a correction) replaces it."""
        # A new list each time: a page being rendered from another thread keeps iterating the old one.
        items = list(self.items)
        same = [n for n, (i, old) in enumerate(items) if i == index and _same_outcome(old, item)]
        if same:
            items[same[0]] = (index, item)
        else:
            items.append((index, item))
        self.items = items
        if self.first_result_s is None:
            self.first_result_s = time.monotonic() - self.created
        self.touch()


def _same_outcome(old: IntakeItem, new: IntakeItem) -> bool:
    if old.document_id or new.document_id:
        return old.document_id == new.document_id
    return old.pages == new.pages and old.quarantine_id == new.quarantine_id


def _import_flow(settings: Settings) -> None:
    from flows.runtime import configure_prefect

    configure_prefect(settings)
    import flows.intake  # noqa: F401  # imported for its side effect: loading Prefect and the rooms


def _warm_up_flow(settings: Settings) -> None:
    """Load Prefect and the rooms, start the Prefect API, open the flow's record and load the classifier
    model before the first upload of the day (each costs seconds the first stack would otherwise wait)."""
    _import_flow(settings)
    from flows.intake import warm_up
    from flows.runtime import start_prefect_api

    start_prefect_api()
    warm_up(settings)


def flow_intake(paths: Sequence[Path], settings: Settings, batch_id: str, actor: Actor, on_item: OnItem) -> BatchReport:
    """The real intake: the Prefect flow of `flows.intake` (imported late: Prefect is heavy)."""
    _import_flow(settings)
    from flows.intake import intake_files

    return intake_files(paths, settings, batch_id=batch_id, actor=actor, on_item=on_item)


def thumbnails(path: Path, items: Sequence[IntakeItem]) -> dict[int, bytes]:
    """Small PNGs of the pages the documents of one uploaded file cover (at most MAX_THUMBNAILS)."""
    from web.pages import render_png

    data = path.read_bytes()
    out: dict[int, bytes] = {}
    for page in sorted({page for item in items for page in item.pages})[:MAX_THUMBNAILS]:
        try:
            out[page] = render_png(data, page - 1, THUMBNAIL_WIDTH)
        except (OSError, ValueError, RuntimeError, DachError) as exc:  # filed; only the preview is missing
            log.warning("no thumbnail of page %d of %s: %s", page, path.name, exc)
    return out


class BatchRunner:
    """Admits uploads, keeps the state of recent batches and runs them one file at a time."""

    def __init__(self, settings: Settings, quarantine: Quarantine, intake: IntakeFunction = flow_intake) -> None:
        self.settings = settings
        self.intake = intake
        self.quarantine = quarantine
        # A hidden folder in the inbox: the scanner-inbox watcher takes only visible top-level files, so an
        # upload is never picked up twice.
        self.inbox = Path(settings.data_dir) / "inbox" / ".web"
        self._batches: dict[str, Batch] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-intake")
        # Thumbnails are drawn beside the flow: the flow tells of a filed document and goes straight on reading.
        self._previews = ThreadPoolExecutor(max_workers=1, thread_name_prefix="web-thumbnails")
        self._warm_up: Future[None] | None = None

    def admit(self, actor: Actor, uploads: Sequence[tuple[str, bytes]]) -> Batch:
        """Check every upload by content; save the admitted ones. A rejected file is reported at once and kept
        in the record's quarantine with its reason (nothing handed in is lost)."""
        batch_id = uuid.uuid4().hex[:16]
        files: list[BatchFile] = []
        rejected: list[tuple[str, InputRejected]] = []
        self.inbox.mkdir(parents=True, exist_ok=True)
        for index, (display_name, data) in enumerate(uploads, start=1):
            try:
                info = inspect_source(data, self.settings.limits)
            except InputRejected as exc:
                log.info("batch %s: upload %d rejected (%s)", batch_id, index, exc.code)
                self.quarantine(data, display_name, ErrorInfo(code=exc.code, message=exc.message), batch_id)
                rejected.append((display_name, exc))
                continue
            path = self.inbox / f"{batch_id}-{index:03d}.{_EXTENSIONS.get(info.media_type, 'bin')}"
            part = path.with_suffix(path.suffix + ".part")
            part.write_bytes(data)
            part.rename(path)
            files.append(BatchFile(display_name, path, info.media_type, info.page_count))
        batch = Batch(id=batch_id, actor=actor, files=files, rejected=rejected)
        with self._lock:
            self._batches[batch_id] = batch
            while len(self._batches) > MAX_KEPT_BATCHES:
                self._batches.pop(next(iter(self._batches)))
        if files:
            self._pool.submit(self._run, batch)
        else:
            batch.status = BatchStatus.DONE
        return batch

    def warm_up(self) -> None:
        """Import the flow (Prefect, OCR, classifier models) in the worker thread before the first upload,
        so the first stack of the day does not wait for it."""
        if self.intake is flow_intake:
            self._warm_up = self._pool.submit(_warm_up_flow, self.settings)

    @property
    def ready(self) -> bool:
        """Whether the warm-up is over (an upload now starts at once); for the health check."""
        return self._warm_up is None or self._warm_up.done()

    def get(self, batch_id: str) -> Batch | None:
        with self._lock:
            return self._batches.get(batch_id)

    def recent(self, owner: str, limit: int = 10) -> list[Batch]:
        with self._lock:
            mine = [b for b in self._batches.values() if b.owner == owner]
        return list(reversed(mine))[:limit]

    def _run(self, batch: Batch) -> None:
        batch.status = BatchStatus.RUNNING
        batch.touch()
        failed = False
        for index, upload in enumerate(batch.files):
            previews: list[Future[None]] = []
            try:
                report = self.intake(
                    [upload.path], self.settings, batch.id, batch.actor, self._shows(batch, index, upload, previews)
                )
            except DachError as exc:
                # The flow failed visibly (e.g. the store is down after its retries): the file stays in the
                # inbox so it is not lost, and the page says so.
                log.error("batch %s: intake of %s failed: %s", batch.id, upload.path.name, exc)
                upload.error, failed = exc.message, True
            except Exception as exc:  # a bug in the flow must not kill the worker thread; it is shown
                log.exception("batch %s: intake of %s crashed", batch.id, upload.path.name)
                upload.error, failed = type(exc).__name__, True
            else:
                wait(previews)
                missing = [i for i in report.items if not set(i.pages) <= set(upload.thumbnails)]
                upload.thumbnails.update(thumbnails(upload.path, missing))
                # The report is the file's final word: it replaces what streamed in, in the flow's order.
                with self._lock:
                    others = [(i, item) for i, item in batch.items if i != index]
                    batch.items = others + [(index, item) for item in report.items]
                    if batch.first_result_s is None and report.items:
                        batch.first_result_s = time.monotonic() - batch.created
                upload.path.unlink(missing_ok=True)
            upload.done = True
            batch.touch()
        batch.status = BatchStatus.FAILED if failed else BatchStatus.DONE
        batch.touch()

    def _shows(self, batch: Batch, index: int, upload: BatchFile, previews: list[Future[None]]) -> OnItem:
        """What the flow calls as each document of the file is filed: the panel shows it at its next poll."""

        def draw(item: IntakeItem) -> None:
            # Thumbnails come from the upload itself: the uploader sees what they scanned even where the
            # record's policy does not let their role read the filed document.
            upload.thumbnails.update(thumbnails(upload.path, [item]))
            batch.touch()

        def show(item: IntakeItem) -> None:
            with self._lock:
                batch.add(index, item)
                log.info("batch %s: %s, pages %s", batch.id, item.status, item.pages)
            previews.append(self._previews.submit(draw, item))

        return show

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._previews.shutdown(wait=False, cancel_futures=True)
        if self.intake is flow_intake and "prefect" in sys.modules:
            from flows.runtime import stop_prefect_api

            stop_prefect_api()
