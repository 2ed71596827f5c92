"""Measure what `ocr/` adds to one tesseract run on a dense A4 page (issue 2: at most 1.25 × raw tesseract).

    .venv/bin/python -m tests.ocr.overhead [--rounds 3]

Prints the time of raw `tesseract page.png - -l deu+eng` (OMP_THREAD_LIMIT=1), of `read_page` on the same
PNG (upright, and skewed by 2°), and of every step of the reader on its own, each the best of `rounds`.
Wall time and CPU time (this process plus tesseract children) are both shown: on a shared machine the CPU
ratio is the one to trust.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from ocr import preprocess, tesseract
from ocr.reader import ReadOptions, _page_text, _read_mrz, read_page
from ocr.separator import is_separator_image
from ocr.sources import inspect_source
from schemas.settings import OcrLimits
from tests.ocr.pagegen import encode, rotate, text_page


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (tesseract): robust to other load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_cpu(rounds: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = cpu_seconds()
        fn()
        times.append(cpu_seconds() - started)
    return min(times)


def best(rounds: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    page = text_page()
    skewed = rotate(page, 2.0)[60:-60, 40:-40]  # keep roughly A4 size after the turn
    png, skewed_png = encode(page), encode(skewed)
    options = ReadOptions()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        path.write_bytes(png)
        command = ["tesseract", str(path), "-", "-l", "deu+eng"]
        # Interleaved, so a change in the machine's load hits all three alike.
        raw = upright = skew = float("inf")
        raw_cpu = upright_cpu = skew_cpu = float("inf")
        for _ in range(rounds):
            raw = min(raw, best(1, lambda: subprocess.run(command, env=env, check=True, capture_output=True)))
            raw_cpu = min(
                raw_cpu, best_cpu(1, lambda: subprocess.run(command, env=env, check=True, capture_output=True))
            )
            upright = min(upright, best(1, lambda: read_page(png, 1, options)))
            upright_cpu = min(upright_cpu, best_cpu(1, lambda: read_page(png, 1, options)))
            skew = min(skew, best(1, lambda: read_page(skewed_png, 1, options)))
            skew_cpu = min(skew_cpu, best_cpu(1, lambda: read_page(skewed_png, 1, options)))
    print(f"dense A4 page {page.shape[1]}x{page.shape[0]}, {rounds} rounds, best of each")
    print("                                 wall            CPU (self + children)")
    print(f"raw tesseract (png, deu+eng)     {raw:6.3f} s        {raw_cpu:6.3f} s")
    for name, wall, cpu in (("read_page upright", upright, upright_cpu), ("read_page skewed 2°", skew, skew_cpu)):
        print(f"{name:32s} {wall:6.3f} s {wall / raw:4.2f}x  {cpu:6.3f} s {cpu / raw_cpu:4.2f}x")

    gray = cv2.imdecode(np.frombuffer(skewed_png, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert gray is not None
    small = preprocess.small_copy(gray)
    analysis = preprocess.analyse(gray, small)
    prepared = preprocess.prepare(gray, analysis)
    result = tesseract.recognise(prepared.image, languages="deu+eng", timeout=90, extra_config="--dpi 300")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("inspect_source (sniff, header)", lambda: inspect_source(skewed_png, OcrLimits())),
        ("decode PNG (cv2)", lambda: cv2.imdecode(np.frombuffer(skewed_png, np.uint8), cv2.IMREAD_GRAYSCALE)),
        ("measuring copy (resize)", lambda: preprocess.small_copy(gray)),
        ("separator QR check", lambda: is_separator_image(gray, small=small)),
        ("analyse (blank, turn, skew, light, noise)", lambda: preprocess.analyse(gray, small)),
        ("deskew full page", lambda: preprocess.deskew(gray, analysis.skew)),
        ("flatten light (if needed)", lambda: preprocess.flatten_light(gray)),
        ("denoise (if needed)", lambda: preprocess.denoise(gray)),
        (
            "tesseract via gateway",
            lambda: tesseract.recognise(prepared.image, languages="deu+eng", timeout=90, extra_config="--dpi 300"),
        ),
        (
            "tesseract via gateway + pdf",
            lambda: tesseract.recognise(
                prepared.image, languages="deu+eng", timeout=90, extra_config="--dpi 300", want_pdf=True
            ),
        ),
        (
            "words -> PageText",
            lambda: _page_text(result.words, 1, prepared.image, 0, analysis.skew, "deu+eng"),
        ),
        ("read_mrz (ocr/mrz.py)", lambda: _read_mrz(prepared.image, 90)),
        (
            "OSD on half-size copy (only on suspect pages)",
            lambda: tesseract.detect_orientation(preprocess.small_copy(prepared.image, 1754), timeout=90),
        ),
    ]
    print(f"steps on the skewed page (skew {analysis.skew:.2f}°, {len(result.words)} words):")
    for name, fn in steps:
        print(f"  {name:46s} {best(rounds, fn) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
