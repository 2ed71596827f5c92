"""Write a folder of family samples with truth: `generate_families(out_dir, count=, seed=, families=)`.

Sample `i` draws everything from `random.Random(f"{seed}:{i}:family")` and takes the families in turn, so
each family gets the same share and a longer run starts with the samples of a shorter one. Scan conditions
are drawn per sample on top of the usual degradations: pages turned by 90° or 270° (12 %), bilevel fax-like
pages (12 %). Truth has the shape of `lab.samples` truth plus `family` and `family_group`.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, TiffImagePlugin

from .. import degrade
from ..render import frame_card, place_on_a4, placement, rasterise
from ..truth import write_json
from .common import Built
from .registry import FAMILIES

ROTATE_SHARE = 0.12
BILEVEL_SHARE = 0.12


def _pages(built: Built, rng: random.Random) -> list[Image.Image]:
    images: list[Image.Image] = [s for s in built.card_sheets if isinstance(s, Image.Image)]
    for lay in built.pages:
        image = rasterise(lay)
        if lay.raster_only:
            if built.extra.get("card_size"):
                image = frame_card(image)
            else:
                image = place_on_a4(image, placement(rng, (lay.width, lay.height)))
        images.append(image)
    return images


def _bilevel(image: Image.Image, rng: random.Random) -> Image.Image:
    gray = image.convert("L")
    cut = rng.randint(150, 185)
    return gray.point(lambda v: 255 if v > cut else 0).convert("1")


def generate_families(out_dir: Path, *, count: int, seed: int, families: Sequence[str] | None = None) -> list[Path]:
    names = list(families or FAMILIES)
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        raise ValueError(f"unknown famil(ies) {unknown}; use any of {', '.join(FAMILIES)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest, paths = [], []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}:family")
        family = FAMILIES[names[i % len(names)]]
        doc_type = rng.choice(family.types)
        built = family.build(rng, doc_type)
        plan = degrade.plan(rng, "normal")
        rotation = rng.choice((90, 270)) if rng.random() < ROTATE_SHARE else degrade.page_rotation(rng, plan)
        bilevel = rng.random() < BILEVEL_SHARE
        images = [degrade.apply(img, plan, rotation, k) for k, img in enumerate(_pages(built, rng))]
        if bilevel:
            images = [_bilevel(img, rng) for img in images]
        buffer = io.BytesIO()
        if len(images) > 1:
            ext = "tif"
            with TiffImagePlugin.AppendingTiffWriter(buffer, new=True) as tiff:
                for img in images:
                    img.save(tiff, "TIFF", compression="tiff_lzw" if not bilevel else "group4", dpi=(300, 300))
                    tiff.newFrame()
        elif bilevel:
            ext = "png"
            images[0].save(buffer, "PNG", dpi=(300, 300))
        else:
            ext = "jpg"
            images[0].convert("RGB").save(buffer, "JPEG", quality=plan.jpeg or 88, dpi=(300, 300))
        name = f"{i + 1:04d}_{family.name}_{built.type.value}.{ext}"
        path = out_dir / name
        path.write_bytes(buffer.getvalue())
        degradations = plan.names() + ([f"rotate:{rotation}"] if rotation else []) + (["bilevel"] if bilevel else [])
        record = {
            "file": name,
            "seed": seed,
            "format": ext,
            "difficulty": "normal",
            "family": family.name,
            "family_group": family.group,
            "degradations": degradations,
            "pages": [
                {"page": k + 1, "role": "content", "document": 0, "rotation": rotation, "text_layer": False}
                for k in range(len(images))
            ],
            "documents": [
                {
                    "type": built.type.value,
                    "pages": list(range(1, len(images) + 1)),
                    "language": built.language,
                    "fields": built.fields,
                    "extra": built.extra,
                }
            ],
        }
        write_json(path.with_name(f"{path.stem}.truth.json"), record)
        manifest.append({"file": name, "family": family.name, "type": built.type.value, "pages": len(images)})
        paths.append(path)
    write_json(out_dir / "manifest.json", {"seed": seed, "count": count, "families": names, "files": manifest})
    return paths
