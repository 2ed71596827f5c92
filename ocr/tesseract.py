"""The one gateway to the tesseract program.

Every tesseract call in dach goes through `recognise` or `detect_orientation`: each has a required timeout,
runs tesseract as its own process with `OMP_THREAD_LIMIT=1` (parallelism comes from running several pages at
once, which is 4-5x faster on small machines than tesseract's own threading), hands it an uncompressed BMP
file (PNG encoding of an A4 page costs more than a tenth of the recognition itself; BMP is written in 4 ms
against 21 ms for PGM, and leptonica reads it ~0.1 s faster per A4 page, with identical results), and turns
tesseract's failures into dach errors.

Because it is the one gateway, it is also where cost is counted: every run is recorded (what for, which
languages, how many pixels, the child's own CPU seconds from `wait4`, which load on the machine does not
inflate the way it inflates wall time) in the `Ledger` of the page being read, if one is open (`accounting`).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import shlex
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from schemas.errors import MissingDependency, ProgramFailed, ProgramKilled, ProgramTimeout

# Set for this process and therefore inherited by every tesseract child.
os.environ["OMP_THREAD_LIMIT"] = "1"

log = logging.getLogger(__name__)
tesseract_log = logging.getLogger("dach.program.tesseract")


@dataclass(frozen=True, slots=True)
class TsvWord:
    """One word as tesseract reports it, in pixels of the image it was given."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0..1
    block: int
    paragraph: int
    line: int


@dataclass(frozen=True, slots=True)
class Recognition:
    words: tuple[TsvWord, ...]
    pdf: bytes | None  # searchable PDF from the same pass, when asked for


@dataclass(frozen=True, slots=True)
class Orientation:
    rotate: int  # clockwise degrees to turn the image so text is upright
    orientation_confidence: float
    script: str
    script_confidence: float


PROBE_TIMEOUT_S = 30.0


@lru_cache(maxsize=1)
def probe(timeout: float = PROBE_TIMEOUT_S) -> tuple[str, frozenset[str]]:
    """Tesseract's version and installed languages; raises MissingDependency with the fix if absent.

    Each question has a timeout (ProgramTimeout, a transient error): a tesseract that hung here (stopped
    in the fault series) held `dach intake` for 30 minutes before its first page, with no page timeout yet."""
    try:
        version = _ask(["--version"], timeout).split()[1]
        languages = frozenset(_ask(["--list-langs"], timeout).splitlines()[1:])
    except (OSError, IndexError) as exc:
        raise MissingDependency(
            "tesseract is not installed or not on PATH. Install it with `make system-deps` "
            "(apt-get install tesseract-ocr tesseract-ocr-deu ...)."
        ) from exc
    return version, languages


def _ask(args: list[str], timeout: float) -> str:
    command = [pytesseract.pytesseract.tesseract_cmd, *args]
    log.debug("running %s", command)
    try:
        answer = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:  # run() has killed it (SIGKILL ends a stopped process too)
        raise ProgramTimeout(f"tesseract {' '.join(args)} did not answer within {timeout:.0f} s") from exc
    if answer.returncode < 0:  # killed by a signal: not a missing install (the fault series exited 4 here)
        raise ProgramKilled(f"tesseract {' '.join(args)} was killed by signal {-answer.returncode}")
    return answer.stdout or answer.stderr  # tesseract before 4 printed its version on stderr


def require_languages(languages: Iterable[str]) -> str:
    """Tesseract's version, once every language pack in `languages` is installed; MissingDependency naming the
    Debian packages to install otherwise (checked when a command that reads pages starts, not on the first
    page of a certain script hours later)."""
    version, installed = probe()
    missing = sorted(set(languages) - installed)
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise MissingDependency(
            f"tesseract {version} has no language pack for {', '.join(missing)}. Install it with "
            f"`apt-get install {packages}` (or `make system-deps`)."
        )
    return version


def _write_page(image: np.ndarray, folder: str) -> str:
    path = str(Path(folder) / "page.bmp")
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if not cv2.imwrite(path, gray):
        raise ProgramFailed("could not write a temporary page image for tesseract; is the temp folder full?")
    return path


@dataclass(frozen=True, slots=True)
class Run:
    """One tesseract run: what it was for ("page" is a full pass over a page), its languages, the pixels it
    was given, and the CPU seconds the tesseract process itself used."""

    purpose: str
    languages: str
    pixels: int
    cpu_s: float
    wall_s: float


@dataclass(slots=True)
class Ledger:
    """The tesseract runs made while reading one page."""

    runs: list[Run] = field(default_factory=list)

    @property
    def full_passes(self) -> int:
        return sum(1 for run in self.runs if run.purpose == "page")

    @property
    def cpu_s(self) -> float:
        return sum(run.cpu_s for run in self.runs)


_ledger: ContextVar[Ledger | None] = ContextVar("dach_tesseract_ledger", default=None)
_totals_lock = threading.Lock()
_totals = {"runs": 0, "cpu_s": 0.0}


@contextmanager
def accounting() -> Iterator[Ledger]:
    """Record every tesseract run made inside the block (in this thread) in a fresh `Ledger`; an enclosing
    block's ledger gets them too (a caller measuring `read_page`, which keeps a ledger per page)."""
    outer = _ledger.get()
    ledger = Ledger()
    token = _ledger.set(ledger)
    try:
        yield ledger
    finally:
        _ledger.reset(token)
        if outer is not None:
            outer.runs.extend(ledger.runs)


