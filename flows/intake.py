"""The intake flow: what a stack of scans goes through on its way into the shared e-file.

As a clerk would tell it: keep the original exactly as scanned; check that it is a file we can read (if not,
put it aside with the reason); read every page (in parallel); split the stack into documents and say what
each one is; pull out its fields; file it into the person's record. Each step is a Prefect task taking
object keys and small frozen models; the work itself is done by plain functions in the rooms.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from classifiers import FileAnalysis, analyse
from classifiers.split import ends_document
from flows.steps import error_info, load_input, page_texts_json
from ocr.reader import ReadOptions
from ocr.reader import read_page as read_page_of
from ocr.rendition import merge_pages
from ocr.sources import inspect_source
from schemas.documents import ErrorInfo, ExtractedDocument, Frozen, PageText
from schemas.errors import AccessDenied, DachError, InputRejected, InvalidRequest, NotFound, TransientError
from schemas.intake import BatchReport, IntakeItem, IntakeStatus
from schemas.record import SYSTEM_ACTOR, Actor, DocumentLayout, FilingRequest, RestructureRequest
from schemas.settings import Settings
from storage import Archive, open_archive

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")

_archives: dict[Settings, Archive] = {}
_archives_lock = threading.Lock()


def archive_for(settings: Settings) -> Archive:
    """One open archive per settings in this worker process (tasks get settings, not connections)."""
    with _archives_lock:  # task threads start together; opening runs migrations, so only once
        if settings not in _archives:
            _archives[settings] = open_archive(settings)
        return _archives[settings]


_warm_ups: dict[Settings, threading.Thread] = {}


def _warm_up(settings: Settings) -> None:
    """Open the record and load the classifier model: what every batch needs before its first document."""
    from classifiers.model import shipped_model

    archive_for(settings)
    shipped_model()


def _start_warm_up(settings: Settings) -> None:
    """Warm up beside Prefect's start-up (a fixed cost, like it), not inside the batch's own time."""
    with _archives_lock:
        if settings not in _warm_ups:
            _warm_ups[settings] = threading.Thread(target=_warm_up, args=(settings,), name="dach-warm-up", daemon=True)
            _warm_ups[settings].start()


def _wait_for_warm_up(settings: Settings) -> None:
    with _archives_lock:
        thread = _warm_ups.get(settings)
    if thread is not None:
        thread.join()


def warm_up(settings: Settings) -> None:
    """Open the record and load the model now (a long-running shell calls this before the first batch)."""
    _start_warm_up(settings)
    _wait_for_warm_up(settings)


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


class StoredFile(Frozen):
    file: str
    key: str | None = None
    page_count: int = 0
    error: ErrorInfo | None = None
    quarantine_id: str | None = None


class PageResult(Frozen):
    text: PageText
    pdf_key: str | None


@_retried_task("store-original")
def store_original(path: str, settings: Settings, batch_id: str) -> StoredFile:
    """Keep the original unchanged (content-addressed), then check it is a file dach can read."""
    archive = archive_for(settings)
    try:
        data = load_input(Path(path), settings.limits)
    except InputRejected as exc:
        data = Path(path).read_bytes() if Path(path).is_file() and exc.code != "file_too_large" else b""
        qid = archive.quarantine(data, Path(path).name, error_info(exc), batch_id)
        return StoredFile(file=path, error=error_info(exc), quarantine_id=qid)
    key = archive.put_original(data)
    try:
        info = inspect_source(data, settings.limits)
    except InputRejected as exc:
        qid = archive.quarantine(data, Path(path).name, error_info(exc), batch_id)
        return StoredFile(file=path, key=key, error=error_info(exc), quarantine_id=qid)
    return StoredFile(file=path, key=key, page_count=info.page_count)


@_retried_task("read-page")
def read_page(key: str, page: int, options: ReadOptions, settings: Settings) -> PageResult:
    """OCR one page (or take its text layer) and keep its searchable-PDF page beside the original."""
    archive = archive_for(settings)
    reading = read_page_of(archive.get_object(key), page, options)
    pdf_key = archive.put_derived(reading.pdf, "application/pdf") if reading.pdf else None
    return PageResult(text=reading.text, pdf_key=pdf_key)


@task(name="classify-and-extract", cache_policy=NO_CACHE)
def classify(pages: list[PageText], review_threshold: float) -> FileAnalysis:
    """Split the pages into documents, classify each one and pull out its fields."""
    return analyse(pages, review_threshold=review_threshold)


def _renditions(
    archive: Archive, document: ExtractedDocument, pages: list[PageResult]
) -> tuple[tuple[PageText, ...], str, str | None]:
    """The document's own pages, and its OCR text and searchable PDF stored beside the original."""
    own = [p for p in pages if p.text.page in document.pages]
    text_key = archive.put_derived(page_texts_json([p.text for p in own]), "application/json")
    pdf_pages = [archive.get_object(p.pdf_key) for p in own if p.pdf_key]
    pdf_key = archive.put_derived(merge_pages(pdf_pages), "application/pdf") if pdf_pages else None
    return tuple(p.text for p in own), text_key, pdf_key


