"""Splitting the pages of one scanned stack into documents.

Separator sheets (`PageText.separator`, a dach QR sheet found by `ocr/`) are hard boundaries and are not
filed; when a file holds separators, the pages between two of them are one document. Without separators a
page starts a new document when it carries a first-page cue: "Seite 1 von 2", a machine-readable zone, a
title or letterhead at the top, or a type that differs from the document it would otherwise continue (any
difference after a page that ended with a closing formula and signature).
"Seite 2 von 2" (or a higher page number) is the strongest continuation cue and wins over the others.
An ID card's back (its MRZ, no printed name) after a page read as a card without an MRZ is that card's
other side, scanned duplex: it continues the card instead of starting a document.
Blank pages inside a stack (back sides of duplex scans) are dropped with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.documents import DocumentType, PageText

_PAGE_NUMBER = re.compile(
    r"(?:Seite|Page|Blatt|Сторінка|Страница|Sayfa|صفحة|صفحه)\s*(\d{1,2})\s*(?:von|of|/|из|з|із|من|از|\.)\s*(\d{1,2})",
    re.IGNORECASE,
)
_PAGE_DASHED = re.compile(r"^\s*[-–—]\s*(\d{1,2})\s*[-–—]\s*$", re.MULTILINE)
# The printed words of a dach separator sheet, for sheets whose QR code the OCR room did not see (a
# born-digital sheet inside a mixed PDF is read from its text layer, where no QR detector looks).
_SEPARATOR_TEXT = re.compile(r"Trennblatt\s*[–—-]\s*dach|DACH-SEPARATOR-V1", re.IGNORECASE)
_CLOSING = re.compile(r"Mit freundlichen Gr(?:ü|u|ii)(?:ß|ss|B)en|Hochachtungsvoll|Im Auftrag\b", re.IGNORECASE)
_MRZ_LINE = re.compile(r"^[A-Z0-9<]{28,44}$")


# The heading of a certificate's annex page (its grades): it continues the certificate before it, even
# where it names that certificate ("Anlage zum Bachelorzeugnis").
_SUPPLEMENT = re.compile(
    r"^\s*(?:Anlage\s+zum|Beiblatt|Leistungsübersicht|Notenübersicht|DIPLOMA\s+SUPPLEMENT|TRANSCRIPT\s+OF"
    r"|ДОДАТОК\s+ДО|ПРИЛОЖЕНИЕ\s+К|كشف\s+الدرجات|ملحق|پیوست|ريز\s+نمرات|ریز\s+نمرات|NOT\s+D[ÖO]K[ÜU]M|D[İI]PLOMA\s+EK[İI])",
    re.IGNORECASE | re.MULTILINE,
)
CARD_TYPES = frozenset({DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT})
TYPE_CHANGE_CONFIDENCE = 0.4  # a page the classifier gives another type with this much starts a document


@dataclass(frozen=True)
class PageCues:
    """What one page says about where it sits in a document."""

    page: int
    page_number: tuple[int, int | None] | None  # (k, n) of "Seite k von n"; n is None for "- k -"
    has_mrz: bool
    title_type: DocumentType | None  # the type a title/letterhead at the top of the page names
    predicted: DocumentType  # the text classifier's type for this page alone
    confidence: float
    closes: bool = False  # ends with a closing formula and signature ("Mit freundlichen Grüßen")
    supplement: bool = False  # headed as the annex of a certificate ("Anlage zum Zeugnis", "Додаток")
    card_back: bool = False  # the back of an ID card: its MRZ without the printed name (`identity.is_card_back`)


@dataclass(frozen=True)
class Segment:
    """Pages of one document (in file order) and the pages dropped around it."""

    pages: tuple[PageText, ...]


def page_number(text: str) -> tuple[int, int | None] | None:
    """`Seite 2 von 3` / `Page 2 of 3` / `2/3` as (2, 3), `- 2 -` as (2, None); None when the page says
    nothing of the kind."""
    for match in _PAGE_NUMBER.finditer(text):
        groups = [g for g in match.groups() if g is not None]
        k, n = int(groups[0]), int(groups[1])
        if 1 <= k <= n <= 20:
            return k, n
    dashed = _PAGE_DASHED.search(text)
    if dashed and 1 <= int(dashed.group(1)) <= 20:
        return int(dashed.group(1)), None
    return None


def ends_document(page: PageText) -> bool:
    """The page says it is its document's last ("Seite 3 von 3"): `starts_document` then begins a new document
    with whatever follows, unless that page claims to be a later page ("Seite 2 von 2") of something."""
    number = page_number(page.text)
    return number is not None and number[1] is not None and number[0] == number[1]


def is_separator(page: PageText) -> bool:
    """A dach separator sheet: flagged by the OCR room, or carrying the sheet's printed title or payload."""
    return page.separator or (len(page.words) < 60 and bool(_SEPARATOR_TEXT.search(page.text)))