def totals() -> tuple[int, float]:
    """Tesseract runs and their CPU seconds since this process started (all threads)."""
    with _totals_lock:
        return int(_totals["runs"]), float(_totals["cpu_s"])


def _record(run: Run) -> None:
    ledger = _ledger.get()
    if ledger is not None:
        ledger.runs.append(run)
    with _totals_lock:
        _totals["runs"] += 1
        _totals["cpu_s"] += run.cpu_s
    tesseract_log.debug(
        "tesseract %s [%s] %d px: %.2f CPU-s, %.2f s", run.purpose, run.languages, run.pixels, run.cpu_s, run.wall_s
    )


def _run(args: list[str], *, timeout: float, purpose: str, languages: str, pixels: int) -> None:
    """Run `tesseract ARGS` as a child process of its own, waited for with `wait4` so its CPU time is known;
    killed after `timeout` seconds."""
    command = [pytesseract.pytesseract.tesseract_cmd, *args]
    tesseract_log.debug("tesseract %r", command[1:])
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        except FileNotFoundError as exc:
            raise MissingDependency("tesseract is not installed; run `make system-deps`.") from exc
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
        _record(Run(purpose, languages, pixels, usage.ru_utime + usage.ru_stime, time.perf_counter() - started))
        if timed_out.is_set():
            raise ProgramTimeout(
                f"tesseract took longer than {timeout} s on one page; the page is retried "
                "once, then rejected. Raise DACH_LIMITS__PAGE_TIMEOUT_S if such pages are expected."
            )
        if proc.returncode < 0:
            raise ProgramKilled(
                f"tesseract was killed by signal {-proc.returncode} while reading a page; the page is retried."
            )
        if proc.returncode != 0:
            errors.seek(0)
            message = " ".join(errors.read().decode("utf-8", errors="replace").split())
            tesseract_log.debug("tesseract failed: %s", message)  # the caller decides how bad it is
            raise ProgramFailed(f"tesseract failed: {message or proc.returncode}")


def recognise(
    image: np.ndarray,
    *,
    languages: str,
    timeout: float,
    psm: int = 3,
    extra_config: str = "",
    want_pdf: bool = False,
    text_only_pdf: bool = False,
    purpose: str = "page",
) -> Recognition:
    """Words with boxes and confidences, and optionally a searchable PDF from the same single pass (with
    `text_only_pdf`, its invisible text alone, without the image: to lay over a larger page's image).
    `purpose` names the run in the cost accounting: "page" for a full pass over a page, else what it is."""
    with tempfile.TemporaryDirectory(prefix="dach-tess-") as tmp:
        path = _write_page(image, tmp)
        base = str(Path(tmp) / "out")
        config = shlex.split(f"--psm {psm} -c tessedit_create_tsv=1 {extra_config}")
        if want_pdf and text_only_pdf:
            config += ["-c", "textonly_pdf=1"]
        _run(
            [path, base, "-l", languages, *config, *(["pdf"] if want_pdf else [])],
            timeout=timeout,
            purpose=purpose,
            languages=languages,
            pixels=int(image.shape[0] * image.shape[1]),
        )
        tsv_path, pdf_path = Path(base + ".tsv"), Path(base + ".pdf")
        if not tsv_path.exists() or (want_pdf and not pdf_path.exists()):
            raise ProgramFailed("tesseract exited without writing its output; see the dach.program.tesseract log")
        tsv = tsv_path.read_text(encoding="utf-8", errors="replace")
        pdf = pdf_path.read_bytes() if want_pdf else None
    return Recognition(words=parse_tsv(tsv), pdf=pdf)


def parse_tsv(tsv: str) -> tuple[TsvWord, ...]:
    words: list[TsvWord] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None:
        return ()
    index = {name: i for i, name in enumerate(header)}
    for row in reader:
        if len(row) < len(header) or row[index["level"]] != "5":
            continue
        text = row[index["text"]].strip()
        if not text:
            continue
        conf = float(row[index["conf"]])
        words.append(
            TsvWord(
                text=text,
                left=int(row[index["left"]]),
                top=int(row[index["top"]]),
                width=int(row[index["width"]]),
                height=int(row[index["height"]]),
                confidence=max(0.0, min(1.0, conf / 100.0)),
                block=int(row[index["block_num"]]),
                paragraph=int(row[index["par_num"]]),
                line=int(row[index["line_num"]]),
            )
        )
    return tuple(words)


def detect_orientation(image: np.ndarray, *, timeout: float) -> Orientation | None:
    """Tesseract OSD: how far to turn the page and which script it is in. None when OSD cannot tell."""
    with tempfile.TemporaryDirectory(prefix="dach-osd-") as tmp:
        path = _write_page(image, tmp)
        base = str(Path(tmp) / "out")
        pixels = int(image.shape[0] * image.shape[1])
        try:
            _run(
                [path, base, "-l", "osd", "--psm", "0"], timeout=timeout, purpose="osd", languages="osd", pixels=pixels
            )
            raw = Path(base + ".osd").read_text(encoding="utf-8", errors="replace")
        except (ProgramFailed, OSError):
            # "Too few characters" is OSD's way of saying it cannot tell, not a failure of the page.
            return None
    values: dict[str, str] = {}
    for line in raw.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            values[key.strip()] = value.strip()
    try:
        return Orientation(
            rotate=int(values["Rotate"]) % 360,
            orientation_confidence=float(values.get("Orientation confidence", "0")),
            script=values.get("Script", ""),
            script_confidence=float(values.get("Script confidence", "0")),
        )
    except (KeyError, ValueError):
        log.debug("unreadable OSD output: %r", raw)
        return None
