"""The one gateway to the tesseract program.

Every tesseract call in dach goes through `recognise` or `detect_orientation`: each has a required timeout,
runs tesseract as its own process with `OMP_THREAD_LIMIT=1` (parallelism comes from running several pages at
once, which is 4-5x faster on small machines than tesseract's own threading), hands it an uncompressed BMP
file (PNG encoding of an A4 page costs more than a tenth of the recognition itself; BMP is written in 4 ms
against 21 ms for PGM, and leptonica reads it ~0.1 s faster per A4 page, with identical results), and turns
tesseract's failures into dach errors.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from schemas.errors import MissingDependency, ProgramFailed, ProgramTimeout

# Set for this process and therefore inherited by every tesseract child (pytesseract passes os.environ on).
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


@lru_cache(maxsize=1)
def probe() -> tuple[str, frozenset[str]]:
    """Tesseract's version and installed languages; raises MissingDependency with the fix if absent."""
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise MissingDependency(
            "tesseract is not installed or not on PATH. Install it with `make system-deps` "
            "(apt-get install tesseract-ocr tesseract-ocr-deu ...)."
        ) from exc
    return version, languages


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


def _call(fn: str, *args: object, **kwargs: object) -> object:
    tesseract_log.debug("tesseract %s %r %r", fn, args[1:], kwargs)
    target = pytesseract.pytesseract if fn == "run_tesseract" else pytesseract
    try:
        return getattr(target, fn)(*args, **kwargs)
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependency("tesseract is not installed; run `make system-deps`.") from exc
    except pytesseract.TesseractError as exc:  # before RuntimeError: TesseractError is one
        tesseract_log.debug("tesseract failed: %s", exc.message)  # the caller decides how bad it is
        raise ProgramFailed(f"tesseract failed: {exc.message.strip() or exc.status}") from exc
    except RuntimeError as exc:  # pytesseract raises a bare RuntimeError on timeout
        if "timeout" in str(exc).lower():
            raise ProgramTimeout(
                f"tesseract took longer than {kwargs.get('timeout')} s on one page; the page is retried "
                "once, then rejected. Raise DACH_LIMITS__PAGE_TIMEOUT_S if such pages are expected."
            ) from exc
        raise


def recognise(
    image: np.ndarray,
    *,
    languages: str,
    timeout: float,
    psm: int = 3,
    extra_config: str = "",
    want_pdf: bool = False,
) -> Recognition:
    """Words with boxes and confidences, and optionally a searchable PDF from the same single pass."""
    with tempfile.TemporaryDirectory(prefix="dach-tess-") as tmp:
        path = _write_page(image, tmp)
        base = str(Path(tmp) / "out")
        _call(
            "run_tesseract",
            path,
            base,
            extension="tsv pdf" if want_pdf else "tsv",
            lang=languages,
            config=f"--psm {psm} -c tessedit_create_tsv=1 {extra_config}".strip(),
            timeout=timeout,
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
        try:
            raw = str(_call("image_to_osd", path, config="--psm 0", timeout=timeout))
        except ProgramFailed:
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
