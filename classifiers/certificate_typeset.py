"""The holder of a diploma or certificate known by how the name is set rather than by a label (issue 17).

Diplomas, school certificates and many civil-status certificates print the holder's name without any label,
in type clearly larger than the text around it, often the surname on one line and the given names (with a
patronymic) on the line below, and on bilingual sheets once per language half (`Блинова` / `Ксения Левовна`
beside `BLINOVA` / `Kseniia`). This reader finds those lines by their type size and shape: one to three name
words, no digits, no label, no title, no institution. It only fills a name no label, row or sentence gave,
below the certainty of those readings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from classifiers.certificate import INSTITUTION, PATRONYMIC, is_label, is_latin, person_name
from classifiers.cues import title_types
from classifiers.extract import Found, group_text, groups
from classifiers.geometry import type_size
from classifiers.text import DocumentText, Line
from schemas.documents import Word

CERTAINTY = 0.6  # a name known by its type alone: as sure as name rows known by their shape
LARGER = 1.3  # a holder's name is set this much larger than the page's body text at least
_BELOW = 2.0  # most the given-name line starts under the surname line, in the surname line's heights
_CENTRES_APART = 0.12  # most the centres of a surname line and its given-name line may differ (page width)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’ʼ\-]*(?:[-'’ʼ][^\W\d_]+)*$")
_DOCUMENT_WORDS = re.compile(
    r"Certificate|Diplom|Zeugnis|Urkunde|Bescheinigung|Свідоцтво|Диплом|Атестат|Аттестат|Свидетельство|Довідка"
    r"|Справка|Belge|Diploması|Bakalavr|Bachelor|Master|Бакалавр|Магістр|Магистр|شهادة|گواهی",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Unit:
    """The words of one line on one side of a wide gap (a bilingual sheet's halves OCR read as one line)."""

    text: str
    start: int
    end: int
    words: tuple[Word, ...]

    @property
    def size(self) -> float:
        return median(type_size(w) for w in self.words)

    @property
    def top(self) -> float:
        return min(w.bbox.y0 for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bbox.y1 for w in self.words)

    @property
    def centre(self) -> float:
        return (min(w.bbox.x0 for w in self.words) + max(w.bbox.x1 for w in self.words)) / 2


def _units(lines: list[Line]) -> list[_Unit]:
    return [
        _Unit(group_text(group), group[0][0], group[-1][1], tuple(e[2] for e in group))
        for line in lines
        for group in groups(line)
    ]


def _name_unit(unit: _Unit) -> bool:
    words = [w.text.strip(",.") for w in unit.words]
    if not 1 <= len(words) <= 3 or not all(_NAME_WORD.match(w) and len(w) >= 2 for w in words):
        return False
    text = " ".join(words)
    if not all(w[:1].isupper() for w in words) or (_CYRILLIC.search(text) and _LATIN.search(text)):
        return False
    return not (is_label(text) or title_types(text) or INSTITUTION.search(text) or _DOCUMENT_WORDS.search(text))


def holder_by_type_size(text: DocumentText) -> Found | None:
    """The holder's name set large without a label: a surname over given names of the same size and centre on
    the next line, or two or three name words on one line; a Latin one where the sheet prints one."""
    if not text.lines:
        return None
    page = text.lines[0].page
    units = _units([line for line in text.lines if line.page == page and line.words])
    body = median(type_size(w) for unit in units for w in unit.words)
    large = [u for u in units if u.size >= LARGER * body and _name_unit(u)]
    found: list[Found] = []
    taken: set[int] = set()
    for upper in large:
        if id(upper) in taken:
            continue
        lower = next(
            (
                u
                for u in large
                if 0 <= u.top - upper.bottom <= _BELOW * (upper.bottom - upper.top)
                and abs(u.centre - upper.centre) <= _CENTRES_APART
                and is_latin(u.text) == is_latin(upper.text)
            ),
            None,
        )
        if lower is not None and len(upper.words) == 1:
            name = person_name(f"{lower.text} {upper.text}")  # given names (and patronymic), then the surname
            taken |= {id(upper), id(lower)}
            start, end, words = upper.start, lower.end, upper.words + lower.words
        elif len(upper.words) >= 2 and not (len(upper.words) == 2 and PATRONYMIC.search(upper.text)):
            # (`Дан Мирославович` is the given-name line of a surname OCR lost, not a whole name)
            name = person_name(upper.text)
            taken.add(id(upper))
            start, end, words = upper.start, upper.end, upper.words
        else:
            continue
        if name:
            found.append(Found(name, start, end, CERTAINTY, words))
    latin = [f for f in found if isinstance(f.value, str) and is_latin(f.value)]
    return next(iter(latin or found), None)