@_retried_task("file-document")
def file_document(
    stored: StoredFile,
    document: ExtractedDocument,
    pages: list[PageResult],
    settings: Settings,
    batch_id: str,
    actor: Actor,
) -> IntakeItem:
    """File one document into its person's record (idempotent: the same pages twice are one document)."""
    archive = archive_for(settings)
    assert stored.key is not None
    own, text_key, pdf_key = _renditions(archive, document, pages)
    request = FilingRequest(
        original_key=stored.key,
        original_filename=Path(stored.file).name,
        media_type="",
        document=document,
        pages=own,
        text_key=text_key,
        searchable_pdf_key=pdf_key,
        batch_id=batch_id,
    )
    outcome = archive.file_document(request, actor)
    return IntakeItem(
        file=stored.file,
        status=IntakeStatus(outcome.status),
        document_id=outcome.document_id,
        type=document.type,
        pages=document.pages,
        person_id=outcome.person_id,
        review_notes=document.notes,
    )


REFILE_REASON = "the whole stack puts these pages together differently from while it was read (separator sheet)"


def _keeps(
    final: ExtractedDocument, early: Sequence[tuple[ExtractedDocument, IntakeItem]], used: set[str]
) -> str | None:
    """The early document whose id a document of the whole file keeps: the one it shares most pages with."""
    shared = [(len(set(doc.pages) & set(final.pages)), item.document_id) for doc, item in early]
    best = max(((n, i) for n, i in shared if n and i and i not in used), default=None, key=lambda pair: pair[0])
    return best[1] if best else None


@_retried_task("refile-early")
def refile_early(
    stored: StoredFile,
    early: list[tuple[ExtractedDocument, IntakeItem]],
    documents: list[ExtractedDocument],
    pages: list[PageResult],
    settings: Settings,
    batch_id: str,
    actor: Actor,
) -> list[IntakeItem]:
    """Documents filed while the stack was read that more of the stack puts together differently (a
    separator sheet came later): their pages go into `documents`, as new versions, and an early document left
    without pages is withdrawn (`Archive.restructure`). Empty if that cannot be done (someone changed them
    meanwhile): the caller then files and flags them as before."""
    archive = archive_for(settings)
    assert stored.key is not None
    layouts: list[DocumentLayout] = []
    used: set[str] = set()
    for doc in documents:
        keeps = _keeps(doc, early, used)
        used |= {keeps} if keeps else set()
        own, text_key, pdf_key = _renditions(archive, doc, pages)
        layouts.append(
            DocumentLayout(document_id=keeps, document=doc, pages=own, text_key=text_key, searchable_pdf_key=pdf_key)
        )
    if not layouts:  # the whole file drops every page filed early: nothing to put them into
        return []
    request = RestructureRequest(
        original_key=stored.key,
        expected_pages={str(item.document_id): doc.pages for doc, item in early},
        layouts=tuple(layouts),
        reason=REFILE_REASON,
        batch_id=batch_id,
    )
    try:
        outcome = archive.restructure(request, actor)
    except (InvalidRequest, AccessDenied, NotFound) as exc:
        log.warning("%s: the documents filed early could not be put together anew: %s", stored.file, exc)
        return []
    return [
        IntakeItem(
            file=stored.file,
            status=IntakeStatus(d.status),
            document_id=d.document_id,
            type=d.type,
            pages=d.pages,
            person_id=d.person_id,
            review_notes=d.notes,
        )
        for d in outcome.documents
    ]


def _quarantine_after_failure(stored: StoredFile, exc: DachError, settings: Settings, batch_id: str) -> IntakeItem:
    archive = archive_for(settings)
    assert stored.key is not None
    qid = archive.quarantine(archive.get_object(stored.key), Path(stored.file).name, error_info(exc), batch_id)
    return IntakeItem(file=stored.file, status=IntakeStatus.QUARANTINED, quarantine_id=qid, error=error_info(exc))


OnItem = Callable[[IntakeItem], None]

# Early filing re-analyses the pages read so far after every page: cheap for a stack at the front desk, but
# quadratic in the pages, so a long file stops streaming after this many pages.
STREAM_MAX_PAGES = 24


