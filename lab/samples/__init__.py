"""Seeded generator of realistic synthetic scans with ground truth: the corpus every accuracy figure of
dach is measured on.

Families: passports (TD3), ID cards (TD1; German temporary ID cards in TD2) and German residence permits
(eAT, TD1, `AR`/`D`), visas (MRV-A/B), German notices (Bescheide), birth/marriage/school/degree/registration
certificates (school and degree ones sometimes with a grades page; Persian ones dated in the Solar Hijri
calendar), other papers (`others.KINDS`: invoices, letters, forms, handwritten notes ...), and
multi-document stacks of one person with optional separator sheets and blank back sides; as PNG, JPEG,
multi-page TIFF, born-digital PDF with a text layer, image-only PDF and mixed PDF; clean or with scan and
phone-photo degradations (`difficulty`: clean, normal, hard).

Seed convention (binding for the whole project):
  * seeds 0-9999 are for training and tuning (classifier training, threshold tuning, development);
  * seeds >= 100000 are held out for measuring. Nothing in the product may be trained or tuned on them.
The same seed, count, difficulty, kinds and formats always give byte-identical files and truth; sample
`i` depends only on (seed, i), so a longer run starts with the samples of a shorter one.

Truth (`NAME.truth.json` next to every `NAME.ext`, listed in `manifest.json`):
  * `pages`: 1-based, one per page of the file, `role` content/blank/separator, `document` index or null,
    `rotation` = degrees the page content was turned clockwise (turn it back counter-clockwise to read),
    `text_layer` true for born-digital PDF pages.
  * `degradations`: e.g. "skew:1.8", "rotate:180", "noise", "blur", "jpeg:55", "phone_light",
    "low_contrast", "gray"; empty for clean files and pure text-layer PDFs.
  * `documents[].fields` use the contract names of `schemas.documents` (MRZ_FIELDS, NOTICE_FIELDS,
    CERTIFICATE_FIELDS). Normalisation: dates ISO; amounts "441.00"; MRZ values without fillers
    (`issuing_state` "D", `optional_data` "" when empty), names as in the MRZ with single spaces;
    `file_number`, `certificate_number` and `authority`/`issuing_authority` exactly as printed, without their
    label; `recipient_name`/`person_name` as printed, in Latin script when the document prints one (given
    names then surname; a registration certificate prints "Surname, Given names" and the truth keeps it;
    `extra.latin_name` always has the person's Latin name).
  * `documents[].extra`: `legal_basis` (AsylbLG, SGB II, SGB XII, "AufenthG § 24" ...),
    `original_script_name`, `latin_name`, `spouse_name`, `visa_format`, ... where they apply;
    `viz_tampered` and `viz_printed` on an identity document whose visual zone was made to contradict its
    MRZ (`generate(..., viz_tamper_share=)`).

Public API: `generate(out_dir, count=, seed=, difficulty=, kinds=, formats=, viz_tamper_share=)`,
`content.make_document(rng, doc_type, language=, viz_tamper=)`, `render_document(content, rng)`.
"""

from __future__ import annotations

from .generate import generate
from .stacks import render_document

__all__ = ["generate", "render_document"]
