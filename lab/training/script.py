"""Train the page-script model of `ocr.first_look` (which script a page is written in, before tesseract).

    python -m lab.training.script OUT_JSON FOLDER [FOLDER ...]

Every FOLDER holds generated samples (`dach samples`, training seeds only) with their `.truth.json`; each
image page is labelled with the script of its document's language (a bilingual Ukrainian/German certificate
is "Cyrillic": it must be read with the Cyrillic languages). The pages are cleaned up as the reader does,
their glyph shapes clustered (k-means) and a logistic model fitted on the pages' shape histograms.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from ocr import preprocess
from ocr.first_look import SCRIPT_FORMAT_VERSION, glyph_shapes, shape_histogram
from schemas.model_files import meta_json, write_file

SHAPES = 64
_SCRIPTS = {"uk": "Cyrillic", "ru": "Cyrillic", "ar": "Arabic", "fa": "Arabic"}


def labelled_pages(folders: list[Path]) -> list[tuple[str, str, np.ndarray]]:
    """(name, script, glyph shapes) for every image page of the samples in `folders`."""
    pages = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".png", ".tif", ".tiff", ".jpg"):
                continue
            truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())
            language = str(truth["documents"][0].get("language", "de")).split("-")[0]
            script = _SCRIPTS.get(language, "Latin")
            with Image.open(path) as image:
                for frame in range(getattr(image, "n_frames", 1)):
                    image.seek(frame)
                    gray = np.asarray(image.convert("L"))
                    upright = preprocess.prepare(gray, preprocess.analyse(gray)).image
                    pages.append((f"{path.name}#{frame + 1}", script, glyph_shapes(upright)))
    return pages


def train(pages: list[tuple[str, str, np.ndarray]], seed: int = 0) -> dict[str, object]:
    from sklearn.cluster import KMeans
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    sample = np.concatenate([s[rng.permutation(len(s))[:300]] for _, _, s in pages if len(s)])
    codebook = KMeans(n_clusters=SHAPES, n_init=4, random_state=seed).fit(sample).cluster_centers_
    features = np.stack([shape_histogram(s, codebook) for _, _, s in pages])
    labels = [script for _, script, _ in pages]
    model = LogisticRegression(C=100.0, max_iter=2000).fit(features, labels)
    return {
        "format_version": SCRIPT_FORMAT_VERSION,
        "classes": [str(c) for c in model.classes_],
        "codebook": np.round(codebook, 4).tolist(),
        "coef": np.round(model.coef_, 5).tolist(),
        "intercept": np.round(model.intercept_, 5).tolist(),
        "pages": len(pages),
        "seed": seed,
    }


def main() -> None:
    out, folders = Path(sys.argv[1]), [Path(f) for f in sys.argv[2:]]
    pages = labelled_pages(folders)
    record = train(pages)
    write_file(out, meta_json(record))
    print(f"{len(pages)} pages, classes {record['classes']}: written to {out}")


if __name__ == "__main__":
    main()
