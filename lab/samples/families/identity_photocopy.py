"""Identity family `photocopy`: an ID card or residence permit photocopied front and back on one A4 page,
side by side or one above the other, each side a few degrees askew; the visual zone on the front, the
machine-readable zone alone on the back (with the address and a few lines a back side carries)."""

from __future__ import annotations

import random

from PIL import Image

from schemas.documents import DocumentType

from ..content import make_document
from ..layouts import A4, PageLayout, Shape, Text
from ..render import rasterise
from .common import Built
from .legacy import built_of

NAME = "photocopy"
TYPES = (DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)


def _sides(card: PageLayout, rng: random.Random) -> tuple[PageLayout, PageLayout]:
    front = PageLayout(card.width, card.height, background=card.background, raster_only=True)
    back = PageLayout(card.width, card.height, background=card.background, raster_only=True)
    for op in card.ops:
        is_mrz = isinstance(op, Text) and op.family == "ocrb"
        if isinstance(op, Shape) and op.kind in ("guilloche", "rect"):
            front.ops.append(op)
            back.ops.append(op)
        elif is_mrz:
            back.ops.append(op)
        else:
            front.ops.append(op)
    back.ops.append(Text(40, 90, "ANSCHRIFT / ADDRESS", 22, "dejavu-sans", color=(80, 80, 110)))
    back.ops.append(Text(40, 130, f"{rng.randint(1, 99)} HAUPTSTRASSE", 28, "dejavu-sans", bold=True))
    return front, back


def _askew(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.convert("RGBA").rotate(rng.uniform(-3.5, 3.5), resample=Image.Resampling.BICUBIC, expand=True)


def compose(card: PageLayout, rng: random.Random) -> Image.Image:
    front, back = (_askew(rasterise(side), rng) for side in _sides(card, rng))
    page = Image.new("RGB", A4, (248, 248, 246))
    if front.width * 2 + 240 <= A4[0] and rng.random() < 0.5:
        y = rng.randint(200, 900)
        page.paste(front, (100, y), front)
        page.paste(back, (A4[0] - back.width - 100, y + rng.randint(-40, 40)), back)
    else:
        x = rng.randint(150, max(160, A4[0] - front.width - 150))
        page.paste(front, (x, rng.randint(180, 400)), front)
        page.paste(back, (x + rng.randint(-60, 60), 300 + front.height + rng.randint(150, 500)), back)
    return page


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    content = make_document(rng, doc_type)
    built = built_of(content, rng)
    built.card_sheets = [compose(built.pages[0], rng)]
    built.pages = []
    return built
