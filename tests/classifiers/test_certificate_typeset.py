"""The holder of a diploma known by the type the name is set in (issue 17)."""

from __future__ import annotations

from classifiers.certificate_typeset import holder_by_type_size
from classifiers.text import DocumentText
from schemas.documents import BBox, PageText, TextSource, Word


def sheet(rows: list[tuple[str, float, float, float]]) -> DocumentText:
    """A page of rows (text, x0, y0, type height): each row one OCR line."""
    words = []
    for line_no, (text, x0, y0, height) in enumerate(rows):
        x = x0
        for token in text.split():
            x1 = x + 0.6 * height * len(token)
            words.append(Word(text=token, bbox=BBox(x0=x, y0=y0, x1=x1, y1=y0 + height), confidence=0.95, line=line_no))
            x = x1 + 0.008
    return DocumentText([PageText(page=1, width=3508, height=2480, source=TextSource.OCR, words=tuple(words))])


def two_halves() -> DocumentText:
    # a landscape diploma: the Ukrainian half left, the English half right, OCR reading across both halves
    return sheet(
        [
            ("Національний університет м. Одеса", 0.08, 0.08, 0.012),
            ("National University of Odesa", 0.62, 0.08, 0.012),
            ("ДИПЛОМ", 0.18, 0.15, 0.03),
            ("BACHELOR'S DIPLOMA", 0.60, 0.15, 0.03),
            ("КВ № 60793295", 0.18, 0.22, 0.012),
            ("Series KB No. 60793295", 0.62, 0.22, 0.012),
            ("Ільєнко", 0.19, 0.28, 0.025),
            ("ILIENKO", 0.68, 0.28, 0.025),
            ("Софія Соломонівна", 0.14, 0.32, 0.022),
            ("Sofiia", 0.69, 0.32, 0.022),
            ("у 1981 році закінчив(ла)", 0.13, 0.40, 0.012),
            ("graduated in 1981 from", 0.62, 0.40, 0.012),
        ]
    )


def test_surname_over_given_names_set_large_the_latin_half_first() -> None:
    found = holder_by_type_size(two_halves())
    assert found is not None and found.value == "Sofiia ILIENKO" and found.certainty < 0.7


def test_large_title_and_institution_are_no_name() -> None:
    text = sheet(
        [
            ("State Technical University", 0.3, 0.08, 0.025),
            ("CERTIFICATE", 0.35, 0.15, 0.03),
            ("was awarded on 12 June 2015", 0.3, 0.30, 0.012),
            ("Kazan, 12 June 2015", 0.3, 0.35, 0.012),
        ]
    )
    assert holder_by_type_size(text) is None
