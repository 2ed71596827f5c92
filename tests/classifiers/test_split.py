"""A scanned stack is split into documents: separator sheets and blank pages are dropped and said so."""

from __future__ import annotations

import random

import pytest

from classifiers import analyse
from classifiers.split import page_number
from classifiers.text import page_from_lines
from lab.samples.content import make_document
from schemas.documents import DocumentType, PageText, TextSource


def content_pages(types: list[DocumentType], seed: int) -> tuple[list[PageText], list[tuple[int, ...]]]:
    """The pages of generated documents of `types`, one after the other, and each document's pages."""
    rng = random.Random(seed)
    pages: list[PageText] = []
    groups: list[tuple[int, ...]] = []
    for doc_type in types:
        content = make_document(rng, doc_type)
        numbers = []
        for lines in content.pages:
            pages.append(page_from_lines(len(pages) + 1, [line.text for line in lines], source=TextSource.OCR))
            numbers.append(len(pages))
        groups.append(tuple(numbers))
    return pages, groups


def renumber(pages: list[PageText]) -> list[PageText]:
    return [p.model_copy(update={"page": i + 1}) for i, p in enumerate(pages)]


def blank(page: int = 1) -> PageText:
    return PageText(page=page, width=2480, height=3508, source=TextSource.OCR, blank=True)


def separator(page: int = 1) -> PageText:
    return PageText(page=page, width=2480, height=3508, source=TextSource.OCR, separator=True)


STACK = [
    DocumentType.NOTICE,
    DocumentType.BIRTH_CERTIFICATE,
    DocumentType.NOTICE,
    DocumentType.SCHOOL_CERTIFICATE,
    DocumentType.REGISTRATION_CERTIFICATE,
]


def test_stack_without_separators_splits_on_first_page_cues() -> None:
    for seed in range(5):
        pages, groups = content_pages(STACK, seed)
        analysis = analyse(pages, review_threshold=0.8)
        assert [d.pages for d in analysis.documents] == groups
        assert [d.type for d in analysis.documents] == STACK
        assert analysis.dropped_pages == ()


def test_separator_sheets_are_boundaries_and_are_not_filed() -> None:
    pages, _ = content_pages([DocumentType.BIRTH_CERTIFICATE, DocumentType.MARRIAGE_CERTIFICATE], 7)
    stack = renumber([pages[0], separator(), pages[1]])
    analysis = analyse(stack, review_threshold=0.8)
    assert [d.pages for d in analysis.documents] == [(1,), (3,)]
    assert analysis.dropped_pages == (2,)
    assert analysis.dropped_reasons[2] == "separator sheet"


def test_with_separators_the_pages_between_two_sheets_are_one_document() -> None:
    # Two birth certificates without a separator between them would be split by their titles; a separator
    # sheet in the file means the clerk marked the boundaries, so they are trusted as given.
    pages, _ = content_pages([DocumentType.NOTICE, DocumentType.NOTICE], 3)
    stack = renumber([separator(), *pages[:1], separator(), *pages[1:]])
    analysis = analyse(stack, review_threshold=0.8)
    assert [len(d.pages) for d in analysis.documents] == [1, len(pages) - 1]


def test_blank_back_sides_inside_a_stack_are_dropped_with_a_reason() -> None:
    pages, _ = content_pages([DocumentType.BIRTH_CERTIFICATE, DocumentType.SCHOOL_CERTIFICATE], 11)
    stack = renumber([pages[0], blank(), pages[1], blank()])
    analysis = analyse(stack, review_threshold=0.8)
    assert [d.pages for d in analysis.documents] == [(1,), (3,)]
    assert analysis.dropped_pages == (2, 4)
    assert "blank" in analysis.dropped_reasons[4]


def test_a_blank_page_alone_is_one_other_document_for_review() -> None:
    analysis = analyse([blank()], review_threshold=0.8)
    assert len(analysis.documents) == 1
    document = analysis.documents[0]
    assert (document.type, document.pages, document.review) == (DocumentType.OTHER, (1,), True)
    assert document.notes


