"""Seeded generator of realistic synthetic scans with ground truth: the corpus every accuracy figure of
dach is measured on.

Families: passports (TD3), ID cards and German residence permits (TD1), visas (MRV-A/B), German notices
(Bescheide), birth/marriage/school/degree/registration certificates, and multi-document stacks with
optional separator sheets and blank back pages; as PNG, JPEG, multi-page TIFF, born-digital PDF with a
text layer, image-only PDF and mixed PDF; clean or with scan and phone-photo degradations. Next to every
file `NAME.ext` lies `NAME.truth.json`; `manifest.json` lists them all.

Seed convention (binding for the whole project):
  * seeds 0-9999 are for training and tuning (classifier training, threshold tuning, development);
  * seeds >= 100000 are held out for measuring. Nothing in the product may be trained or tuned on them.

The same seed, count, difficulty, kinds and formats always give byte-identical files and truth.

Public API: `generate(out_dir, count=, seed=, difficulty=, kinds=, formats=)`,
`content.make_document(rng, doc_type, language=)`, `render_document(content, rng)`.
"""

from __future__ import annotations

from .generate import generate
from .render import render_document

__all__ = ["generate", "render_document"]
