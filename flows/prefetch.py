"""Pages read before their flow run exists: `dach intake` reads the first pages of its batch while its
temporary Prefect server starts and while it imports and loads what the flow needs (`flows.intake.warm_up`),
and the flow's `read_page` step takes those readings instead of reading the pages again.

This module imports neither Prefect nor the classifiers: the reading starts as soon as the files are admitted,
not after the seconds those imports take.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from ocr.reader import PageReading, ReadOptions
from ocr.reader import read_page as read_page_of
from schemas.errors import DachError
from schemas.settings import Settings
from storage import Archive

log = logging.getLogger(__name__)


class Prefetch:
    """Pages read before their flow run exists: `dach intake` reads the first pages of its batch while the
    temporary Prefect server starts (seconds in which the parser processes would otherwise wait), and the
    flow's `read_page` takes those readings instead of reading the pages again.

    Pages are read `workers` at a time, in the order the flow reads them (the files in the order workers
    claim them). `stop` starts no new page; the ones in hand are finished and wait for their flow. A page
    the flow asks for that has not started yet is read by the flow itself."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="dach-prefetch")
        self._pages: dict[tuple[str, int], tuple[ReadOptions, Future[PageReading]]] = {}
        self._lock = threading.Lock()

    def start(self, archive: Archive, files: list[tuple[str, int]], options: ReadOptions, *, pages: int) -> None:
        """Queue the pages of `files` (object key, page count) for reading, file by file, until about `pages`."""
        queued = 0
        for key, count in files:
            if queued >= pages:
                break
            queued += count
            data = archive.get_object(key)
            with self._lock:
                for page in range(1, count + 1):
                    self._pages[(key, page)] = (options, self._pool.submit(read_page_of, data, page, options))

    def stop(self) -> None:
        with self._lock:
            for key, (_, future) in list(self._pages.items()):
                if future.cancel():
                    del self._pages[key]
        self._pool.shutdown(wait=False)

    def take(self, key: str, page: int, options: ReadOptions) -> PageReading | None:
        """The reading of this page if it was started (waiting for it to end); None if the flow reads it."""
        with self._lock:
            held = self._pages.pop((key, page), None)
        if held is None or held[0] != options or held[1].cancel():
            return None
        return held[1].result()  # a page that failed fails the flow's step as if the step had read it


_prefetched: Prefetch | None = None


def taken(key: str, page: int, options: ReadOptions) -> PageReading | None:
    """The reading of this page if `dach intake` started it before its flow ran (see `Prefetch.take`)."""
    return _prefetched.take(key, page, options) if _prefetched is not None else None


@contextmanager
def prefetching(archive: Archive, sha256s: list[str], settings: Settings) -> Iterator[None]:
    """Read the queued files among `sha256s` while the block runs (the wait for the Prefect API); the pages
    started by its end are handed to the flow. A failure to start only costs the head start."""
    global _prefetched
    prefetch = Prefetch(max(1, settings.ocr_workers - 1))  # a core left to the starting server
    options = ReadOptions.from_settings(settings, want_pdf=True)
    try:
        # A temporary server starts in 5-10 s: about as many pages as the parser processes read meanwhile.
        prefetch.start(archive, archive.queued_intake(sha256s), options, pages=8 * settings.ocr_workers)
    except DachError as exc:
        log.info("no pages read ahead: %s", exc)
    _prefetched = prefetch
    try:
        yield
    finally:
        prefetch.stop()
