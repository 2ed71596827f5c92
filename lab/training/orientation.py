"""Train the page-orientation model of `ocr.orientation` (upright or upside down, before tesseract).

    python -m lab.training.orientation OUT_JSON FOLDER [FOLDER ...]

Every FOLDER holds generated samples (`dach samples`, training seeds only) with their `.truth.json`. Each
image page is turned back upright by its truth (`rotation`) and cleaned up as the reader does; a page the
projection profiles would turn a quarter anyway is left out (its upright form is not what the reader sees).
Its glyph shapes give two examples: as they stand (upright) and flipped (upside down). The shapes are
clustered (k-means, over both) and an antisymmetric logistic model (no intercept) fitted on the differences
of the two shape histograms (`ocr.orientation.orientation_features`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from ocr import preprocess
from ocr.first_look import glyph_shapes
from ocr.orientation import MIN_GLYPHS, ORIENTATION_FORMAT_VERSION, orientation_features, turned_180
from schemas.model_files import meta_json, write_file

SHAPES = 96
C = 10.0


def upright_pages(folders: list[Path]) -> Iterator[tuple[str, np.ndarray]]:
    """(name, upright grey image) for every image page of the samples in `folders`."""
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".png", ".tif", ".tiff", ".jpg"):
                continue
            truth = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json").read_text())
            with Image.open(path) as image:
                for frame in range(getattr(image, "n_frames", 1)):
                    image.seek(frame)
                    rotation = int(truth["pages"][frame].get("rotation", 0)) if frame < len(truth["pages"]) else 0
                    gray = preprocess.turn(np.asarray(image.convert("L")), -rotation)
                    yield f"{path.name}#{frame + 1}", gray


def labelled_shapes(folders: list[Path]) -> list[tuple[str, np.ndarray]]:
    """(name, glyph shapes of the upright page as the reader cleans it up) for every usable page."""
    pages = []
    for name, gray in upright_pages(folders):
        analysis = preprocess.analyse(gray)
        if analysis.blank or analysis.quarter_turn:
            continue
        shapes = glyph_shapes(preprocess.prepare(gray, analysis).image)
        if len(shapes) >= MIN_GLYPHS:
            pages.append((name, shapes))
    return pages


def train(pages: list[tuple[str, np.ndarray]], seed: int = 0) -> dict[str, object]:
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    upright = [s[rng.permutation(len(s))[:200]] for _, s in pages]
    sample = np.concatenate(upright + [turned_180(s) for s in upright])
    codebook = KMeans(n_clusters=SHAPES, n_init=4, random_state=seed).fit(sample).cluster_centers_
    codebook = codebook.astype(np.float32)
    features = np.stack([orientation_features(s, codebook) for _, s in pages])
    x = np.concatenate([features, -features])
    y = np.concatenate([np.ones(len(features)), np.zeros(len(features))])
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=5000).fit(x, y)
    return {
        "format_version": ORIENTATION_FORMAT_VERSION,
        "codebook": np.round(codebook, 4).tolist(),
        "coef": np.round(model.coef_[0], 5).tolist(),
        "pages": len(pages),
        "shapes": SHAPES,
        "C": C,
        "seed": seed,
    }


def main() -> None:
    out, folders = Path(sys.argv[1]), [Path(f) for f in sys.argv[2:]]
    pages = labelled_shapes(folders)
    record = train(pages)
    write_file(out, meta_json(record))
    print(f"{len(pages)} pages: written to {out}")


if __name__ == "__main__":
    main()