def is_supplement(text: str) -> bool:
    """The page is headed as the annex of a certificate (its first three lines)."""
    return bool(_SUPPLEMENT.search("\n".join(text.splitlines()[:3])))


def closes(text: str) -> bool:
    """The page ends a letter: a closing formula in its last lines."""
    return bool(_CLOSING.search("\n".join(text.splitlines()[-8:])))


def has_mrz(page: PageText) -> bool:
    """The OCR room read an MRZ on the page, or its text holds MRZ-looking lines."""
    return page.mrz is not None or mrz_in_text(page.text)


def mrz_in_text(text: str) -> bool:
    """Two or more lines of 28-44 MRZ characters with '<' fillers."""
    lines = [line.replace(" ", "") for line in text.splitlines()]
    return sum(1 for line in lines if _MRZ_LINE.match(line) and line.count("<") >= 3) >= 2


def starts_document(previous: PageCues, current: PageCues) -> bool:
    """Whether `current` begins a new document after `previous` (which belongs to the open document)."""
    if current.page_number is not None:
        k = current.page_number[0]
        return k == 1  # "Seite 2 von 2" continues whatever came before
    if previous.page_number is not None:
        k, n = previous.page_number
        if n is not None and k < n and not current.has_mrz and current.title_type is None:
            return False  # the open document announced more pages
        if n is not None and k == n:
            return True
    if current.supplement and not current.has_mrz:
        return False  # the grades of the certificate before it
    if current.card_back and not previous.has_mrz and previous.predicted in CARD_TYPES:
        return False  # a card scanned duplex: the back carries the MRZ of the front before it
    if current.has_mrz or current.title_type is not None:
        return True
    if current.predicted != previous.predicted and (previous.closes or current.confidence >= TYPE_CHANGE_CONFIDENCE):
        return True  # after a signature any change of type counts; an annex of the same type continues
    return previous.has_mrz  # an identity document is one page; what follows it is something else


def split_pages(
    pages: Sequence[PageText],
    cues_for: Callable[[Sequence[PageText]], list[PageCues]],
) -> tuple[list[Segment], dict[int, str]]:
    """Documents of a file and the pages dropped, with a reason for each dropped page.

    `cues_for` computes the cues of the content pages (it runs the text classifier), so this function
    stays a pure decision over page order.
    """
    dropped: dict[int, str] = {}
    pages = [p.model_copy(update={"separator": True}) if is_separator(p) else p for p in pages]
    content = [p for p in pages if not p.separator and not p.blank]
    if not content:
        return [], dropped
    for p in pages:
        if p.separator:
            dropped[p.page] = "separator sheet"
        elif p.blank:
            dropped[p.page] = "blank page (e.g. the back of a duplex scan)"

    if any(p.separator for p in pages):
        segments: list[Segment] = []
        current: list[PageText] = []
        for p in pages:
            if p.separator:
                if current:
                    segments.append(Segment(tuple(current)))
                current = []
            elif not p.blank:
                current.append(p)
        if current:
            segments.append(Segment(tuple(current)))
        return segments, dropped

    cues = cues_for(content)
    segments = []
    current = [content[0]]
    for index in range(1, len(content)):
        if starts_document(cues[index - 1], cues[index]):
            segments.append(Segment(tuple(current)))
            current = []
        current.append(content[index])
    segments.append(Segment(tuple(current)))
    return segments, dropped
