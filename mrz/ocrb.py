"""The OCR-B character classifier for MRZ cells: a small neural network trained on rendered, degraded zones.

The model ships in `mrz/models/ocrb-v1/` (a few hundred kB of weights in `weights.npz`, and `meta.json` with
its format version, alphabet, window size and training record); `dach train-mrz` reproduces it
(`lab.training.mrz`). It runs as two matrix products in NumPy, so reading needs neither scikit-learn nor a
GPU. Besides the 37 MRZ characters the network knows a 38th class, "no character here": a window between
two characters, on background or on ordinary print, which is what lets the grid search in `mrz.glyphs`
tell a fitted grid from a misfitted one and an MRZ from other text.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from mrz.cells import WINDOW_H, WINDOW_W
from schemas.errors import ModelError
from schemas.model_files import meta_json, require_format, write_folder

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
NOT_A_CHARACTER = len(ALPHABET)  # index of the 38th class
MODEL_DIR = Path(__file__).resolve().parent / "models" / "ocrb-v1"


@dataclass(frozen=True)
class OcrbModel:
    """The trained network: ReLU hidden layers, softmax over ALPHABET + "no character"."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    mean: np.ndarray  # per-feature input standardisation
    scale: np.ndarray

    def probabilities(self, windows: np.ndarray) -> np.ndarray:
        """(n, 38) class probabilities of n windows of (WINDOW_H * WINDOW_W) ink values."""
        x = (windows.astype(np.float32) - self.mean) / self.scale
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            x = np.maximum(x @ w + b, 0.0)
        logits = x @ self.weights[-1] + self.biases[-1]
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)


def save_model(model: OcrbModel, folder: Path, record: dict[str, object]) -> None:
    """Write the model to `folder` atomically (`folder.part`, then renamed)."""
    arrays = {f"w{i}": w.astype(np.float16) for i, w in enumerate(model.weights)}
    arrays.update({f"b{i}": b.astype(np.float32) for i, b in enumerate(model.biases)})
    arrays.update(mean=model.mean.astype(np.float32), scale=model.scale.astype(np.float32))
    meta = {
        "format_version": FORMAT_VERSION,
        "alphabet": ALPHABET,
        "window": [WINDOW_H, WINDOW_W],
        "layers": len(model.weights),
        **record,
    }

    def fill(part: Path) -> None:
        np.savez_compressed(part / "weights.npz", **arrays)  # type: ignore[arg-type]
        (part / "meta.json").write_text(meta_json(meta), encoding="utf-8")

    write_folder(folder, fill)


def load_model(folder: Path) -> OcrbModel:
    """The model in `folder`; ModelError when it is missing or was written for another format."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        data = np.load(folder / "weights.npz")
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"the OCR-B model in {folder} cannot be read ({exc}); restore it from the repository or "
            "rebuild it with `dach train-mrz`"
        ) from exc
    require_format(meta, FORMAT_VERSION, what=f"the OCR-B model in {folder}", rebuild="dach train-mrz")
    if meta.get("alphabet") != ALPHABET:
        raise ModelError(f"the OCR-B model in {folder} reads another alphabet; rebuild it with `dach train-mrz`")
    if meta.get("window") != [WINDOW_H, WINDOW_W]:
        raise ModelError(f"the OCR-B model in {folder} was trained on other windows; rebuild it with `dach train-mrz`")
    layers = int(meta["layers"])
    return OcrbModel(
        weights=tuple(data[f"w{i}"].astype(np.float32) for i in range(layers)),
        biases=tuple(data[f"b{i}"].astype(np.float32) for i in range(layers)),
        mean=data["mean"].astype(np.float32),
        scale=data["scale"].astype(np.float32),
    )


@lru_cache(maxsize=1)
def shipped_model() -> OcrbModel:
    return load_model(MODEL_DIR)
