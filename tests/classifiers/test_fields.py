"""Field extraction reads notices and certificates off pages of words with boxes, keeping provenance."""

from __future__ import annotations

import pytest

from classifiers.certificate import extract_certificate
from classifiers.model import build_pipeline
from classifiers.notice import extract_notice, legal_basis
from classifiers.text import DocumentText, page_from_lines
from schemas.documents import BBox, DocumentType, PageText, TextSource, Word

NOTICE_PAGE = [
    "Landkreis Burgenlandkreis — Sozialamt",
    "Der Landrat",
    "Landkreis Burgenlandkreis – Sozialamt · Schönburger Straße 41 · 06618 Naumburg (Saale)",
    "Herm",  # "Herrn" as OCR often reads it
    "Olena Kovalenko",
    "Musterweg 5",
    "06618 Naumburg (Saale)",
    "Az.: 50.3 - 4240/25",
    "Bearbeiter/in: Fritz Schüler",
    "Naumburg (Saale), den 14. März 2025",
    "Betreff: Bescheid über Leistungen nach dem AsylbLG",
    "Ihr Antrag vom 01.02.2025",
    "Sehr geehrte Frau Kovalenko,",
    "auf Ihren Antrag werden Ihnen für die Zeit vom 01.04.2025 bis zum",
    "30.09.2025 Leistungen nach dem AsylbLG in Höhe von monatlich 441,00 € bewilligt.",
    "Gesamtbetrag monatlich | 1.054,47 €",
]


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return build_pipeline()


def fields_of(nlp, pages: list[PageText], doc_type: DocumentType | None = None):  # type: ignore[no-untyped-def]
    text = DocumentText(pages)
    doc = nlp.make_doc(text.text)
    for name in ("dach_notice_fields_v1", "dach_certificate_fields_v1"):
        doc = nlp.get_pipe(name)(doc)
    if doc_type is None:
        return extract_notice(text, doc)
    return extract_certificate(text, doc, doc_type)


def test_notice_fields_are_read_validated_and_normalised(nlp) -> None:  # type: ignore[no-untyped-def]
    found = fields_of(nlp, [page_from_lines(1, NOTICE_PAGE, source=TextSource.OCR, confidence=0.9)])
    values = {name: f.value for name, f in found.fields.items()}
    assert values == {
        "authority": "Landkreis Burgenlandkreis – Sozialamt",
        "file_number": "50.3-4240/25",
        "notice_date": "2025-03-14",
        "recipient_name": "Olena Kovalenko",
        "subject": "Bescheid über Leistungen nach dem AsylbLG",
        "period_start": "2025-04-01",
        "period_end": "2025-09-30",
        "amount_eur": "1054.47",  # the monthly total wins over the amount in the running text
        "legal_basis": "AsylbLG",
    }
    assert found.notes == []


def test_a_field_carries_page_box_source_and_confidence(nlp) -> None:  # type: ignore[no-untyped-def]
    cover = page_from_lines(1, ["Anlage"])
    page = page_from_lines(2, NOTICE_PAGE, source=TextSource.OCR, confidence=0.9)
    found = fields_of(nlp, [cover, page])
    number = found.fields["file_number"]
    assert number.page == 2 and number.source is TextSource.OCR
    words = [w for w in page.words if w.line == NOTICE_PAGE.index("Az.: 50.3 - 4240/25") and w.text != "Az.:"]
    assert number.bbox is not None
    assert number.bbox.x0 == pytest.approx(min(w.bbox.x0 for w in words))
    assert number.bbox.x1 == pytest.approx(max(w.bbox.x1 for w in words))
    assert number.confidence == pytest.approx(0.9)