def test_page_numbers() -> None:
    assert page_number("Seite 1 von 2") == (1, 2)
    assert page_number("Seite 2/3") == (2, 3)
    assert page_number("Page 3 of 3") == (3, 3)
    assert page_number("text\n- 2 -\nmore") == (2, None)
    assert page_number("geboren am 12/03/1985") is None


def test_a_separator_sheet_read_from_a_text_layer_is_recognised_by_its_title() -> None:
    pages, _ = content_pages([DocumentType.BIRTH_CERTIFICATE, DocumentType.MARRIAGE_CERTIFICATE], 13)
    sheet = page_from_lines(1, ["Trennblatt – dach", "Dieses Blatt trennt zwei Dokumente eines Stapels."])
    analysis = analyse(renumber([pages[0], sheet, pages[1]]), review_threshold=0.8)
    assert [d.pages for d in analysis.documents] == [(1,), (3,)]
    assert analysis.dropped_reasons == {2: "separator sheet"}


def test_an_annex_after_the_signature_stays_with_its_notice() -> None:
    for seed in range(40):
        pages, groups = content_pages([DocumentType.NOTICE], seed)
        if len(pages) == 3:
            # OCR often loses the small "- 3 -" page number of the annex
            annex = pages[2].model_copy(update={"words": tuple(w for w in pages[2].words if w.text != "-")})
            analysis = analyse([pages[0], pages[1], annex], review_threshold=0.8)
            assert [d.pages for d in analysis.documents] == groups
            return
    pytest.fail("no three-page notice among the first 40 seeds")


def test_a_stack_analysed_after_every_page_classifies_each_document_once(monkeypatch):
    """Early filing analyses the stack again after every page read: it classified every document again each time
    (quadratic in the pages); the same pages now reuse their document, other pages are classified anew."""
    import classifiers.analysis

    pages, groups = content_pages(STACK, seed=21)
    calls: list[tuple[int, ...]] = []
    classify = classifiers.analysis.classify_document

    def counted(segment, review_threshold):
        calls.append(tuple(p.page for p in segment))
        return classify(segment, review_threshold)

    monkeypatch.setattr(classifiers.analysis, "classify_document", counted)
    classified = classifiers.analysis.Classified()
    for read in range(1, len(pages) + 1):
        streamed = analyse(pages[:read], review_threshold=0.8, classified=classified)
    assert streamed == analyse(pages, review_threshold=0.8)
    assert [d.pages for d in streamed.documents] == groups
    calls.clear()
    again = analyse(pages, review_threshold=0.8, classified=classified)
    assert again == streamed and calls == []
    # A page read anew (another object, same number) is another page: its document is classified again.
    changed = [*pages[:-1], pages[-1].model_copy()]
    analyse(changed, review_threshold=0.8, classified=classified)
    assert calls == [groups[-1]]


def test_a_stack_analysed_after_every_page_works_out_each_pages_cues_once(monkeypatch):
    """The splitting cues (the text classifier's run over each page) were worked out for every page after every
    page read: 55 runs for a 10-page stack. A page's cues are its own: once per page object."""
    import classifiers.analysis

    pages, groups = content_pages(STACK, seed=21)
    seen: list[int] = []
    cues = classifiers.analysis.page_cues

    def counted(some):
        seen.extend(p.page for p in some)
        return cues(some)

    monkeypatch.setattr(classifiers.analysis, "page_cues", counted)
    classified = classifiers.analysis.Classified()
    for read in range(1, len(pages) + 1):
        streamed = analyse(pages[:read], review_threshold=0.8, classified=classified)
    assert sorted(seen) == [p.page for p in pages]
    assert [d.pages for d in streamed.documents] == groups
    changed = [*pages[:-1], pages[-1].model_copy()]  # a page read anew is worked out anew, alone
    seen.clear()
    analyse(changed, review_threshold=0.8, classified=classified)
    assert seen == [pages[-1].page]
