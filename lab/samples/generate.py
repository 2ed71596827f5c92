"""Generate a folder of sample files with ground truth: `generate(out_dir, count=, seed=, ...)`.

Sample `i` of a run draws everything from `random.Random(f"{seed}:{i}")`, so a sample does not change
when `count` grows, and the same arguments always give byte-identical files.
"""

from __future__ import annotations

import io
import logging
import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image, TiffImagePlugin

from schemas.documents import DocumentType

from . import degrade
from .content import VIZ_TAMPER_TYPES, DocumentContent, make_document
from .identity import VIZ_TAMPER_FIELDS, VizTamper
from .pdf import PdfPage, write_pdf
from .stacks import Sheet, document_sheets, stack
from .truth import truth_record, write_json

log = logging.getLogger(__name__)

FORMATS = ("png", "jpeg", "tiff", "pdf-text", "pdf-image", "pdf-mixed")
KINDS = (*(t.value for t in DocumentType), "stack")
EXTENSIONS = {
    "png": "png",
    "jpeg": "jpg",
    "tiff": "tif",
    "pdf-text": "pdf",
    "pdf-image": "pdf",
    "pdf-mixed": "pdf",
}
# how often each fitting format is drawn: PDFs are what most offices scan to, TIFF is for multi-page only
FORMAT_WEIGHTS = {"png": 2, "jpeg": 2, "tiff": 1, "pdf-text": 2, "pdf-image": 2, "pdf-mixed": 2}
# how often each kind is drawn when `kinds` is not given
KIND_WEIGHTS = {
    "passport": 12,
    "id_card": 5,
    "residence_permit": 7,
    "visa": 4,
    "notice": 18,
    "birth_certificate": 7,
    "marriage_certificate": 5,
    "school_certificate": 5,
    "degree_certificate": 5,
    "registration_certificate": 6,
    "other": 4,
    "stack": 14,
}


