"""The intake flow: what one scan goes through on its way into the shared e-file.

As a clerk would tell it: take the scan (the intake door kept the original exactly as handed in); read its
pages, several at once; split the stack into documents and say what each one is, with its fields; match the
person and file each document into their record, as soon as it is settled, so the first results come while
the rest of the stack is still being read. A page dach cannot read puts the file aside with the reason.

One flow run reads one file, named by its SHA-256; the worker that runs it holds the file's lease in the
record database and renews it while the flow runs (`flows/worker.py`). The steps are Prefect tasks taking
object keys and small frozen models; the work is done by plain functions in the rooms (`ocr.reader`,
`classifiers`, `classifiers.settling`, `storage.intake_filing`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from classifiers.settling import corrections
from flows import ahead
from flows.dispatch import dispatch_after_intake
from flows.runtime import archive_for, holding_lease
from flows.stack import Filed, OnItem, Stack, warm_filing
from ocr.reader import ReadOptions
from ocr.reader import read_page as read_page_of
from schemas.documents import ErrorInfo, ExtractedDocument
from schemas.errors import DachError, InvalidRequest, TransientError
from schemas.intake import BatchReport, FileState, IntakeClaim, IntakeItem, IntakeStatus, ReadPage
from schemas.record import Actor
from schemas.settings import Settings
from storage import Archive, intake_filing

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
NextClaim = Callable[[], IntakeClaim | None]


def warm_up(settings: Settings) -> None:
    """Open the record, load the classifier model, start the parser workers and import what the steps and the
    flow engine import on first use, now (a worker does this before its first file)."""
    import importlib

    warm_filing(settings)
    for module in ("prefect.flow_engine", "prefect.task_engine"):
        importlib.import_module(module)


def as_is(value: R) -> R:
    """`value` handed to a task as it is: Prefect walks through every task parameter twice (looking for futures
    to wait for and to record as the run's inputs), which for the pages read so far, with every word and its
    box, cost more CPU than filing the document (4 of 21 CPU-s of a 10-page `dach intake`). These parameters
    hold no futures; the task gets the value itself."""
    return cast(R, quote(value))


def _only_transient(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry a task only when it failed for a reason that may pass (store down, timeout)."""
    try:
        state.result()
    except TransientError:
        return True
    except Exception:  # any other failure is final: bad input is quarantined, not retried
        return False
    return False


def _retried_task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """A task retried with backoff when the store or a program is briefly unavailable, never for bad input."""
    return task(
        name=name,
        cache_policy=NO_CACHE,
        retries=4,
        retry_delay_seconds=[1, 2, 5, 10],
        retry_condition_fn=_only_transient,
    )


# --- the steps -------------------------------------------------------------------------------------------


@_retried_task("read-page")
def read_page(key: str, page: int, options: ReadOptions, settings: Settings) -> ReadPage:
    """OCR one page (or take its text layer) and keep its searchable-PDF page beside the original."""
    archive = archive_for(settings)
    reading = ahead.taken_reading(key, page, options) or read_page_of(archive.get_object(key), page, options)
    pdf_key = archive.put_derived(reading.pdf, "application/pdf") if reading.pdf else None
    return ReadPage(text=reading.text, pdf_key=pdf_key)


@_retried_task("match-and-file")
def file_document(
    claim: IntakeClaim, document: ExtractedDocument, pages: list[ReadPage], settings: Settings, actor: Actor
) -> IntakeItem:
    """Match the person and file one document (idempotent: the same pages twice are one document)."""
    return intake_filing.file_read_document(archive_for(settings), claim, document, pages, actor)


@_retried_task("refile-early")
def refile_early(
    claim: IntakeClaim,
    early: list[tuple[ExtractedDocument, IntakeItem]],
    documents: list[ExtractedDocument],
    pages: list[ReadPage],
    settings: Settings,
    actor: Actor,
) -> list[IntakeItem]:
    """Put pages filed early into the documents the whole stack makes of them (a separator sheet came later)."""
    return intake_filing.refile_early(archive_for(settings), claim, early, documents, pages, actor)


# --- one stack, read page by page --------------------------------------------------------------------------


class InFlow:
    """A stack's filing as the flow's Prefect tasks, retried when the store is briefly away."""

    def file(self, stack: Stack, document: ExtractedDocument) -> IntakeItem:
        return file_document(stack.claim, as_is(document), as_is(stack.pages), stack.settings, stack.actor)

    def refile(self, stack: Stack, filed: Filed, new: list[ExtractedDocument]) -> list[IntakeItem]:
        return refile_early(stack.claim, as_is(filed), as_is(new), as_is(stack.pages), stack.settings, stack.actor)


def file_the_rest(stack: Stack) -> list[IntakeItem]:
    """All pages are read: file what is not filed yet, and flag early filings the whole file contradicts
    and that could not be filed anew."""
    stack.refile(stack.analysis.documents)
    results: list[IntakeItem | PrefectFuture[IntakeItem]] = []  # in document order
    for doc in stack.analysis.documents:
        if doc.pages in stack.early and stack.early[doc.pages][0] == doc:
            results.append(stack.early[doc.pages][1])
        else:
            filing = file_document.submit(stack.claim, as_is(doc), as_is(stack.pages), stack.settings, stack.actor)
            results.append(filing)
    for doc in corrections([doc for doc, _ in stack.early.values()], stack.analysis):
        item = stack.early[doc.pages][1]
        if item.status is not IntakeStatus.DUPLICATE:  # an earlier run's: reported through the whole file
            flagged = intake_filing.correction_item(item, stack.analysis)
            results.append(flagged)
            stack.tell(flagged)
    for done in as_completed([f for f in results if not isinstance(f, IntakeItem)]):
        stack.tell(done.result())
    return [f if isinstance(f, IntakeItem) else f.result() for f in results]


def _in_page_order(futures: list[PrefectFuture[ReadPage]]) -> Iterator[ReadPage]:
    for future in futures:
        yield future.result()


# --- the flow ---------------------------------------------------------------------------------------------


def _outcome(items: list[IntakeItem]) -> FileState:
    if any(i.status is IntakeStatus.QUARANTINED for i in items):
        return FileState.QUARANTINED
    if any(i.status is IntakeStatus.NEEDS_REVIEW for i in items):
        return FileState.NEEDS_REVIEW
    return FileState.FILED


def read_and_file(claim: IntakeClaim, settings: Settings, tell: OnItem) -> tuple[list[IntakeItem], tuple[int, ...]]:
    """The process for one scan the door kept: read its pages, split and understand, match and file.
    Returns the outcomes and the pages left out (blank pages, separator sheets)."""
    options = ReadOptions.from_settings(settings, want_pdf=True)
    stack = cast("Stack | None", ahead.taken_stack(claim))  # the head start's, begun as a Stack
    if stack is not None:  # the flow's from here on: its claim (a later attempt's too), telling, filing steps
        stack.claim, stack.tell, stack.filing = claim, tell, InFlow()
        log.info(
            "%s: pages 1-%d read and %d document(s) filed before this flow run started (`dach intake`'s head start, "
            "before and while the Prefect server started)",
            claim.sha256[:12],
            len(stack.pages),
            len(stack.early),
        )
    stack = stack or Stack(claim, settings, tell, InFlow())
    first = len(stack.pages) + 1
    pages = [read_page.submit(claim.object_key, n, options, settings) for n in range(first, claim.page_count + 1)]
    try:
        for page in _in_page_order(pages):
            stack.add(page, claim.page_count)
    except DachError as exc:  # a page dach cannot read: the file is set aside (what was filed early says so)
        if isinstance(exc, TransientError):
            raise  # not the file's fault: the worker gives it back to the queue
        set_aside = intake_filing.quarantine_unreadable(
            archive_for(settings), claim, ErrorInfo(code=exc.code, message=exc.message)
        )
        tell(set_aside)
        return [item for _, item in stack.early.values()] + [set_aside], ()
    return file_the_rest(stack), stack.analysis.dropped_pages


def bounded(settings: Settings) -> Any:
    """The intake flow reading at most `DACH_OCR_WORKERS` pages at once (one tesseract process each): the
    flow's task runner is what bounds the page reads, so every run is started through this."""
    runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(max_workers=settings.ocr_workers)
    return intake_file.with_options(task_runner=runner)  # type: ignore[arg-type]  # Prefect types it narrower


def _read_under_lease(
    archive: Archive, claim: IntakeClaim, owner: str, settings: Settings, tell: OnItem, lease_s: float
) -> tuple[list[IntakeItem], tuple[int, ...]]:
    """Read and file one claimed scan while renewing its lease; a failure gives the file back to the queue
    (or sets it aside after its last attempt) and is raised."""
    try:
        with holding_lease(archive, claim, owner, every_s=max(1.0, lease_s / 4)):
            return read_and_file(claim, settings, tell)
    except Exception as exc:
        code = exc.code if isinstance(exc, DachError) else "crashed"
        message = str(exc)[:2000] or type(exc).__name__
        archive.release_intake(claim.sha256, owner, ErrorInfo(code=code, message=message))
        raise


def _finish(archive: Archive, claim: IntakeClaim, owner: str, items: list[IntakeItem]) -> None:
    set_aside = next((i for i in items if i.status is IntakeStatus.QUARANTINED), None)
    archive.finish_intake(
        claim.sha256,
        owner,
        _outcome(items),
        documents=[i.document_id for i in items if i.document_id],
        error=set_aside.error if set_aside else None,
        quarantine_id=set_aside.quarantine_id if set_aside else None,
    )


@flow(name="dach-intake", validate_parameters=False)
def intake_file(
    sha256: str,
    lease_owner: str | None = None,
    settings: Settings | None = None,
    on_item: OnItem | None = None,
    lease_s: float = 60.0,
    next_claim: NextClaim | None = None,
) -> BatchReport:
    """Read and file one admitted scan, named by its SHA-256, then the scans `next_claim` hands on.

    `lease_owner` is the worker that claimed the file; started without one (by a Prefect worker from the
    deployment), the flow claims the file itself. A worker also hands `next_claim`: the run goes on with the
    next file that worker claims for it, each under a lease of its own, until it hands None (a small batch
    per run: a run costs a dozen Prefect API calls and a listener thread, more than a short scan's reading).
    The next file is claimed before this one is finished, so a live run always holds a lease and the
    reaper's sweep never takes it for stranded. `on_item` hears of each document as soon as it is filed."""
    started = time.monotonic()
    settings = settings or Settings()  # a deployment run starts here: the flow is a shell, like the CLI
    archive = archive_for(settings)
    owner = lease_owner or f"flow-{sha256[:12]}-{time.time_ns()}"
    claim = archive.held_intake(sha256, owner) if lease_owner else archive.claim_intake(owner, sha256s=[sha256])
    if claim is None:
        raise InvalidRequest(f"intake file {sha256[:12]} is not held by {owner}: another worker has it, or it is done")
    batch_id = claim.batch_id
    tell = on_item or (lambda item: None)
    items: list[IntakeItem] = []
    dropped: dict[str, tuple[int, ...]] = {}
    current: IntakeClaim | None = claim
    while current is not None:
        found, left_out = _read_under_lease(archive, current, owner, settings, tell, lease_s)
        following = next_claim() if next_claim is not None else None
        _finish(archive, current, owner, found)
        dispatch_after_intake(archive)  # hand what was filed over to the departments (the schedule retries)
        items += found
        if left_out:
            dropped[current.original_name] = left_out
        current = following
    return BatchReport(batch_id=batch_id, items=tuple(items), dropped_pages=dropped, seconds=time.monotonic() - started)
