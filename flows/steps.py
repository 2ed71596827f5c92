"""The intake steps as plain functions, shared by the Prefect flow and by `dach extract`.

Nothing here imports Prefect: `dach extract` runs the same room functions in a bounded thread pool without starting
a Prefect server, and the flow wraps the very same functions in tasks. Business logic stays in the rooms
(`ocr/`, `classifiers/`); this module only composes them and turns failures into per-file errors.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ocr.cost import PageCost, summary
from ocr.reader import PageReading, ReadOptions, fronts_read_again, read_page
from ocr.sources import inspect_source
from schemas.documents import ErrorInfo, FileExtraction
from schemas.errors import BadFileName, DachError, EmptyFile, FileTooLarge, InputRejected, NotRegularFile
from schemas.settings import OcrLimits, Settings

log = logging.getLogger(__name__)


def error_info(exc: DachError) -> ErrorInfo:
    return ErrorInfo(code=exc.code, message=exc.message)


def internal_error(exc: BaseException) -> ErrorInfo:
    """A failure dach did not foresee while handling one file (a bug): that file's error, named as such."""
    return ErrorInfo(
        code="internal_error",
        message=f"dach failed on this file ({type(exc).__name__}); it is kept, please report it with the log",
    )


def display_name(path: str | Path) -> str:
    """A file name as people may see it: bytes that are not UTF-8 as \\xNN, control characters escaped
    (a name must not move the cursor, set a terminal title or open a link), never interpreted as markup."""
    raw = os.fsencode(str(path))
    text = raw.decode("utf-8", errors="backslashreplace")
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in text)


def is_portable_name(path: str) -> bool:
    """Whether the name is valid UTF-8 (Prefect, JSON and the database carry only such names)."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def open_regular(path: Path) -> int:
    """A descriptor of `path` if it is a regular file, opened without following a symbolic link and without
    blocking on a pipe; `NotARegularFile` for anything else (a link to /proc/self/environ was read before)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise InputRejected(f"{display_name(path)} does not exist; check the path.") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegularFile(
                "the file is a symbolic link; intake never follows links. Copy the scan itself into the folder"
            ) from exc
        raise InputRejected(f"{display_name(path)} cannot be opened ({exc.strerror}).") from exc
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return fd
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise InputRejected(f"{display_name(path)} is a folder; give files, or let `dach intake` walk the folder.")
    raise NotRegularFile(
        "the file is a device, pipe or socket, not a scan; intake reads regular files only. Save the scan as a file"
    )


def load_input(path: Path, limits: OcrLimits) -> bytes:
    """Read one input file, refusing it before reading when it is over the size limit, a link or not a file."""
    if not is_portable_name(str(path)):
        raise BadFileName(
            f"the file name {display_name(path.name)} is not valid UTF-8 (it comes from an old system or scanner); "
            "rename the file and hand it in again"
        )
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise EmptyFile("the file is empty (0 bytes); scan the document again.")
        if size > limits.max_file_bytes:
            raise FileTooLarge(
                f"the file has {size / 2**20:.0f} MiB, more than the limit of "
                f"{limits.max_file_bytes / 2**20:.0f} MiB; split it into smaller scans or raise "
                "DACH_LIMITS__MAX_FILE_BYTES."
            )
        return handle.read(limits.max_file_bytes + 1)


def rejected_bytes(path: Path, exc: InputRejected, limits: OcrLimits) -> bytes:
    """What to keep in quarantine of a file `load_input` rejected: its bytes if it is a regular file within
    the size limit, else nothing (a link's target and a device are never read, a huge file is not kept)."""
    if isinstance(exc, NotRegularFile | FileTooLarge | EmptyFile):
        return b""
    try:
        fd = open_regular(path)
    except InputRejected:
        return b""
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limits.max_file_bytes + 1)[: limits.max_file_bytes]


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
        # Imported once the pages are being read, not before the first one starts: spaCy and the classifiers
        # are ~0.7 CPU-s of imports that only the analysis of a read file needs.
        from classifiers import analyse

        results: list[FileExtraction] = []
        costs: list[PageCost] = []
        for job in jobs:
            shown = display_name(job.name)
            if job.error is not None:
                results.append(FileExtraction(file=shown, error=job.error))
                continue
            try:
                readings = fronts_read_again(job.data, [job.pages[p].result() for p in sorted(job.pages)], options)
                analysis = analyse([r.text for r in readings], review_threshold=settings.review_threshold)
            except DachError as exc:
                for future in job.pages.values():
                    future.cancel()
                results.append(FileExtraction(file=shown, error=error_info(exc)))
                continue
            except Exception as exc:
                log.exception("%s could not be processed", shown)
                results.append(FileExtraction(file=shown, error=internal_error(exc)))
                continue
            for number, reading in enumerate(readings, start=1):
                if reading.cost is not None:
                    costs.append(reading.cost)
                    log.debug("cost %s page %d: %s", shown, number, _cost_fields(reading.cost))
            results.append(
                FileExtraction(file=shown, documents=analysis.documents, dropped_pages=analysis.dropped_pages)
            )
            job.data = b""
    if costs and log.isEnabledFor(logging.DEBUG):
        log.debug("tesseract cost by page kind:\n%s", "\n".join(summary(costs)))
    return results


def _cost_fields(cost: PageCost) -> str:
    """One page's cost as `key=value` fields (the throughput benchmark reads them from `dach extract -v`)."""
    return (
        f"kind={cost.kind.replace(' ', '_')} runs={cost.runs} full={cost.full_passes} "
        f"tess_cpu={cost.tesseract_cpu_s:.3f} py_cpu={cost.python_cpu_s:.3f} turned={cost.turned} "
        f"purposes={','.join(cost.purposes)}"
    )
