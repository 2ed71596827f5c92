"""Telling from a first `deu+eng` reading that a page is in another language: Cyrillic read as Latin
look-alikes (`HapoaxeHHn`), or Turkish, whose ğ, ş, ı and İ `deu+eng` cannot read. Both checks are plain
word tests, so an ordinary German page costs nothing more."""

from __future__ import annotations

from ocr.script import LOOKALIKE_SHARE, lookalike_share, looks_turkish
from ocr.tesseract import TsvWord


def words(text: str, confidence: float = 0.9) -> tuple[TsvWord, ...]:
    return tuple(
        TsvWord(text=t, left=60 * i, top=10, width=50, height=20, confidence=confidence, block=1, paragraph=1, line=1)
        for i, t in enumerate(text.split())
    )


GERMAN = (
    "Sehr geehrte Frau Kovalenko, auf Ihren Antrag vom 14. März 2025 bewillige ich Ihnen Leistungen nach dem "
    "Asylbewerberleistungsgesetz für die Zeit vom 01.04.2025 bis 30.09.2025 in Höhe von monatlich 441,00 EUR. "
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden."
)
CYRILLIC_AS_LATIN = (
    "YKPAIHA CBIDQOLLTBO MPO LLUJIKOB Npizsuwe, im's Enuta Kopx Hata HapoaxeHHn 22.05.2000 Micue HapOA*Ke "
    "Mic3ue peecTpauii Bigain gepxaBHoi"
)


def test_a_german_page_has_no_cyrillic_lookalikes() -> None:
    assert lookalike_share(words(GERMAN)) < LOOKALIKE_SHARE / 2


def test_cyrillic_read_with_latin_languages_is_noticed() -> None:
    assert lookalike_share(words(CYRILLIC_AS_LATIN)) > LOOKALIKE_SHARE


def test_a_turkish_certificate_is_noticed_and_a_german_notice_is_not() -> None:
    turkish = "TÜRKIYE CUMHURIYETI DOGUM BELGESI Adı Soyadı Nurtac Manco Dogum Tarihi 23 Ocak 1981 Dogum Yeri Bursa"
    assert looks_turkish(words(turkish))
    assert not looks_turkish(words(GERMAN))
    # One Turkish name in a German notice is not a Turkish page.
    assert not looks_turkish(words(GERMAN + " Herrn Ağakişi Kısakürek Istanbul"))
