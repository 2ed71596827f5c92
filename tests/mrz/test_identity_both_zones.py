"""Identity documents read from both zones (issue 17): a card scanned duplex (the back's MRZ joins the front
before it, whose printed name is taken), and printed names whose marks OCR may have lost."""

from __future__ import annotations

from classifiers import analyse
from classifiers.identity import identity_document, is_card_back
from classifiers.text import page_from_lines
from mrz.layout import check_digit
from schemas.documents import BBox, DocumentType, ExtractedDocument, MrzReading, PageText, TextSource, Word

FRONT = [
    "BUNDESREPUBLIK DEUTSCHLAND",
    "PERSONALAUSWEIS / IDENTITY CARD",
    "Name / Surname",
    "MÜLLER-LÜDENSCHEIDT",
    "Vornamen / Given names",
    "JÖRG",
    "Geburtstag / Date of birth",
    "12.03.1985",
    "Staatsangehörigkeit / Nationality",
    "DEUTSCH",
    "Gültig bis / Date of expiry",
    "01.01.2031",
]
ZONE = BBox(x0=0.05, y0=0.7, x1=0.95, y1=0.9)


def td1(surname: str, given: str, state: str = "D") -> tuple[str, str, str]:
    number, birth, expiry = "L01X00T47", "850312", "310101"
    upper = f"ID{state:<<3}{number}{check_digit(number)}".ljust(30, "<")
    middle = f"{birth}{check_digit(birth)}M{expiry}{check_digit(expiry)}{state:<<3}".ljust(29, "<")
    composite = upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29]
    lower = f"{surname}<<{given}".ljust(30, "<")[:30]
    return upper, middle + check_digit(composite), lower


def back(page: int, extra: list[str]) -> PageText:
    lines = td1("MUELLER<LUEDENSCHEIDT", "JOERG")
    text = page_from_lines(page, [*extra, *lines], source=TextSource.OCR)
    return text.model_copy(update={"mrz": MrzReading(lines=lines, bbox=ZONE, confidence=0.95)})


def test_a_card_back_is_its_mrz_without_the_printed_name() -> None:
    assert is_card_back(back(2, ["Anschrift / Address", "BONN 53111"]))
    assert not is_card_back(back(1, FRONT))  # front and back photocopied on one page
    assert not is_card_back(page_from_lines(1, FRONT, source=TextSource.OCR))


def td2(surname: str, given: str, state: str = "D") -> tuple[str, str]:
    number, birth, expiry = "Y53643932", "930409", "210407"
    upper = f"ID{state:<<3}{surname}<<{given}".ljust(36, "<")[:36]
    lower = f"{number}{check_digit(number)}{state:<<3}{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}"
    lower = lower.ljust(35, "<")
    return upper, lower + check_digit(lower[0:10] + lower[13:20] + lower[21:35])


def test_a_temporary_card_back_with_a_two_line_zone_joins_its_front() -> None:
    # regression (tuning duplex 0008): a German temporary identity card's back carries a TD2 zone; its front was
    # filed as a card without its zone, the back as nothing
    lines = td2("BOERNER", "SOLVEIG<ELMA")
    zone = MrzReading(lines=lines, bbox=ZONE, confidence=0.95)
    back_page = page_from_lines(2, ["Wohnort / Address", "KÖLN", *lines], source=TextSource.OCR)
    back_page = back_page.model_copy(update={"mrz": zone})
    assert is_card_back(back_page)
    front_lines = ["VORLÄUFIGER PERSONALAUSWEIS / TEMPORARY IDENTITY CARD", "Name / Surname", "BÖRNER",
                   "Vornamen / Given names", "SOLVEIG ELMA"]  # fmt: skip
    assert not is_card_back(page_from_lines(1, [*front_lines, *lines]).model_copy(update={"mrz": zone}))
    front = page_from_lines(1, front_lines, source=TextSource.OCR)
    [card] = analyse([front, back_page], review_threshold=0.8).documents
    assert card.type is DocumentType.ID_CARD and card.pages == (1, 2)
    assert card.fields["mrz_valid"].value is True and card.fields["surname"].value == "BÖRNER"


