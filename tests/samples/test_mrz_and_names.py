"""The generator's own MRZ and transliteration are right: pinned to ICAO 9303 worked examples."""

from __future__ import annotations

from datetime import date

from lab.samples import mrz
from lab.samples.translit import icao_name


def test_check_digit_worked_examples_of_icao_9303() -> None:
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("120415") == "9"
    assert mrz.check_digit("ZE184226B<<<<<") == "1"
    assert mrz.check_digit("<<<<<<<<<<<<<<") == "0"


def _anna(code: str, number: str, optional: str = "") -> mrz.MrzData:
    return mrz.MrzData(
        document_code=code,
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number=number,
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        optional_data=optional,
    )


def test_td3_matches_the_utopia_passport_specimen() -> None:
    assert mrz.td3(_anna("P", "L898902C3", "ZE184226B")) == [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]


def test_td1_matches_the_utopia_id_card_specimen() -> None:
    assert mrz.td1(_anna("I", "D23145890")) == [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]


def test_mrv_a_and_mrv_b_match_the_utopia_visa_specimens() -> None:
    data = mrz.MrzData(
        document_code="V",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="L8988901C",
        nationality="XXX",
        birth_date=date(1940, 9, 7),
        sex="F",
        expiry_date=date(1996, 12, 10),
        optional_data="6ZE184226B",
    )
    assert mrz.mrv(data, width=44) == [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ]
    short = mrz.MrzData(**{**data.__dict__, "optional_data": ""})
    assert mrz.mrv(short, width=36) == [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<",
    ]


def test_names_are_transliterated_per_icao_and_the_ukrainian_table() -> None:
    assert icao_name("Ткаченко", "UKR") == "TKACHENKO"
    assert icao_name("Олена", "UKR") == "OLENA"
    assert icao_name("Євген", "UKR") == "YEVHEN"
    assert icao_name("Юлія", "UKR") == "YULIIA"
    assert icao_name("Щербаков", "RUS") == "SHCHERBAKOV"
    assert icao_name("Müller-Lüdenscheidt", "D") == "MUELLER LUEDENSCHEIDT"
    assert icao_name("Şahin Öztürk", "TUR") == "SAHIN OZTURK"