def settled_documents(analysis: FileAnalysis, pages: Sequence[PageResult]) -> tuple[ExtractedDocument, ...]:
    """The documents of the pages read so far that later pages cannot change: every one followed by the start
    of another, and the last one too when its last page says so ("Seite 3 von 3"), so a multi-page notice is
    filed without waiting for the next page to be read. A separator sheet further on can still merge them
    (the whole file is then split at separators only): `corrections` finds those at the end, and
    `refile_early` moves their pages into the documents of the whole file."""
    if not analysis.documents:
        return ()
    last = analysis.documents[-1]
    text_of = {p.text.page: p.text for p in pages}
    closed = last.pages[-1] in text_of and ends_document(text_of[last.pages[-1]])
    return analysis.documents if closed else analysis.documents[:-1]


def corrections(early: Sequence[ExtractedDocument], final: FileAnalysis) -> list[ExtractedDocument]:
    """Documents filed early that the analysis of the whole file does not confirm (same pages and type)."""
    return [doc for doc in early if doc not in final.documents]


def _correction_item(item: IntakeItem, final: FileAnalysis) -> IntakeItem:
    pages = ", ".join(f"{d.pages[0]}-{d.pages[-1]}" for d in final.documents if set(d.pages) & set(item.pages))
    note = (
        f"filed while the stack was still being read; the whole stack puts pages {pages} together differently "
        "(a separator sheet came later): please check this document and withdraw it if it is a duplicate"
    )
    log.warning(
        "document %s (pages %s) was filed early and is not confirmed by the whole file", item.document_id, item.pages
    )
    return item.model_copy(update={"status": IntakeStatus.NEEDS_REVIEW, "review_notes": (*item.review_notes, note)})


def _refile_clashing(
    stored: StoredFile,
    documents: Sequence[ExtractedDocument],
    reading: _Reading,
    settings: Settings,
    batch_id: str,
    actor: Actor,
) -> list[IntakeItem]:
    """Move the pages of early filings into those of `documents` that put them together differently, as
    soon as every page of those filings has its document; `reading.early` then holds the new documents.
    Returns what was re-filed (nothing when it must wait for more pages or could not be done)."""
    live = list(reading.early.values())
    clashing = [
        d
        for d in documents
        if not (d.pages in reading.early and reading.early[d.pages][0] == d)
        and any(set(d.pages) & set(e.pages) for e, _ in live)
    ]
    touched = [(e, i) for e, i in live if any(set(e.pages) & set(d.pages) for d in clashing)]
    covered = {p for d in clashing for p in d.pages}
    if not clashing or not all(set(e.pages) <= covered for e, _ in touched):
        return []
    if any(i.status is IntakeStatus.DUPLICATE for _, i in touched):  # an earlier run's documents: not ours
        return []
    refiled = refile_early(stored, touched, clashing, reading.pages, settings, batch_id, actor)
    if refiled:
        for e, _ in touched:
            del reading.early[e.pages]
        reading.early.update({d.pages: (d, item) for d, item in zip(clashing, refiled, strict=True)})
        log.info("%s: pages %s filed anew after reading page %d", stored.file, sorted(covered), len(reading.pages))
    return refiled


def _clashes(doc: ExtractedDocument, reading: _Reading) -> bool:
    return any(set(doc.pages) & set(e.pages) for e, _ in reading.early.values())


@dataclass
class _Reading:
    """One file read page by page: its pages so far, their analysis, what was filed early, and why it stopped."""

    pages: list[PageResult] = field(default_factory=list)
    analysis: FileAnalysis = field(default_factory=FileAnalysis)
    early: dict[tuple[int, ...], tuple[ExtractedDocument, IntakeItem]] = field(default_factory=dict)
    failure: DachError | None = None


def _read_filing_as_settled(
    stored: StoredFile,
    page_futures: list[PrefectFuture[PageResult]],
    settings: Settings,
    batch_id: str,
    actor: Actor,
    tell: OnItem,
) -> _Reading:
    """Take the pages of one file as they are read, in page order, and file each document as soon as the
    next one has begun. The pool is busy reading the next pages, so this cheap analysis and the early
    filing run in the flow's own thread."""
    reading = _Reading()
    for future in page_futures:
        try:
            reading.pages.append(future.result())
        except DachError as exc:
            reading.failure = exc
            return reading
        if len(reading.pages) > STREAM_MAX_PAGES and len(reading.pages) < len(page_futures):
            continue  # a long file: no more early filing, its analysis is done once when all pages are read
        reading.analysis = classify([p.text for p in reading.pages], settings.review_threshold)
        settled = settled_documents(reading.analysis, reading.pages)
        for item in _refile_clashing(stored, settled, reading, settings, batch_id, actor):
            tell(item)
        for doc in settled:
            if doc.pages not in reading.early and not _clashes(doc, reading):
                item = file_document(stored, doc, reading.pages, settings, batch_id, actor)
                log.info("%s: pages %s filed after reading page %d", stored.file, doc.pages, len(reading.pages))
                reading.early[doc.pages] = (doc, item)
                tell(item)
    return reading


