"""Layout families: documents of the same types and field definitions written independently of each other,
so that accuracy can be measured on a family nothing was developed or tuned on (leave-one-family-out).

Each family differs from the others in what a reader has to learn: label vocabulary and language order,
table vs free text, value right of vs below its label, one vs two scripts, stacked bilingual labels, values
printed twice (Cyrillic and Latin), name rows, series-and-number lines, dates in words, the issue date only
in the closing line, letter layouts of notices, identity cards photocopied front and back, names the MRZ
cuts. `TUNE` families are the only ones confidences may be calibrated on; the others are reported.

Public API: `FAMILIES` (name -> `Family`), `generate_families(out_dir, count=, seed=, families=)`.
"""

from __future__ import annotations

from lab.samples.families.common import Built
from lab.samples.families.corpus import generate_families
from lab.samples.families.registry import FAMILIES, REPORTED, TUNE, Family

__all__ = ["FAMILIES", "REPORTED", "TUNE", "Built", "Family", "generate_families"]