def test_a_duplex_card_is_one_document_named_as_its_front_prints_it() -> None:
    front = page_from_lines(1, FRONT, source=TextSource.OCR)
    analysis = analyse([front, back(2, ["Anschrift / Address", "BONN 53111"])], review_threshold=0.8)
    assert len(analysis.documents) == 1
    card = analysis.documents[0]
    assert card.type is DocumentType.ID_CARD and card.pages == (1, 2)
    assert card.fields["mrz_valid"].value is True
    assert card.fields["surname"].value == "MÜLLER-LÜDENSCHEIDT" and card.fields["surname"].page == 1
    assert card.fields["given_names"].value == "JÖRG"


def turkish_card(printed: str, confidence: float) -> PageText:
    lines = td1("GUNDOGDU", "CETIN", "TUR")
    page = page_from_lines(1, ["TÜRKİYE CUMHURİYETİ KİMLİK KARTI", printed, "ÇETİN", *lines], confidence=confidence)
    return page.model_copy(update={"source": TextSource.OCR, "mrz": MrzReading(lines=lines, bbox=ZONE)})


def test_a_turkish_name_read_plain_without_certainty_may_have_lost_its_marks() -> None:
    unsure = identity_document([turkish_card("GUNDOGDU", 0.9)])
    assert unsure is not None and unsure.fields["mrz_valid"].value is True
    assert unsure.fields["surname"].value == "GUNDOGDU" and unsure.fields["surname"].confidence < 0.5
    assert unsure.notes and "printed surname" in unsure.notes[-1]
    # every letter that could carry a mark carries it: nothing was lost
    assert unsure.fields["given_names"].value == "ÇETİN" and unsure.fields["given_names"].confidence == 0.9
    sure = identity_document([turkish_card("GÜNDOĞDU", 0.99)])
    assert sure is not None and sure.fields["surname"].value == "GÜNDOĞDU"
    assert sure.fields["surname"].confidence > 0.9 and not sure.notes


def test_a_printed_name_ocr_slipped_on_is_taken_with_the_mrz_letter_and_sent_to_review() -> None:
    slipped = [line.replace("LÜDENSCHEIDT", "LÜDENSOHEIDT") for line in FRONT]
    lines = td1("MUELLER<LUEDENSCHEIDT", "JOERG")
    page = page_from_lines(1, [*slipped, *lines], confidence=0.99)
    page = page.model_copy(update={"source": TextSource.OCR, "mrz": MrzReading(lines=lines, bbox=ZONE)})
    card = identity_document([page])
    assert card is not None and card.fields["mrz_valid"].value is True
    assert card.fields["surname"].value == "MÜLLER-LÜDENSCHEIDT" and card.fields["surname"].confidence < 0.5
    assert card.fields["given_names"].value == "JÖRG" and card.fields["given_names"].confidence > 0.9
    assert any("does not confirm surname" in note for note in card.notes)


def test_a_capital_i_read_as_a_small_l_is_no_slip_and_the_name_stays_certain() -> None:
    barred = [line.replace("LÜDENSCHEIDT", "LÜDENSCHElDT") for line in FRONT]
    lines = td1("MUELLER<LUEDENSCHEIDT", "JOERG")
    page = page_from_lines(1, [*barred, *lines], confidence=0.99)
    page = page.model_copy(update={"source": TextSource.OCR, "mrz": MrzReading(lines=lines, bbox=ZONE)})
    card = identity_document([page])
    assert card is not None and card.fields["surname"].value == "MÜLLER-LÜDENSCHEIDT"
    assert card.fields["surname"].confidence > 0.9 and not card.notes


