"""How tesseract misreads OCR-B: the confusion table `mrz.decode` weighs its readings with.

Tesseract's LSTM reads fillers (`<`) as K, C or E, zeros as O or D, and so on, and some far more often
than others. The table counts, on rendered MRZ bands from training seeds, what tesseract printed for each
character of the zone, separately for small, middling and large print (tesseract reads 6-pixel text
far worse than 20-pixel text, and its readings count for as much as they are worth at the zone's size);
`dach train-mrz` rebuilds it (`lab.training.mrz.text_confusion`). It ships as
`mrz/models/mrz-confusion-v1.json` with a format version, and is read once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from mrz.layout import ALPHABET
from schemas.errors import ModelError
from schemas.model_files import require_format, write_file

FORMAT_VERSION = 2
SIZE_BUCKETS = (9.0, 15.0)  # text heights (pixels) where one table of confusions gives way to the next
CONFUSION_FILE = Path(__file__).resolve().parent / "models" / "mrz-confusion-v1.json"


def size_bucket(line_height: float) -> int:
    """Which table holds for lines of this text height (0 = smallest)."""
    return sum(line_height >= edge for edge in SIZE_BUCKETS)


def save_confusion(counts: np.ndarray, path: Path, record: dict[str, object]) -> None:
    """Write the counts (per size bucket; rows: the character printed; columns: what tesseract read)."""
    data = {
        "format_version": FORMAT_VERSION,
        "alphabet": ALPHABET,
        "size_buckets": list(SIZE_BUCKETS),
        "counts": counts.tolist(),
        **record,
    }
    write_file(path, json.dumps(data, indent=None, separators=(",", ":")) + "\n")


def log_likelihood(counts: np.ndarray) -> np.ndarray:
    """log P(tesseract reads column | the zone holds row) per size bucket, smoothed so nothing is impossible."""
    smoothed = counts.astype(np.float64) + 0.5
    return np.log(smoothed / smoothed.sum(axis=-1, keepdims=True))


def likelihood(line_height: float) -> np.ndarray:
    """The table for lines of this text height; unknown height (0): all sizes pooled."""
    tables = shipped_likelihood()
    if line_height <= 0:
        return tables[-1]
    return tables[size_bucket(line_height)]


@lru_cache(maxsize=1)
def shipped_likelihood() -> np.ndarray:
    """Tables per size bucket, then one with all sizes pooled."""
    try:
        data = json.loads(CONFUSION_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"the MRZ confusion table {CONFUSION_FILE} cannot be read ({exc}); restore it from the repository "
            "or rebuild it with `dach train-mrz`"
        ) from exc
    require_format(data, FORMAT_VERSION, what=f"the MRZ confusion table {CONFUSION_FILE}", rebuild="dach train-mrz")
    if data.get("alphabet") != ALPHABET or data.get("size_buckets") != list(SIZE_BUCKETS):
        raise ModelError(f"{CONFUSION_FILE} has another alphabet or sizes; rebuild it with `dach train-mrz`")
    counts = np.asarray(data["counts"], np.int64)
    return log_likelihood(np.concatenate([counts, counts.sum(axis=0, keepdims=True)]))
