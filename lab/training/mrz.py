"""Train the OCR-B cell classifier (`mrz.ocrb`) on rendered, degraded MRZ bands.

`dach train-mrz` runs this. Bands come from `lab.samples.mrz_bands` with seeds derived from the training
seed (never a held-out seed >= 100000). Each band goes through the reader's own cell cutting
(`mrz.cells`): the row profile finds its lines, and windows are cut on the grid the band was printed on,
moved by up to a tenth of a character and stretched by up to 0.3 %, as the reader's grid search lands about
that close. Windows half a character off the grid, beyond the ends of a line, and on ordinary print are the
38th class, "no character here". A scikit-learn multi-layer perceptron learns them; its weights are
exported to the model folder and the shipped reader runs them in NumPy.

The record written beside the weights says how it was made and how well it does on bands rendered from
held-out seeds: character accuracy on the grid, and how often a half-character shift or ordinary print is
taken for a character.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lab.samples.mrz_bands import Band, mrz_band, ordinary_text_band
from mrz.cells import ink, rows, strip
from mrz.ocrb import ALPHABET, MODEL_DIR, NOT_A_CHARACTER, OcrbModel, save_model

log = logging.getLogger(__name__)

HELD_OUT_SEED = 100_000  # bands for the record's figures are rendered from seeds at or above this


@dataclass(frozen=True)
class MrzTrainConfig:
    seed: int = 0
    bands: int = 6000
    text_bands: int = 600  # bands of ordinary print (all "no character")
    hidden: tuple[int, ...] = (256, 128)
    max_epochs: int = 40
    evaluation_bands: int = 400


# Turned by 180 degrees these look like themselves or like one another: no evidence of a turned band.
_TURN_ALIKE = "HINOSXZ0869MW"


def _label(char: str, turned: bool) -> int | None:
    """A cell's class: the character, or on a turned band "no character" (None: left out, see above)."""
    if not turned:
        return ALPHABET.index(char)
    return None if char in _TURN_ALIKE else NOT_A_CHARACTER


