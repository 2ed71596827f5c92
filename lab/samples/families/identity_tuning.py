"""Identity tuning families (issue 17, items 3 and 4), written from the issue's words and never reported: the
identity reader is developed on these and on `card_size`, so the reported identity families stay unseen.

- `booklet`: a passport photographed as an open booklet on a table: the data page below the fold, a visa page
  above it, the camera a few degrees off, light falling off towards one corner.
- `stamped`: entry stamps, a pen stroke and a hand-drawn frame across or around the MRZ.
- `diacritics`: Turkish and German holders whose names carry diacritics and often overrun the MRZ line
  (names of its own, none shared with the reported `long_names` family).
- `copy_sheet`: the back of a card and its front copied onto one A4 sheet on a grey copier, the back first,
  each side turned up to five degrees; half of the sheets thresholded as a fax would.
- `duplex`: a card scanned duplex, the front on the first page and the back with the MRZ on the second.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from PIL import Image, ImageDraw, ImageFilter

from schemas.documents import DocumentType

from ..content import make_document
from ..layouts import A4, PageLayout, Shape, Text
from ..names import PLACES, Person, Place, random_date
from ..render import rasterise
from .common import Built
from .legacy import built_of

IDENTITY = (DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)


def _mrz_box(page: PageLayout) -> tuple[float, float, float, float]:
    """The box the MRZ lines of a drawn identity page cover (baselines known, letters about `size` high)."""
    lines = [op for op in page.ops if isinstance(op, Text) and op.family == "ocrb"]
    top = min(op.y - op.size for op in lines)
    bottom = max(op.y + op.size * 0.2 for op in lines)
    return 30.0, top, page.width - 30.0, bottom


# ---- booklet -------------------------------------------------------------------------------------------------


def _visa_page(width: int, height: int, rng: random.Random) -> Image.Image:
    page = Image.new("RGB", (width, height), rng.choice([(232, 226, 236), (228, 236, 230)]))
    draw = ImageDraw.Draw(page)
    for k in range(0, width, 18):
        draw.arc((k - 400, -200, k + 400, height + 200), 0, 360, fill=(214, 206, 220), width=1)
    draw.text((width * 0.4, height * 0.08), "VISA", fill=(150, 140, 160))
    return page


def _booklet_scene(data_page: Image.Image, rng: random.Random) -> Image.Image:
    w, h = data_page.size
    fold = 24
    booklet = Image.new("RGB", (w + 40, 2 * h + fold + 40), (90, 30, 40))  # the cover around the pages
    booklet.paste(_visa_page(w, h, rng), (20, 20))
    booklet.paste(data_page, (20, 20 + h + fold))
    draw = ImageDraw.Draw(booklet)
    draw.rectangle((20, 20 + h, 20 + w, 20 + h + fold), fill=(120, 110, 105))  # the shadow in the fold
    turned = booklet.convert("RGBA").rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=True)
    table = rng.choice([(70, 52, 38), (150, 150, 145), (40, 44, 52)])
    scene = Image.new("RGB", (turned.width + rng.randint(200, 500), turned.height + rng.randint(200, 500)), table)
    scene.paste(turned, (rng.randint(60, 180), rng.randint(60, 180)), turned)
    # light falls off from one corner: a dark gradient blended over the photograph
    shade = Image.linear_gradient("L").resize(scene.size).rotate(rng.choice((0, 90, 180, 270)))
    dark = Image.new("RGB", scene.size, (0, 0, 0))
    scene = Image.composite(dark, scene, shade.point(lambda v: int(v * rng.uniform(0.25, 0.45))))
    return scene.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.1)))


def build_booklet(rng: random.Random, doc_type: DocumentType) -> Built:
    built = built_of(make_document(rng, DocumentType.PASSPORT), rng)
    built.card_sheets = [_booklet_scene(rasterise(built.pages[0]), rng)]
    built.pages = []
    return built


# ---- stamped -------------------------------------------------------------------------------------------------

_LEGENDS = ("EINGEREIST ENTERED", "BUNDESPOLIZEI FLUGHAFEN", "AUSGEREIST 14.05.2023", "GESEHEN AUSLAENDERBEHOERDE")


def build_stamped(rng: random.Random, doc_type: DocumentType) -> Built:
    built = built_of(make_document(rng, doc_type), rng)
    page = built.pages[0]
    x0, y0, x1, y1 = _mrz_box(page)
    marks = rng.sample(("stamp", "pen", "frame", "stamp"), k=rng.randint(1, 3))
    for mark in marks:
        if mark == "stamp":
            radius = int((y1 - y0) * rng.uniform(0.7, 1.1))
            cx = rng.uniform(x0 + radius, x1 - radius)
            page.ops.append(
                Shape(
                    "stamp",
                    (cx - radius, (y0 + y1) / 2 - radius, cx + radius, (y0 + y1) / 2 + radius),
                    color=rng.choice([(40, 60, 170), (170, 40, 60), (60, 60, 60)]),
                    text=rng.choice(_LEGENDS),
                    seed=rng.getrandbits(16),
                )
            )
        elif mark == "pen":
            ya, yb = rng.uniform(y0, y1), rng.uniform(y0, y1)
            stroke = (x0 + rng.uniform(0, 200), ya, x1 - rng.uniform(0, 200), yb)
            page.ops.append(Shape("line", stroke, color=(30, 40, 150), width=4))
        else:
            pad = rng.uniform(4, 18)
            page.ops.append(Shape("rect", (x0 - pad, y0 - pad, x1 + pad, y1 + pad), color=(190, 30, 30), width=5))
    return built


# ---- diacritics ----------------------------------------------------------------------------------------------

_TR_SURNAMES = ("Gündoğdu", "Özdemir-Çelikkıran", "Aydın", "Doğanşahinoğlu", "Kılınç", "Güçlü", "Yücel Başaranoğlu")
_TR_GIVEN = ("Ayşe Gülizar", "Gönül", "Ümmühan Şeyma", "Oğuz", "İlkay Süleyman", "Tuğçe Dilşad", "Çetin Barış")
_DE_SURNAMES = ("Köhler", "Schäfer-Großmann", "Rößler", "Dürrenmatt-Überlinger", "Möß", "Kühn")
_DE_GIVEN = ("Günther", "Käte Anneliese", "Jörn-Uwe", "Ursula Dörthe Hildegard", "Bärbel", "Ötzkan")


def _diacritic_person(rng: random.Random) -> Person:
    origin = rng.choice(("TUR", "D"))
    surnames, given = (_TR_SURNAMES, _TR_GIVEN) if origin == "TUR" else (_DE_SURNAMES, _DE_GIVEN)
    surname, first = rng.choice(surnames), rng.choice(given)
    return Person(
        origin,
        surname,
        first,
        surname,
        first,
        rng.choice("MF"),
        random_date(rng, date(1948, 1, 1), date(2006, 12, 31)),
        Place(*rng.choice(PLACES[origin])),
    )


def build_diacritics(rng: random.Random, doc_type: DocumentType) -> Built:
    person = _diacritic_person(rng)
    if doc_type is DocumentType.RESIDENCE_PERMIT and person.origin == "D":
        doc_type = DocumentType.ID_CARD
    return built_of(make_document(rng, doc_type, person=person), rng)


# ---- copy_sheet ----------------------------------------------------------------------------------------------


def _card_sides(card: PageLayout, rng: random.Random) -> tuple[PageLayout, PageLayout]:
    """The front (everything but the MRZ) and the back (the MRZ, an address and the issuing office)."""
    front = replace(card, ops=[op for op in card.ops if not (isinstance(op, Text) and op.family == "ocrb")])
    back = replace(card, ops=[op for op in card.ops if isinstance(op, Shape) and op.kind == "guilloche"])
    back.ops.extend(op for op in card.ops if isinstance(op, Text) and op.family == "ocrb")
    back.ops.append(Text(36, 70, "Wohnort / Address", 20, "liberation-sans", color=(90, 90, 120)))
    town = f"{rng.choice(('BONN', 'KÖLN', 'ESSEN'))} {rng.randint(10, 99)}"
    back.ops.append(Text(36, 104, town, 26, "liberation-sans"))
    back.ops.append(Text(36, 150, "Behörde / Authority: STADT", 20, "liberation-sans", color=(90, 90, 120)))
    return front, back


def _copy_sheet(card: PageLayout, rng: random.Random) -> Image.Image:
    sides = [rasterise(side).convert("RGBA") for side in _card_sides(card, rng)]
    back, front = (
        side.rotate(rng.uniform(-5, 5), resample=Image.Resampling.BICUBIC, expand=True) for side in reversed(sides)
    )
    grey = rng.randint(215, 235)
    sheet = Image.new("RGB", A4, (grey, grey, grey))
    if rng.random() < 0.5 and back.width + front.width + 260 < A4[0]:
        y = rng.randint(400, 1800)
        sheet.paste(back, (rng.randint(80, 200), y), back)
        sheet.paste(front, (A4[0] - front.width - rng.randint(80, 200), y + rng.randint(-80, 80)), front)
    else:
        x = rng.randint(200, A4[0] - max(back.width, front.width) - 200)
        sheet.paste(back, (x, rng.randint(300, 700)), back)
        sheet.paste(front, (x + rng.randint(-100, 100), 900 + back.height + rng.randint(0, 600)), front)
    if rng.random() < 0.5:
        sheet = sheet.convert("L").point(lambda v: 255 if v > 160 else 0).convert("RGB")
    return sheet


def build_copy_sheet(rng: random.Random, doc_type: DocumentType) -> Built:
    built = built_of(make_document(rng, doc_type), rng)
    built.card_sheets = [_copy_sheet(built.pages[0], rng)]
    built.pages = []
    return built


# ---- duplex --------------------------------------------------------------------------------------------------


def build_duplex(rng: random.Random, doc_type: DocumentType) -> Built:
    """A card scanned duplex: the front on page 1, the back with the MRZ on page 2, each somewhere on A4."""
    built = built_of(make_document(rng, doc_type), rng)
    sheets: list[object] = []
    for side in _card_sides(built.pages[0], rng):
        image = rasterise(side).convert("RGBA").rotate(rng.uniform(-2.5, 2.5), expand=True)
        sheet = Image.new("RGB", A4, (250, 250, 248))
        sheet.paste(image, (rng.randint(120, A4[0] - image.width - 120), rng.randint(150, 1400)), image)
        sheets.append(sheet)
    built.card_sheets = sheets
    built.pages = []
    return built