def test_a_value_in_another_column_of_the_same_ocr_line_is_not_swallowed(nlp) -> None:  # type: ignore[no-untyped-def]
    def word(text: str, x0: float, x1: float) -> Word:
        return Word(text=text, bbox=BBox(x0=x0, y0=0.2, x1=x1, y1=0.22), confidence=0.95, line=3)

    base = page_from_lines(1, NOTICE_PAGE[:7])
    merged = (word("Aktenzeichen:", 0.55, 0.66), word("350-12/2025", 0.67, 0.76), word("Telefon", 0.85, 0.9))
    page = base.model_copy(update={"words": base.words + merged})
    assert fields_of(nlp, [page]).fields["file_number"].value == "350-12/2025"


def test_low_confidence_and_missing_fields_ask_for_review(nlp) -> None:  # type: ignore[no-untyped-def]
    found = fields_of(nlp, [page_from_lines(1, NOTICE_PAGE[:8], confidence=0.3)])
    assert any("file_number read with low confidence" in note for note in found.notes)
    assert any(note.startswith("amount_eur not found") for note in found.notes)


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        (
            "Aufenthaltserlaubnis gemäß § 25 Abs. 2 Aufenthaltsgesetz (AufenthG) erteilt",
            "AufenthG § 25 Abs. 2",
        ),
        ("Leistungen nach dem SGB XII in Höhe von", "SGB XII"),
        ("nach dem Asylbewerberleistungsgesetz", "AsylbLG"),
    ],
)
def test_legal_basis(text: str, basis: str) -> None:
    assert legal_basis(text) == basis


def test_bilingual_certificate_prefers_the_latin_block(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "УКРАЇНА",
        "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
        "Прізвище, ім'я",
        "Олена Коваленко",
        "Дата народження",
        "12 березня 1985 р.",
        "Місце народження",
        "Київ",
        "Серія та номер",
        "I-АВ 123456",
        "Geburtsurkunde",
        "Name, Vorname",
        "Olena Kovalenko",
        "Geburtsdatum",
        "12.03.1985",
        "Geburtsort",
        "Kyiv",
        "Nummer",
        "I-АВ 123456",
        "Ausstellungsdatum",
        "20. Mai 2010",
        "Ausstellende Behörde",
        "Standesamt (DRACS) Kyiv",
    ]
    found = fields_of(nlp, [page_from_lines(1, lines)], DocumentType.BIRTH_CERTIFICATE)
    assert {k: f.value for k, f in found.fields.items()} == {
        "person_name": "Olena Kovalenko",
        "birth_date": "1985-03-12",
        "birth_place": "Kyiv",
        "issue_date": "2010-05-20",
        "issuing_authority": "Standesamt (DRACS) Kyiv",
        "certificate_number": "I-АВ 123456",
    }


def test_ukrainian_only_certificate_keeps_its_script(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
        "Прізвище, ім'я",
        "Олена Коваленко",
        "Дата народження",
        "12 березня 1985 р.",
        "Місце народження",
        "Київ",
        "Дата видачі",
        "1 квітня 1985 р.",
        "Орган, що видав",
        "Відділ державної реєстрації актів цивільного стану у м. Київ",
    ]
    found = fields_of(nlp, [page_from_lines(1, lines)], DocumentType.BIRTH_CERTIFICATE)
    assert found.fields["person_name"].value == "Олена Коваленко"
    assert found.fields["issue_date"].value == "1985-04-01"
    assert "certificate_number not found or not valid; please enter it" in found.notes


def test_registration_certificate_keeps_the_printed_name_and_takes_the_letterhead(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "Stadt Zeitz – Einwohnermeldeamt",
        "Meldebescheinigung",
        "nach § 18 Bundesmeldegesetz (BMG)",
        "Familienname, Vornamen",
        "Kovalenko, Olena",
        "Geburtsdatum",
        "12.03.1985",
        "Geburtsort",
        "Kyiv",
        "Nummer der Bescheinigung",
        "1234/2025",
        "Ausstellungsdatum",
        "02.05.2025",
    ]
    found = fields_of(nlp, [page_from_lines(1, lines)], DocumentType.REGISTRATION_CERTIFICATE)
    values = {k: f.value for k, f in found.fields.items()}
    assert values["person_name"] == "Kovalenko, Olena"
    assert values["issuing_authority"] == "Stadt Zeitz – Einwohnermeldeamt"
    assert values["certificate_number"] == "1234/2025"


