"""ICAO 9303 8th-edition transliteration: Latin diacritics, Russian and Ukrainian Cyrillic, Arabic script."""

from __future__ import annotations

import pytest

from classifiers.translit import icao_transliterate, icao_variants, mrz_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ТКАЧЕНКО", "TKACHENKO"),
        ("Мюллер", "MIULLER"),  # Russian column: Ю -> IU
        ("Müller", "MUELLER"),
        ("Straße", "STRASSE"),
        ("Григорій", "HRYHORII"),  # Ukrainian: Г -> H, И -> Y, Й -> I inside a word
        ("Євген", "YEVHEN"),  # Ukrainian: Є -> YE at the start of a word
        ("Юрій", "YURII"),
        ("Ільїн", "ILIN"),  # Ь is dropped, Ї inside a word -> I
        ("Пётр Щербаков", "PETR SHCHERBAKOV"),
        ("Ørsted Ærø", "OERSTED AEROE"),
        ("Çağrı Öztürk", "CAGRI OEZTUERK"),
        ("D'Artagnan", "DARTAGNAN"),
        ("Meyer-Lüdenscheidt", "MEYER LUEDENSCHEIDT"),
        ("Łukasz Żółć", "LUKASZ ZOLC"),
        ("Σωκράτης", "SOKRATIS"),
    ],
)
def test_transliteration_table(name: str, expected: str) -> None:
    assert icao_transliterate(name) == expected


def test_ukrainian_column_on_request() -> None:
    # No letter marks this name as Ukrainian, so the issuing state's language is passed in.
    assert icao_transliterate("Згурський", language="uk") == "ZGHURSKYI"  # зг -> ZGH, apart from ж
    assert icao_transliterate("Згурський") == "ZGURSKII"  # Russian column


def test_result_is_upper_case_latin_and_spaces_only() -> None:
    for name in ("Анна-Марія О'Коннор", "محمد علي", "José Núñez 3rd"):
        assert set(icao_transliterate(name)) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ ")


def test_mrz_name_uses_fillers_for_spaces() -> None:
    assert mrz_name("Anna Maria") == "ANNA<MARIA"


def test_variants_cover_the_states_options() -> None:
    assert {"MUELLER", "MULLER"} <= icao_variants("Müller")
    assert {"HRYHORII", "GRIGORII"} <= icao_variants("Григорій")


def test_arabic_gives_a_consonant_skeleton() -> None:
    assert icao_transliterate("محمد") == "MHMD"