def test_a_norwegian_name_read_with_dots_is_printed_with_its_own_letters_and_stays_unsure() -> None:
    lines = td1("BJOERNSTAD", "SIV", "NOR")
    page = page_from_lines(1, ["NORGE / NORWAY", "BJÖRNSTAD", "SIV", *lines], confidence=0.99)
    zone = MrzReading(lines=lines, bbox=ZONE)
    page = page.model_copy(update={"source": TextSource.OCR, "mrz": zone, "languages": "deu+eng"})
    card = identity_document([page])
    assert card is not None and card.fields["surname"].value == "BJØRNSTAD"
    # OCR without Norwegian cannot show Ø at all: the name is right by the alphabet's rule, not by the print
    assert card.fields["surname"].confidence < 0.5
    assert card.fields["given_names"].value == "SIV" and card.fields["given_names"].confidence > 0.9


def test_a_given_name_going_on_to_the_line_below_past_the_mrz_cut_is_sent_to_review() -> None:
    # `ÖTZKAN` over the nationality `DEUTSCH`, the MRZ cut after `OETZK`: the line below may be the next
    # field's value, and no MRZ letter says otherwise (a silent `ÖTZKAN DEUTSCH` on a tuning card)
    lines = td1("DUERRENMATT<UEBERLINGER", "OETZKAN")
    assert lines[2].endswith("<<OETZK")

    def card_of(rows: list[tuple[float, float, str]]) -> ExtractedDocument:
        words = []
        for line_no, (x, y, text) in enumerate(rows):
            box = BBox(x0=x, y0=y, x1=x + 0.012 * len(text), y1=y + 0.03)
            words.append(Word(text=text, bbox=box, confidence=0.97, line=line_no))
        page = PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words))
        card = identity_document([page.model_copy(update={"mrz": MrzReading(lines=lines, bbox=ZONE)})])
        assert card is not None and card.fields["mrz_valid"].value is True
        return card

    # alone, nothing in the print tells `DEUTSCH` from a second given name
    card = card_of([(0.3, 0.20, "ÖTZKAN"), (0.3, 0.24, "DEUTSCH")])
    assert card.fields["given_names"].value == "ÖTZKAN DEUTSCH"
    assert card.fields["given_names"].confidence < 0.5
    assert any("does not confirm" in note and "given_names" in note for note in card.notes)
    # under the surname its column is wider: `DEUTSCH` would have fit on the name's line (tuning diacritics 0012)
    card = card_of([(0.3, 0.10, "DÜRRENMATT-ÜBERLINGER"), (0.3, 0.20, "ÖTZKAN"), (0.3, 0.24, "DEUTSCH")])
    assert card.fields["surname"].value == "DÜRRENMATT-ÜBERLINGER" and card.fields["surname"].confidence > 0.9
    assert card.fields["given_names"].value == "ÖTZKAN"


def test_a_turkish_capital_i_read_small_and_a_romanian_comma_read_as_a_cedilla_are_the_holders_letters() -> None:
    lines = td1("GUNDOGDU", "CETIN", "TUR")
    page = page_from_lines(1, ["TÜRKİYE CUMHURİYETİ KİMLİK KARTI", "GÜNDOĞDU", "ÇETiN", *lines], confidence=0.99)
    card = identity_document(
        [page.model_copy(update={"source": TextSource.OCR, "mrz": MrzReading(lines=lines, bbox=ZONE)})]
    )
    assert card is not None and card.fields["given_names"].value == "ÇETİN"
    lines = td1("POPESCU", "IONUT", "ROU")
    page = page_from_lines(1, ["ROMANIA CARTE DE IDENTITATE", "POPESCU", "IONUŢ", *lines], confidence=0.99)
    card = identity_document(
        [page.model_copy(update={"source": TextSource.OCR, "mrz": MrzReading(lines=lines, bbox=ZONE)})]
    )
    assert card is not None and card.fields["given_names"].value == "IONUȚ"
