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
from .render import blank_page, frame_card, place_on_a4, placement, rasterise, separator_layout


@dataclass(frozen=True)
class Sheet:
    """One page of a sample file, rendered only when it is written (a stack of 15 A4 pages would
    otherwise hold 400 MB of pixels)."""

    role: str  # content, blank, separator
    document: int | None
    layout: PageLayout | None  # None for blank pages
    at: tuple[int, int] | None = None  # where a card lies on the A4 glass; None: a card-sized scan
    seed: int = 0  # paper of a blank page

    @property
    def born_digital_possible(self) -> bool:
        return self.layout is not None and not self.layout.raster_only and not self.layout.scan_only

    def render(self) -> Image.Image:
        """The clean page image at 300 dpi."""
        if self.layout is None:
            return blank_page(self.seed)
        image = rasterise(self.layout)
        if not self.layout.raster_only:
            return image
        return place_on_a4(image, self.at) if self.at is not None else frame_card(image)


def document_sheets(
    content: DocumentContent, rng: random.Random, index: int, *, on_a4: bool | None = None
) -> list[Sheet]:
    sheets = []
    for lay in make_layout(content, rng):
        at = None
        if lay.raster_only:
            if on_a4 is None:
                on_a4 = rng.random() < 0.75
            at = placement(rng, (lay.width, lay.height)) if on_a4 else None
        sheets.append(Sheet("content", index, lay, at))
    return sheets


def render_document(content: DocumentContent, rng: random.Random, *, on_a4: bool | None = None) -> list[Image.Image]:
    """The clean page images of one document (RGB, 300 dpi). Identity documents are laid on an A4 page
    unless `on_a4` is False (then card-sized); None lets `rng` decide (mostly A4)."""
    return [sheet.render() for sheet in document_sheets(content, rng, 0, on_a4=on_a4)]


def separator_sheet() -> Sheet:
    return Sheet("separator", None, separator_layout())


def blank_sheet(rng: random.Random) -> Sheet:
    return Sheet("blank", None, None, seed=rng.getrandbits(32))


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
                sheets.append(blank_sheet(rng))
        for sheet in document_sheets(content, rng, index, on_a4=True):
            sheets.append(sheet)
            if duplex and rng.random() < 0.8:
                sheets.append(blank_sheet(rng))
    return contents, sheets, {"separators": separators, "duplex": duplex}
