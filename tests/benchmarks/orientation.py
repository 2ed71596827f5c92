"""Orientation before the first pass: how often a page scanned at 0°, 90°, 180° or 270° stands upright after
the cheap look (projection profiles, then the glyph-orientation model), and, with `--read`, what reading such
pages costs and keeps of their text.

    python -m tests.benchmarks.orientation [--seed 100700] [--count 1] [--read 0]

Pages are generated (`lab.samples`, difficulty normal: skew, noise, blur, phone photos) from held-out seeds
(>= 100000) by default, turned back upright by their truth and turned again by each quarter. "right" counts
pages standing upright after the look; "undecided" those the model left as the profiles put them (the reader
then falls back to tesseract's OSD if the first reading looks wrong), of which some already stand right.
`--read N` reads N certificates and notices upright and at 90°/180°/270° with `ocr.reader.read_image`: full
passes per page and the share of the upright reading's words found in the rotated page's reading.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from ocr import preprocess, tesseract
from ocr.orientation import stand_upright

CERTIFICATES = ["birth_certificate", "marriage_certificate", "school_certificate", "degree_certificate"]
IDENTITY = ["passport", "id_card", "residence_permit"]
TURNS = (0, 90, 180, 270)


def generate_pages(out: Path, seed: int, count: float) -> list[tuple[str, str, np.ndarray]]:
    """(name, kind, upright grey image) of generated certificates, notices and identity documents."""
    from lab.samples import generate
    from lab.training.orientation import upright_pages

    kinds = {"certificate": CERTIFICATES, "notice": ["notice"], "identity": IDENTITY}
    sizes = {"certificate": 30, "notice": 12, "identity": 15}
    pages = []
    for offset, (kind, types) in enumerate(kinds.items()):
        folder = out / kind
        generate(folder, count=max(1, round(sizes[kind] * count)), seed=seed + offset, kinds=types, formats=["png"])
        for name, gray in upright_pages([folder]):
            truth = json.loads((folder / (name.split("#")[0].rsplit(".", 1)[0] + ".truth.json")).read_text())
            language = str(truth["documents"][0].get("language", "de")).split("-")[0]
            script = {"uk": "Cyrillic", "ru": "Cyrillic", "ar": "Arabic", "fa": "Arabic"}.get(language, "Latin")
            pages.append((name, f"{kind} ({script})" if kind == "certificate" else kind, gray))
    return pages


def looked_at(gray: np.ndarray, sure: float) -> tuple[int, bool]:
    """(clockwise degrees the reader turns the page before its first pass, whether the glyphs were sure)."""
    analysis = preprocess.analyse(gray)
    prepared = preprocess.prepare(gray, analysis)
    upright = stand_upright(prepared.image, prepared.rotation, sure=sure)
    return upright.rotation, upright.sure


def main() -> None:
    from ocr.reader import ORIENTATION_SURE

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=100_700, help="held-out seed (>= 100000)")
    parser.add_argument("--count", type=float, default=1, help="multiplier of 30 certificates, 12 notices, 15 ids")
    parser.add_argument("--sure", type=float, default=ORIENTATION_SURE)
    parser.add_argument("--read", type=int, default=0, help="also read this many text pages at every turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dach-orientation-") as tmp:
        pages = generate_pages(Path(tmp), args.seed, args.count)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for _, kind, gray in pages:
        for turn in TURNS:
            rotation, decided = looked_at(preprocess.turn(gray, turn), args.sure)
            right = (turn + rotation) % 360 == 0
            for group in (kind, f"all at {turn}°", "all"):
                tally[group]["pages"] += 1
                tally[group]["right"] += right
                tally[group]["undecided"] += not decided
                tally[group]["undecided, right"] += right and not decided
                tally[group]["sure, wrong"] += decided and not right
    print(f"{len(pages)} pages x 4 turns, seed {args.seed}, model sure at {args.sure}")
    print(f"{'pages':28} {'n':>5} {'right':>7} {'undecided':>9} {'of them right':>13} {'sure, wrong':>11}")
    for group in sorted(tally, key=lambda g: (g.startswith("all"), g)):
        t = tally[group]
        print(
            f"{group:28} {t['pages']:5d} {t['right'] / t['pages']:7.1%} {t['undecided'] / t['pages']:9.1%} "
            f"{t['undecided, right']:13d} {t['sure, wrong']:11d}"
        )
    if args.read:
        _read(pages, args.read)


def _read(pages: list[tuple[str, str, np.ndarray]], count: int) -> None:
    from ocr.pages import PageImage
    from ocr.reader import ReadOptions, read_image

    options = ReadOptions(read_mrz=False)
    text_pages = [p for p in pages if not p[1].startswith("identity")][:count]
    passes: dict[int, list[int]] = defaultdict(list)
    kept: dict[int, list[float]] = defaultdict(list)
    for name, _, gray in text_pages:
        upright_words: Counter[str] = Counter()
        for turn in TURNS:
            with tesseract.accounting() as ledger:
                reading = read_image(PageImage(gray=preprocess.turn(gray, turn), dpi=300), 1, options)
            words = Counter(w.text for w in reading.text.words if len(w.text) >= 3)
            if turn == 0:
                upright_words = words
            found = sum((words & upright_words).values()) / max(1, sum(upright_words.values()))
            passes[turn].append(ledger.full_passes)
            kept[turn].append(found)
            print(f"{name} at {turn}°: {ledger.full_passes} full passes, {found:.1%} of the upright words")
    for turn in TURNS:
        print(
            f"at {turn:3d}°: full passes per page {np.mean(passes[turn]):.2f} (max {max(passes[turn])}), "
            f"upright words found {np.mean(kept[turn]):.1%}"
        )


if __name__ == "__main__":
    main()
