"""`dach intake`'s head start: its first file read and filed before the flow (and its Prefect server) can run.

A temporary Prefect server takes 3-5 CPU-s to start, and the intake flow cannot run before it answers; the
first document was filed only after that start-up, the flow run's creation and the flow engine's start. So
the command claims its first file at once (under the lease the flow run then goes on holding), reads its
pages and files each document as soon as it is settled, with the flow's own `Stack` (`flows.stack`, which
imports no Prefect: the head start does not wait for Prefect's import), until the flow takes the file over:
the flow then goes on from the page the head start reached, with the pages read and the documents filed so
far, and its log says what was done before it ran. Pages read ahead but not yet taken, and pages of the files
after it, are handed to the flow's `read_page` steps (`Prefetch`).

Nothing is done twice and nothing is left out: every page is read once, every document filed once (by the
head start or by the flow), and a page that cannot be read is left for the flow, which sets the file aside as
it always does. A command that ends before its flow took the file over gives the file back to the queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flows.runtime import archive_for, holding_lease
from ocr.reader import PageReading, ReadOptions
from ocr.reader import read_page as read_page_of
from schemas.documents import ErrorInfo
from schemas.errors import DachError
from schemas.intake import IntakeClaim, ReadPage
from schemas.settings import Settings
from storage import Archive

if TYPE_CHECKING:  # imported once the first pages are being read: the classifiers' imports do not delay them
    from flows.stack import Stack

log = logging.getLogger(__name__)


class Prefetch:
    """Pages read before their flow run exists: `dach intake` reads the first pages of its batch while the
    temporary Prefect server starts (seconds in which the parser processes would otherwise wait), and the
    flow's `read_page` takes those readings instead of reading the pages again.

    Pages are read `workers` at a time, in the order the flow reads them (the files in the order workers
    claim them), until the flow takes its first page: from then on its own steps read what was not started
    (the second or so the flow takes to start is reading time too). `stop` starts no new page; the ones in hand
    are finished and wait for their flow. A page the flow asks for that has not started yet is read by the flow."""

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
        self.stop()  # the flow reads now: its pool is what bounds the pages read at once
        with self._lock:
            held = self._pages.pop((key, page), None)
        if held is None or held[0] != options or held[1].cancel():
            return None
        return held[1].result()  # a page that failed fails the flow's step as if the step had read it

    def next_read(self, key: str, page: int, options: ReadOptions, stop: threading.Event) -> PageReading | None:
        """For the head start: the page's reading once it is done, taken out. None if it is not queued, was
        cancelled, or `stop` was set first; None too if reading it failed, and the failure stays for the flow's
        step to take and raise (the file is set aside by the flow, as when the step reads the page itself)."""
        with self._lock:
            held = self._pages.get((key, page))
        if held is None or held[0] != options:
            return None
        while not stop.is_set():
            try:
                failed = held[1].exception(timeout=0.1)
            except TimeoutError:
                continue
            except CancelledError:
                return None
            if failed is not None:
                return None
            with self._lock:
                self._pages.pop((key, page), None)
            return held[1].result()
        return None


class HeadStart:
    """One claimed file read and filed page by page in a thread of its own, until the flow takes it over."""

    def __init__(self, stack: Stack, owner: str, prefetch: Prefetch, options: ReadOptions, lease_s: float) -> None:
        self.stack = stack
        self.owner = owner
        self.taken = False
        self.first_filed = threading.Event()  # or the head start ended without filing one
        self._prefetch = prefetch
        self._options = options
        self._lease_s = lease_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dach-head-start", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            self._read_and_file()
        finally:
            self.first_filed.set()  # it ended, with a document filed or without: whoever waits goes on

    def _read_and_file(self) -> None:
        claim = self.stack.claim
        archive = archive_for(self.stack.settings)
        with holding_lease(archive, claim, self.owner, every_s=max(1.0, self._lease_s / 4)):
            try:
                from flows.stack import warm_filing

                warm_filing(self.stack.settings)  # the model and the filing's imports: while page 1 is read
                for page in range(1, claim.page_count + 1):
                    reading = self._prefetch.next_read(claim.object_key, page, self._options, self._stop)
                    if reading is None:
                        return  # stopped, not read ahead, or unreadable: the flow goes on from here
                    pdf_key = archive.put_derived(reading.pdf, "application/pdf") if reading.pdf else None
                    self.stack.add(ReadPage(text=reading.text, pdf_key=pdf_key), claim.page_count)
                    if self.stack.early:
                        self.first_filed.set()
                    if self._stop.is_set():
                        return
            except DachError as exc:  # the store or a program briefly away: the flow's steps retry what is left
                log.warning("%s: the head start stopped: %s", claim.sha256[:12], exc)
            except Exception as exc:  # anything else: the flow meets it again in its own steps, which contain it
                log.warning("%s: the head start stopped: %s: %s", claim.sha256[:12], type(exc).__name__, exc)

    def take(self) -> Stack:
        """Stop at the next page and hand the stack over (what it read and filed so far) to the flow, which
        makes it its own (its claim, its way of telling, its filing steps)."""
        self._stop.set()
        self._thread.join()
        self.taken = True
        return self.stack

    def give_back(self) -> None:
        """The flow never took the file (the Prefect API did not answer): back to the queue, for the next run."""
        self._stop.set()
        self._thread.join()
        claim = self.stack.claim
        error = ErrorInfo(code="not_finished", message="the command ended before the intake flow took the file over")
        archive_for(self.stack.settings).release_intake(claim.sha256, self.owner, error)


_prefetched: Prefetch | None = None
_head_start: HeadStart | None = None


def taken_reading(key: str, page: int, options: ReadOptions) -> PageReading | None:
    """The flow's `read_page`: the page's reading if it was started ahead (None: the step reads it)."""
    return _prefetched.take(key, page, options) if _prefetched is not None else None


def wait_for_first_document() -> None:
    """Until the head start filed its first document, or stopped without one. `dach intake` starts its temporary
    Prefect server, imports Prefect and warms the flow up only then: on two cores, those 2-3 CPU-s of imports and
    the server's 3-5 beside the first pages' reading made the first document wait for them, and the flow cannot
    start before the server answers anyway (meanwhile the head start goes on with the pages read ahead). No
    timeout: the head start ends at the latest after the last page read ahead (each read under the page
    timeout); a first document longer than that is filed by the flow, whose start then waits for the server
    and the imports (the price of the first document of a short stack coming sooner)."""
    if _head_start is not None:
        _head_start.first_filed.wait()


def taken_stack(claim: IntakeClaim) -> Stack | None:
    """The flow's start on a file: the stack the head start read and filed of it, if it is this claim's file
    (a later attempt's too, when the first flow run failed before it took the file)."""
    head = _head_start
    if head is None or head.taken or head.stack.claim.sha256 != claim.sha256:
        return None
    return head.take()


@contextmanager
def head_start(
    archive: Archive,
    sha256s: list[str],
    settings: Settings,
    claim: Callable[[], tuple[IntakeClaim, str] | None],
    stack_for: Callable[[IntakeClaim], Stack],
    lease_s: float,
) -> Iterator[IntakeClaim | None]:
    """Read the queued files among `sha256s` while the block runs (the wait for the Prefect API, the flow's
    start), and file the documents of the first one, which `claim` takes for this process (its claim and
    lease owner) and the block gets to hand to its flow run (None: no file was claimed); `stack_for` makes
    the flow's stack of the claimed file, as the head start's (not in the flow). A failure to start only costs
    the head start."""
    global _prefetched, _head_start
    # As many pages at once as the flow reads: the first document no longer waits for the starting server.
    prefetch = Prefetch(settings.ocr_workers)
    options = ReadOptions.from_settings(settings, want_pdf=True)
    claimed: tuple[IntakeClaim, str] | None = None
    try:
        claimed = claim()
        files = [(claimed[0].object_key, claimed[0].page_count)] if claimed else []
        # A temporary server, started once the first document is filed, answers 5-10 s later: about as many pages
        # as the parser processes read meanwhile.
        prefetch.start(archive, files + archive.queued_intake(sha256s), options, pages=8 * settings.ocr_workers)
    except DachError as exc:
        log.info("no pages read ahead: %s", exc)
    head: HeadStart | None = None
    if claimed is not None:
        head = HeadStart(stack_for(claimed[0]), claimed[1], prefetch, options, lease_s)
        head.start()  # with no page read ahead it ends at once, and the flow reads the file from its first page
    _prefetched, _head_start = prefetch, head
    try:
        yield head.stack.claim if head is not None else None
    finally:
        prefetch.stop()
        if head is not None and not head.taken:
            head.give_back()
        _prefetched, _head_start = None, None
