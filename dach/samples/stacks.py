"""Sheets: the logical pages of one sample file, before they are degraded and written.

A single document is a list of content sheets; a stack is several documents of one person (say a passport,
two Bescheide and a birth certificate), optionally with dach separator sheets between documents and blank
back sides (duplex scanning).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image

from schemas.documents import DocumentType

from .content import DocumentContent, make_document
from .layouts import PageLayout
from .layouts import layout as make_layout
from .names import make_person
from .render import blank_page, place_on_a4, rasterise, separator_layout


@dataclass
class Sheet:
    role: str  # content, blank, separator
    document: int | None
    layout: PageLayout | None  # None for blank pages
    image: Image.Image  # clean raster at 300 dpi

    @property
    def born_digital_possible(self) -> bool:
        return self.layout is not None and not self.layout.raster_only


def document_sheets(
    content: DocumentContent, rng: random.Random, index: int, *, on_a4: bool | None = None
) -> list[Sheet]:
    layouts = make_layout(content, rng)
    sheets = []
    for lay in layouts:
        image = rasterise(lay)
        if lay.raster_only:
            if on_a4 is None:
                on_a4 = rng.random() < 0.75
            if on_a4:
                image = place_on_a4(image, rng)
        sheets.append(Sheet("content", index, lay, image))
    return sheets


def separator_sheet() -> Sheet:
    lay = separator_layout()
    return Sheet("separator", None, lay, rasterise(lay))


STACK_TYPES = (
    DocumentType.PASSPORT,
    DocumentType.NOTICE,
    DocumentType.NOTICE,
    DocumentType.BIRTH_CERTIFICATE,
    DocumentType.RESIDENCE_PERMIT,
    DocumentType.REGISTRATION_CERTIFICATE,
    DocumentType.SCHOOL_CERTIFICATE,
    DocumentType.MARRIAGE_CERTIFICATE,
    DocumentType.ID_CARD,
    DocumentType.DEGREE_CERTIFICATE,
    DocumentType.VISA,
    DocumentType.OTHER,
)


def stack(rng: random.Random) -> tuple[list[DocumentContent], list[Sheet], dict[str, bool]]:
    """A mixed stack of 2-5 documents of one person; returns contents, sheets and how it was assembled."""
    person = make_person(rng)
    count = rng.randint(2, 5)
    types = [rng.choice(STACK_TYPES) for _ in range(count)]
    if rng.random() < 0.5 and DocumentType.PASSPORT not in types:
        types[0] = DocumentType.PASSPORT
    contents = [make_document(rng, t, person=person) for t in types]
    separators = rng.random() < 0.4
    duplex = rng.random() < 0.3
    sheets: list[Sheet] = []
    for index, content in enumerate(contents):
        if separators and index > 0:
            sheets.append(separator_sheet())
            if duplex:
                sheets.append(Sheet("blank", None, None, blank_page(rng)))
        for sheet in document_sheets(content, rng, index, on_a4=True):
            sheets.append(sheet)
            if duplex and rng.random() < 0.8:
                sheets.append(Sheet("blank", None, None, blank_page(rng)))
    return contents, sheets, {"separators": separators, "duplex": duplex}
