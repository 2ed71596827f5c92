"""The intake steps as plain functions, shared by the Prefect flow and by `dach extract`.

Nothing here imports Prefect: `dach extract` runs the same room functions in a bounded thread pool without starting
a Prefect server, and the flow wraps the very same functions in tasks. Business logic stays in the rooms
(`ocr/`, `classifiers/`); this module only composes them and turns failures into per-file errors.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter

from classifiers import analyse
from ocr.cost import PageCost, summary
from ocr.reader import PageReading, ReadOptions, read_page
from ocr.sources import inspect_source
from schemas.documents import ErrorInfo, FileExtraction, PageText
from schemas.errors import DachError, EmptyFile, FileTooLarge, InputRejected
from schemas.settings import OcrLimits, Settings

log = logging.getLogger(__name__)


_PAGE_LIST = TypeAdapter(list[PageText])


def page_texts_json(pages: Sequence[PageText]) -> bytes:
    """The OCR text of a document's pages as stored beside it (the `ocr_text` file)."""
    return ("[" + ",".join(p.model_dump_json() for p in pages) + "]").encode()


def page_texts_of(data: bytes) -> list[PageText]:
    return _PAGE_LIST.validate_json(data)


def error_info(exc: DachError) -> ErrorInfo:
    return ErrorInfo(code=exc.code, message=exc.message)


def load_input(path: Path, limits: OcrLimits) -> bytes:
    """Read one input file, refusing it before reading when it is over the size limit."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputRejected(f"{path} does not exist; check the path.") from exc
    if path.is_dir():
        raise InputRejected(f"{path} is a folder; give files, or let `dach intake` walk the folder.")
    if size == 0:
        raise EmptyFile("the file is empty (0 bytes); scan the document again.")
    if size > limits.max_file_bytes:
        raise FileTooLarge(
            f"the file has {size / 2**20:.0f} MiB, more than the limit of {limits.max_file_bytes / 2**20:.0f} MiB; "
            "split it into smaller scans or raise DACH_LIMITS__MAX_FILE_BYTES."
        )
    return path.read_bytes()


@dataclass
class _FileJob:
    name: str
    data: bytes = b""
    error: ErrorInfo | None = None
    pages: dict[int, Future[PageReading]] = field(default_factory=dict)


def extract_files(paths: Sequence[str], settings: Settings) -> list[FileExtraction]:
    """OCR and classify files without filing them: the work behind `dach extract`.

    Pages of all files share one bounded pool, so a batch of single-page scans keeps every core busy.
    A bad file is reported with its error and the others go on.
    """
    options = ReadOptions.from_settings(settings)
    jobs = [_FileJob(name=name) for name in paths]
    with ThreadPoolExecutor(max_workers=settings.ocr_workers, thread_name_prefix="dach-ocr") as pool:
        for job in jobs:
            try:
                job.data = load_input(Path(job.name), settings.limits)
                info = inspect_source(job.data, settings.limits)
            except InputRejected as exc:
                job.error = error_info(exc)
                continue
            for page in range(1, info.page_count + 1):
                job.pages[page] = pool.submit(read_page, job.data, page, options)

        results: list[FileExtraction] = []
        costs: list[PageCost] = []
        for job in jobs:
            if job.error is not None:
                results.append(FileExtraction(file=job.name, error=job.error))
                continue
            try:
                readings = [job.pages[p].result() for p in sorted(job.pages)]
            except DachError as exc:
                for future in job.pages.values():
                    future.cancel()
                results.append(FileExtraction(file=job.name, error=error_info(exc)))
                continue
            for number, reading in enumerate(readings, start=1):
                if reading.cost is not None:
                    costs.append(reading.cost)
                    log.debug("cost %s page %d: %s", job.name, number, _cost_fields(reading.cost))
            analysis = analyse([r.text for r in readings], review_threshold=settings.review_threshold)
            results.append(
                FileExtraction(file=job.name, documents=analysis.documents, dropped_pages=analysis.dropped_pages)
            )
            job.data = b""
    if costs and log.isEnabledFor(logging.DEBUG):
        log.debug("tesseract cost by page kind:\n%s", "\n".join(summary(costs)))
    return results


def _cost_fields(cost: PageCost) -> str:
    """One page's cost as `key=value` fields (the throughput benchmark reads them from `dach extract -v`)."""
    return (
        f"kind={cost.kind.replace(' ', '_')} runs={cost.runs} full={cost.full_passes} "
        f"tess_cpu={cost.tesseract_cpu_s:.3f} py_cpu={cost.python_cpu_s:.3f} purposes={','.join(cost.purposes)}"
    )
