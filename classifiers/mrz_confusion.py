"""How tesseract misreads OCR-B: the confusion table `classifiers.mrz_decode` weighs its readings with.

Tesseract's LSTM reads fillers (`<`) as K, C or E, zeros as O or D, and so on, and some far more often
than others. The table counts, on rendered MRZ bands from training seeds, what tesseract printed for each
character of the zone; `dach train-mrz` rebuilds it (`ocr.mrz_training.text_confusion`). It ships as
`classifiers/models/mrz-confusion-v1.json` with a format version, and is read once.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from classifiers.mrz_layout import ALPHABET
from schemas.errors import ModelError

FORMAT_VERSION = 1
CONFUSION_FILE = Path(__file__).resolve().parent / "models" / "mrz-confusion-v1.json"


def save_confusion(counts: np.ndarray, path: Path, record: dict[str, object]) -> None:
    """Write the counts (rows: the character printed on the document; columns: what tesseract read)."""
    data = {"format_version": FORMAT_VERSION, "alphabet": ALPHABET, "counts": counts.tolist(), **record}
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".part", delete=False, encoding="utf-8") as out:
        json.dump(data, out, indent=None, separators=(",", ":"))
        out.write("\n")
    os.chmod(out.name, 0o644)
    os.replace(out.name, path)


def log_likelihood(counts: np.ndarray) -> np.ndarray:
    """log P(tesseract reads column | the zone holds row), smoothed so nothing is impossible."""
    smoothed = counts.astype(np.float64) + 0.5
    return np.log(smoothed / smoothed.sum(axis=1, keepdims=True))


@lru_cache(maxsize=1)
def shipped_likelihood() -> np.ndarray:
    try:
        data = json.loads(CONFUSION_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"the MRZ confusion table {CONFUSION_FILE} cannot be read ({exc}); restore it from the repository "
            "or rebuild it with `dach train-mrz`"
        ) from exc
    if data.get("format_version") != FORMAT_VERSION or data.get("alphabet") != ALPHABET:
        raise ModelError(f"{CONFUSION_FILE} has another format; rebuild it with `dach train-mrz`")
    return log_likelihood(np.asarray(data["counts"], np.int64))