def _cut(band: Band, rng: random.Random, text: bool, turned: bool = False) -> tuple[list[np.ndarray], list[int]]:
    """Windows and labels of one band: every cell near its grid position, and some "no character" cells.
    A `turned` band (upside down) teaches that a turned zone is no zone: its cells are "no character".
    A band whose lines the row profile does not find where they are is left out (the reader fails there
    too, and its windows would be labelled with another line's text)."""
    lines, lefts, pitch = band.lines, band.lefts, band.pitch
    image = ink(band.gray)
    found = rows(image, len(lines))
    if len(found) != len(lines):
        return [], []
    for (a, b), top in zip(found, band.tops, strict=True):
        if abs((a + b) / 2 - (top + band.cap / 2)) > band.cap / 2:
            return [], []
    windows: list[np.ndarray] = []
    labels: list[int] = []
    for line, left, run in zip(lines, lefts, found, strict=True):
        line_strip = strip(image, run)
        count = len(line)
        shifted = left + rng.uniform(-0.1, 0.1) * pitch
        stretched = pitch * rng.uniform(0.997, 1.003)
        cells = line_strip.windows(shifted, stretched, count)
        if text:
            windows.append(cells)
            labels.extend([NOT_A_CHARACTER] * count)
            continue
        classes = [_label(c, turned) for c in line]
        keep_cells = [i for i, c in enumerate(classes) if c is not None]
        windows.append(cells[keep_cells])
        labels.extend(c for c in classes if c is not None)
        # Between two characters: the grid half a character off.
        half = line_strip.windows(left + rng.choice((-1, 1)) * rng.uniform(0.4, 0.6) * pitch, pitch, count)
        keep = rng.sample(range(count), k=max(1, count // 4))
        windows.append(half[keep])
        labels.extend([NOT_A_CHARACTER] * len(keep))
        # Beyond the ends of the line: background, a card edge, a stray mark.
        outside = line_strip.windows(left - pitch * rng.uniform(1.0, 2.5), pitch, 1)
        beyond = line_strip.windows(left + pitch * (count + rng.uniform(0.2, 1.5)), pitch, 1)
        windows.extend((outside, beyond))
        labels.extend([NOT_A_CHARACTER] * 2)
    return windows, labels


def build_dataset(seed: int, bands: int, text_bands: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows (n, features) and labels (n,) from `bands` MRZ bands and `text_bands` bands of other print."""
    rng = random.Random(seed)
    windows: list[np.ndarray] = []
    labels: list[int] = []
    for index in range(bands + text_bands):
        band_rng = random.Random(rng.randrange(2**63))
        text = index >= bands
        band = ordinary_text_band(band_rng) if text else mrz_band(band_rng)
        turned = not text and band_rng.random() < 0.1
        if turned:
            band = band.turned()
        w, y = _cut(band, band_rng, text, turned)
        windows.extend(w)
        labels.extend(y)
    return np.concatenate(windows).astype(np.float32), np.asarray(labels, np.int64)


def _balanced(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """At most three times the average class size of fillers (a third of all MRZ characters)."""
    counts = np.bincount(y, minlength=len(ALPHABET) + 1)
    cap = int(3 * counts[: len(ALPHABET)].mean())
    filler = np.flatnonzero(y == ALPHABET.index("<"))
    drop = rng.choice(filler, size=filler.size - cap, replace=False) if filler.size > cap else np.zeros(0, int)
    keep = np.setdiff1d(np.arange(y.size), drop)
    return x[keep], y[keep]


def _export(classifier: object, mean: np.ndarray, scale: np.ndarray) -> OcrbModel:
    coefs = getattr(classifier, "coefs_")  # noqa: B009 - scikit-learn's fitted attributes
    intercepts = getattr(classifier, "intercepts_")  # noqa: B009
    classes = list(getattr(classifier, "classes_"))  # noqa: B009
    if classes != list(range(len(ALPHABET) + 1)):
        raise ValueError(f"training data lacks classes: {sorted(set(range(len(ALPHABET) + 1)) - set(classes))}")
    return OcrbModel(
        weights=tuple(np.asarray(w, np.float32) for w in coefs),
        biases=tuple(np.asarray(b, np.float32) for b in intercepts),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
    )


def evaluate(model: OcrbModel, seed: int, bands: int) -> dict[str, float]:
    """Figures on bands rendered from `seed`: character accuracy, and "no character" taken for one."""
    x, y = build_dataset(seed, bands, bands // 10)
    probabilities = model.probabilities(x)
    predicted = probabilities.argmax(axis=1)
    characters = y != NOT_A_CHARACTER
    return {
        "character_accuracy": round(float((predicted[characters] == y[characters]).mean()), 5),
        "not_a_character_taken_for_one": round(float((predicted[~characters] != NOT_A_CHARACTER).mean()), 5),
        "windows": int(y.size),
    }


def train(config: MrzTrainConfig, out: Path = MODEL_DIR) -> dict[str, object]:
    """Build the data, fit the network, write the model folder atomically; returns the training record."""
    from sklearn.neural_network import MLPClassifier

    if config.seed >= HELD_OUT_SEED:
        raise ValueError(f"training seeds must be below {HELD_OUT_SEED}: those are held out for measuring")
    started = time.monotonic()
    x, y = build_dataset(config.seed, config.bands, config.text_bands)
    x, y = _balanced(x, y, np.random.default_rng(config.seed))
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 0.05
    log.info("OCR-B training set: %d windows, %d features", x.shape[0], x.shape[1])
    classifier = MLPClassifier(
        hidden_layer_sizes=config.hidden,
        alpha=1e-4,
        batch_size=512,
        learning_rate_init=1e-3,
        max_iter=config.max_epochs,
        early_stopping=True,
        validation_fraction=0.05,
        n_iter_no_change=4,
        random_state=config.seed,
        verbose=log.isEnabledFor(logging.INFO),
    )
    classifier.fit((x - mean) / scale, y)
    model = _export(classifier, mean, scale)
    figures = evaluate(model, HELD_OUT_SEED + config.seed, config.evaluation_bands)
    record: dict[str, object] = {
        "training": {
            "seed": config.seed,
            "bands": config.bands,
            "text_bands": config.text_bands,
            "hidden": list(config.hidden),
            "epochs": int(getattr(classifier, "n_iter_")),  # noqa: B009
            "windows": int(y.size),
            "seconds": round(time.monotonic() - started, 1),
        },
        "held_out": {"seed": HELD_OUT_SEED + config.seed, "bands": config.evaluation_bands, **figures},
    }
    save_model(model, out, record)
    return record


def _line_height(gray: np.ndarray, count: int) -> float:
    """The text height of a band's lines as the reader measures it (the row profile's runs)."""
    runs = rows(ink(gray), count)
    return float(np.median([b - a for a, b in runs])) if runs else 0.0


def text_confusion(seed: int, bands: int) -> np.ndarray:
    """Counts (size buckets x 37 x 37) of what tesseract printed (columns) for each MRZ character (rows) on
    `bands` rendered bands, by the text height of the band (`mrz.confusion.SIZE_BUCKETS`), where
    its readings could be aligned with the zone (see `mrz.decode`)."""
    from mrz.align import NO_EDIT, Edit, aligned
    from mrz.confusion import SIZE_BUCKETS, size_bucket
    from mrz.layout import layout_for
    from ocr.mrz import text_readings
    from schemas.documents import MrzReading

    rng = random.Random(seed)
    counts = np.zeros((len(SIZE_BUCKETS) + 1, len(ALPHABET), len(ALPHABET)), np.int64)
    for _ in range(bands):
        band = mrz_band(random.Random(rng.randrange(2**63)))
        layout = layout_for(len(band.lines), len(band.lines[0]), band.lines[0][:1])
        readings = [r for r in text_readings(band.gray, len(band.lines), timeout=30) if r]
        if layout is None or not readings:
            continue
        bucket = size_bucket(_line_height(band.gray, len(band.lines)))
        refitted: list[tuple[Edit, ...]] = []
        fitted = aligned(MrzReading(lines=readings[0], alternatives=tuple(readings[1:])), layout, refitted)
        for lines, edits in zip(fitted, refitted, strict=True):
            for truth, read, edit in zip(band.lines, lines, edits, strict=True):
                for j, (t, r) in enumerate(zip(truth, read, strict=True)):
                    if edit == NO_EDIT or not edit[0] <= j < edit[1]:
                        counts[bucket, ALPHABET.index(t), ALPHABET.index(r)] += 1
    return counts


def train_confusion(seed: int, bands: int, out: Path | None = None) -> dict[str, object]:
    """Measure tesseract's confusions on `bands` rendered bands and write the table `classifiers` ships."""
    from mrz.confusion import CONFUSION_FILE, save_confusion

    if seed >= HELD_OUT_SEED:
        raise ValueError(f"training seeds must be below {HELD_OUT_SEED}: those are held out for measuring")
    started = time.monotonic()
    counts = text_confusion(seed, bands)
    record: dict[str, object] = {
        "training": {"seed": seed, "bands": bands, "seconds": round(time.monotonic() - started, 1)},
        "characters": [int(c.sum()) for c in counts],
        "read_right": [round(float(np.trace(c) / max(1, c.sum())), 4) for c in counts],
    }
    save_confusion(counts, out or CONFUSION_FILE, record)
    return record