def _validate(
    kinds: Sequence[str] | None, formats: Sequence[str] | None, difficulty: str
) -> tuple[list[str], list[str]]:
    kind_list = list(kinds) if kinds else list(KIND_WEIGHTS)
    unknown = [k for k in kind_list if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown sample kind(s) {unknown}; use document types or 'stack': {', '.join(KINDS)}")
    format_list = list(formats) if formats else list(FORMATS)
    bad = [f for f in format_list if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format(s) {bad}; use any of {', '.join(FORMATS)}")
    if difficulty not in degrade.DIFFICULTIES:
        raise ValueError(f"difficulty {difficulty!r} unknown; use one of {', '.join(degrade.DIFFICULTIES)}")
    return kind_list, format_list


def _fitting_formats(sheets: list[Sheet], allowed: list[str]) -> list[str]:
    single = len(sheets) == 1
    digital = any(s.born_digital_possible for s in sheets)
    fits = []
    for fmt in allowed:
        if fmt in ("png", "jpeg") and not single:
            continue
        if fmt == "pdf-text" and not all(s.born_digital_possible or s.role == "blank" for s in sheets):
            continue
        if fmt == "pdf-mixed" and (single or not digital):
            continue
        fits.append(fmt)
    # formats that hold every page always fit; used when the caller's choice cannot hold this sample
    return fits or [f for f in allowed if f in ("tiff", "pdf-image", "pdf-text", "pdf-mixed")] or ["tiff"]


def _viz_tamper(seed: int, i: int, share: float) -> VizTamper | None:
    """Whether sample `i` gets a visual zone that contradicts its MRZ: exactly `share` of any run's first
    samples do (every second one at 0.5), the fields taken in turn; the printed value is drawn from a
    generator of its own, so the sample is otherwise the one it is without tampering."""
    if int((i + 1) * share) == int(i * share):
        return None
    field = VIZ_TAMPER_FIELDS[int(i * share) % len(VIZ_TAMPER_FIELDS)]
    return VizTamper(field, random.Random(f"{seed}:{i}:viz"))


def _one_sample(
    rng: random.Random, kinds: list[str], tamper: VizTamper | None = None
) -> tuple[str, list[DocumentContent], list[Sheet], dict[str, bool]]:
    kind = rng.choices(kinds, weights=[KIND_WEIGHTS.get(k, 5) for k in kinds])[0]
    if kind == "stack":
        contents, sheets, info = stack(rng)
        return kind, contents, sheets, info
    doc_type = DocumentType(kind)
    content = make_document(rng, doc_type, viz_tamper=tamper if doc_type in VIZ_TAMPER_TYPES else None)
    return kind, [content], document_sheets(content, rng, 0), {}


def _encode(
    fmt: str, sheets: list[Sheet], plan: degrade.Plan, rotations: list[int], rng: random.Random
) -> tuple[bytes, list[bool]]:
    """The file bytes and, per page, whether it carries a text layer."""
    if fmt == "pdf-text":
        digital = [s.born_digital_possible for s in sheets]
    elif fmt == "pdf-mixed":
        digital = [s.born_digital_possible and rng.random() < 0.5 for s in sheets]
        candidates = [i for i, s in enumerate(sheets) if s.born_digital_possible]
        if not any(digital) and candidates:
            digital[rng.choice(candidates)] = True
        if all(digital) and len(sheets) > 1:
            digital[rng.randrange(len(sheets))] = False
    else:
        digital = [False] * len(sheets)
    page_plan = plan if fmt != "pdf-text" else degrade.Plan()

    def scan(i: int) -> Image.Image:
        return degrade.apply(sheets[i].render(), page_plan, rotations[i], i)

    # pages are rendered, degraded and compressed one at a time: a long stack never sits in memory whole
    if fmt.startswith("pdf"):
        pages = [PdfPage(layout=s.layout) if digital[i] else PdfPage.from_image(scan(i)) for i, s in enumerate(sheets)]
        return write_pdf(pages), digital
    buffer = io.BytesIO()
    if fmt == "png":
        scan(0).save(buffer, "PNG", compress_level=1, dpi=(300, 300))
    elif fmt == "jpeg":
        scan(0).convert("RGB").save(buffer, "JPEG", quality=plan.jpeg or 90, dpi=(300, 300))
    else:
        with TiffImagePlugin.AppendingTiffWriter(buffer, new=True) as tiff:
            for i in range(len(sheets)):
                scan(i).save(tiff, "TIFF", compression="tiff_lzw", dpi=(300, 300))
                tiff.newFrame()
    return buffer.getvalue(), digital


def generate(
    out_dir: Path,
    *,
    count: int,
    seed: int,
    difficulty: str = "normal",
    kinds: Sequence[str] | None = None,
    formats: Sequence[str] | None = None,
    viz_tamper_share: float = 0.0,
) -> list[Path]:
    """Write `count` samples with `NAME.truth.json` each and `manifest.json` into `out_dir`; return the
    sample paths. `kinds` restricts to document types and/or "stack"; `formats` to output formats.
    `viz_tamper_share` of the samples that are single passports, ID cards or residence permits print one
    field in their visual zone differently from the MRZ (`extra.viz_tampered` names it); 0 leaves every
    sample as before."""
    kind_list, format_list = _validate(kinds, formats, difficulty)
    if not 0.0 <= viz_tamper_share <= 1.0:
        raise ValueError(f"viz_tamper_share must be between 0 and 1, got {viz_tamper_share}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    manifest = []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        kind, contents, sheets, info = _one_sample(rng, kind_list, _viz_tamper(seed, i, viz_tamper_share))
        fits = _fitting_formats(sheets, format_list)
        fmt = rng.choices(fits, weights=[FORMAT_WEIGHTS[f] for f in fits])[0]
        plan = degrade.plan(rng, difficulty)
        if kind == "stack":  # a stack goes through the scanner's feeder, it is not photographed
            plan = replace(plan, phone=False)
        rotations = [degrade.page_rotation(rng, plan) if s.role != "blank" else 0 for s in sheets]
        data, text_layer = _encode(fmt, sheets, plan, rotations, rng)
        name = f"{i + 1:04d}_{kind}.{EXTENSIONS[fmt]}"
        path = out_dir / name
        path.write_bytes(data)
        scanned = not all(text_layer)
        degradations = plan.names() if scanned and fmt != "pdf-text" else []
        degradations += [f"rotate:{r}" for r in sorted(set(rotations)) if r and not all(text_layer)]
        record = truth_record(
            name,
            seed,
            fmt,
            difficulty,
            degradations,
            sheets,
            [r if not text_layer[j] else 0 for j, r in enumerate(rotations)],
            text_layer,
            contents,
            info or None,
        )
        truth_path = path.with_name(f"{path.stem}.truth.json")
        write_json(truth_path, record)
        manifest.append(
            {
                "file": name,
                "truth": truth_path.name,
                "format": fmt,
                "kind": kind,
                "types": [c.type.value for c in contents],
                "pages": len(sheets),
            }
        )
        paths.append(path)
        log.debug("sample %s: %s, %d page(s), %s", name, fmt, len(sheets), ", ".join(degradations) or "clean")
    run: dict[str, object] = {
        "seed": seed,
        "count": count,
        "difficulty": difficulty,
        "kinds": kind_list,
        "formats": format_list,
    }
    if viz_tamper_share:  # absent otherwise: untampered runs keep their manifest byte for byte
        run["viz_tamper_share"] = viz_tamper_share
    write_json(out_dir / "manifest.json", {**run, "files": manifest})
    return paths