def test_a_value_is_found_by_position_when_ocr_reads_the_label_column_first(nlp) -> None:  # type: ignore[no-untyped-def]
    # Labels at x=0.1, values at x=0.5 on the same rows; OCR read the label column, then the value column.
    def word(text: str, x0: float, row: int, line: int) -> Word:
        y0 = 0.1 + row * 0.04
        return Word(
            text=text, bbox=BBox(x0=x0, y0=y0, x1=x0 + 0.012 * len(text), y1=y0 + 0.02), confidence=0.9, line=line
        )

    labels = [("Adı", "Soyadı"), ("Doğum", "Tarihi"), ("Doğum", "Yeri")]
    values = [("Deryanur", "Corlu"), ("21.07.1998",), ("Konya",)]
    words = [word(t, 0.1 + i * 0.08, row, row) for row, parts in enumerate(labels) for i, t in enumerate(parts)]
    words += [word(t, 0.5 + i * 0.11, row, 10 + row) for row, parts in enumerate(values) for i, t in enumerate(parts)]
    page = PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words))
    found = fields_of(nlp, [page], DocumentType.BIRTH_CERTIFICATE)
    assert found.fields["person_name"].value == "Deryanur Corlu"
    assert found.fields["birth_date"].value == "1998-07-21"
    assert found.fields["birth_place"].value == "Konya"
    assert found.fields["birth_place"].bbox is not None and found.fields["birth_place"].bbox.x0 == 0.5


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("TB 68767935", "ТВ 68767935"),
        ("І-МЮ 613380", "I-МЮ 613380"),
        ("П-КА 158159", "II-КА 158159"),
        ("G 12/2020", "G 12/2020"),
    ],
)
def test_cyrillic_certificate_series_get_their_scripts_back(read: str, number: str) -> None:
    from classifiers.certificate import cyrillic_series

    assert cyrillic_series(read, "СВІДОЦТВО ПРО НАРОДЖЕННЯ Прізвище, ім'я Дата народження") == number


def test_the_lexicon_restores_lost_diacritics_and_legal_spellings() -> None:
    from classifiers.lexicon import Lexicon

    lexicon = Lexicon.build(["Meldebehörde Verlängerung Ertaş", "Bad Bäd"])
    assert lexicon.restore("Stadt Zeitz – Meldebehorde") == "Stadt Zeitz – Meldebehörde"
    assert lexicon.restore("Verlangerung nach 88 3, 3a AsyIbLG, SGB Xll") == (
        "Verlängerung nach §§ 3, 3a AsylbLG, SGB XII"
    )
    assert lexicon.restore("Bad") == "Bad"  # the plain spelling is a word of its own


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("Döğüm Yeri", "birth_place"),  # ruled_twin 0004: OCR added marks to `Doğum Yeri`; the birth place was lost
        ("Dogum Tarihi", "birth_date"),  # and lost them
        ("DOĞUM TARİHİ", "birth_date"),
        ("Geburtsdätum", "birth_date"),
    ],
)
def test_a_latin_label_matches_whatever_marks_ocr_gave_it(printed: str, field: str) -> None:
    from classifiers.fields import label_spans

    nlp = build_pipeline()
    doc = nlp.get_pipe("dach_certificate_fields_v1")(nlp.make_doc(f"{printed} 12.03.1990"))
    assert [s.text for s in label_spans(doc, "certificate")[field]] == [printed]


def test_a_cyrillic_label_keeps_its_letters_apart() -> None:
    # `й` and `и` tell Cyrillic words apart: no folding there (`Дата видачи` is no `Дата видачі` either way)
    from classifiers.fields import folded_norms

    nlp = build_pipeline()
    assert [t.norm_ for t in folded_norms(nlp.make_doc("Район Döğüm"))] == ["район", "dogum"]