@flow(name="dach-intake", validate_parameters=False)
def intake_flow(
    paths: list[str],
    settings: Settings,
    batch_id: str,
    actor: Actor = SYSTEM_ACTOR,
    on_item: OnItem | None = None,
) -> BatchReport:
    """Take a batch of scans into the e-file. A bad file is quarantined; the rest of the batch goes on.

    Pages are read in order (in parallel), and a document is filed as soon as the next one has begun, so the
    first results come while the rest of the stack is still being read; `on_item` hears of each outcome when
    it is known. `actor` is who files: the intake system for the scanner inbox and the CLI, the front-desk
    user for an upload in the web app (so they can see and review what they brought in)."""
    _wait_for_warm_up(settings)
    started = time.monotonic()
    tell = on_item or (lambda item: None)
    options = ReadOptions.from_settings(settings, want_pdf=True)
    stored = [f.result() for f in [store_original.submit(p, settings, batch_id) for p in paths]]

    page_futures = {
        s.file: [read_page.submit(s.key, n, options, settings) for n in range(1, s.page_count + 1)]
        for s in stored
        if s.error is None and s.key is not None
    }
    items: list[IntakeItem] = []
    dropped: dict[str, tuple[int, ...]] = {}
    filings: list[IntakeItem | PrefectFuture[IntakeItem]] = []  # in document order, as before streaming
    for s in stored:
        if s.error is not None:
            items.append(
                IntakeItem(file=s.file, status=IntakeStatus.QUARANTINED, quarantine_id=s.quarantine_id, error=s.error)
            )
            tell(items[-1])
            continue
        reading = _read_filing_as_settled(s, page_futures[s.file], settings, batch_id, actor, tell)
        if reading.failure is not None:  # a page dach cannot read: the file is set aside (what was filed says so)
            filings += [item for _, item in reading.early.values()]
            items.append(_quarantine_after_failure(s, reading.failure, settings, batch_id))
            tell(items[-1])
            continue
        # All pages are read, so `analysis` is the whole file's: file the rest and check what was filed early.
        analysis, early = reading.analysis, reading.early
        if analysis.dropped_pages:
            dropped[s.file] = analysis.dropped_pages
        for item in _refile_clashing(s, analysis.documents, reading, settings, batch_id, actor):
            tell(item)
        for doc in analysis.documents:
            if doc.pages in early and early[doc.pages][0] == doc:
                filings.append(early[doc.pages][1])
            else:
                filings.append(file_document.submit(s, doc, reading.pages, settings, batch_id, actor))
        # What was filed early and could not be filed anew (someone changed it meanwhile) is flagged; an early
        # duplicate (filed by an earlier run) is reported through the whole file's documents.
        for doc in corrections([doc for doc, _ in early.values()], analysis):
            if early[doc.pages][1].status is IntakeStatus.DUPLICATE:
                continue
            corrected = _correction_item(early[doc.pages][1], analysis)
            filings.append(corrected)
            tell(corrected)
    for done in as_completed([f for f in filings if not isinstance(f, IntakeItem)]):
        tell(done.result())
    items += [f if isinstance(f, IntakeItem) else f.result() for f in filings]
    return BatchReport(batch_id=batch_id, items=tuple(items), dropped_pages=dropped, seconds=time.monotonic() - started)


def expand_paths(paths: Sequence[Path]) -> list[str]:
    """Files as given, and the files inside given folders (sorted, recursive; hidden files skipped)."""
    out: list[str] = []
    for path in paths:
        if path.is_dir():
            out += [
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        else:
            out.append(str(path))
    return out


def intake_files(
    paths: Sequence[Path],
    settings: Settings,
    *,
    batch_id: str | None = None,
    actor: Actor = SYSTEM_ACTOR,
    on_item: OnItem | None = None,
) -> BatchReport:
    """Run the intake flow on files and folders; what the CLI, the web upload and the watched folder call.

    `on_item` (optional) is called with each outcome as soon as it is known (in the flow's thread, before
    this returns)."""
    files = expand_paths(paths)
    batch = batch_id or uuid.uuid4().hex[:12]
    _start_warm_up(settings)
    runner: ThreadPoolTaskRunner[Any] = ThreadPoolTaskRunner(max_workers=settings.ocr_workers)
    report = intake_flow.with_options(task_runner=runner)(files, settings, batch, actor, on_item)  # type: ignore[arg-type]
    from flows.dispatch import dispatch_after_intake  # hand what was filed over to the departments

    dispatch_after_intake(archive_for(settings))
    return report
