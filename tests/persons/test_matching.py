"""Person matching, as a clerk would specify it: which documents belong to which person, and why."""

from __future__ import annotations

import time
from datetime import date

import pytest

from classifiers.persons import blocking_keys, match
from schemas.persons import Identifier, IdentifierKind, PersonClaim

BORN = date(1990, 5, 3)


def claim(surname: str | None = None, given: str | None = None, **kw: object) -> PersonClaim:
    kw.setdefault("birth_date", BORN)
    return PersonClaim(surname=surname, given_names=given, **kw)  # type: ignore[arg-type]


def passport(number: str, born: date = BORN, state: str = "UKR") -> Identifier:
    return Identifier(kind=IdentifierKind.DOCUMENT_NUMBER, value=number, issuing_state=state)


# Each row: what is on file, what the new document says, and a word the reasons must contain.
VARIANTS = [
    ("ICAO vs German transliteration", claim("Shevchenko", "Oleksandr"), claim("Schewtschenko", "Oleksandr"),
     "transliteration"),
    ("Ukrainian vs Russian given name", claim("Shevchenko", "Oleksandr"), claim("Shevchenko", "Aleksandr"),
     "Aleksandr/Oleksandr"),
    ("German given name", claim("Shevchenko", "Oleksandr"), claim("Shevchenko", "Alexander"), "variants"),
    ("Olexandr", claim("Shevchenko", "Oleksandr"), claim("Shevchenko", "Olexandr"), "Olexandr"),
    ("Mykola / Nikolai", claim("Bondarenko", "Mykola"), claim("Bondarenko", "Nikolai"), "variants"),
    ("Mykola / Nikolay", claim("Bondarenko", "Mykola"), claim("Bondarenko", "Nikolay"), "variants"),
    ("Muhammad / Mohammed", claim("Haddad", "Muhammad"), claim("Haddad", "Mohammed"), "variants"),
    ("Mohamad / Mohamed", claim("Haddad", "Mohamad"), claim("Haddad", "Mohamed"), "variants"),
    ("Yusuf / Youssef", claim("Haddad", "Yusuf"), claim("Haddad", "Youssef"), "variants"),
    ("Ä as AE", claim("Jäger", "Anna"), claim("Jaeger", "Anna"), ""),
    ("Ä as A", claim("Jäger", "Anna"), claim("Jager", "Anna"), ""),
    ("Ü as UE", claim("Müller", "Jürgen"), claim("Mueller", "Juergen"), ""),
    ("Ü as U", claim("Müller", "Jürgen"), claim("Muller", "Jurgen"), ""),
    ("ß as SS", claim("Strauß", "Petra"), claim("Strauss", "Petra"), ""),
    ("Г as H or G, И as Y or I", claim("Hryhorenko", "Ivan"), claim("Grigorenko", "Ivan"), "transliteration"),
    ("Cyrillic original only", claim("Shevchenko", "Taras", nationality="UKR"),
     PersonClaim(original_script_name="Шевченко Тарас", birth_date=BORN), ""),
    ("given names and surname swapped", claim("Kovalenko", "Iryna"), claim("Iryna", "Kovalenko"), "swapped"),
    ("hyphenated double surname, second dropped", claim("Müller-Lüdenscheidt", "Jürgen"),
     claim("Mueller", "Juergen"), "missing"),
    ("double surname hyphenated or spaced", claim("Garcia Lopez", "Maria"), claim("Garcia-Lopez", "Maria"), ""),
    ("al- particle glued, spaced or dropped", claim("Al-Hashimi", "Omar"), claim("Alhashimi", "Omar"), ""),
    ("el- instead of al-", claim("Al-Hashimi", "Omar"), claim("El Hashimi", "Omar"), ""),
    ("abd al- / Abdul", claim("Haddad", "Abd al-Rahman"), claim("Haddad", "Abdulrahman"), ""),
    ("bin dropped", claim("Bin Laden", "Salim"), claim("Laden", "Salim"), ""),
    ("second given name missing", claim("Petrenko", "Olha Ivanivna"), claim("Petrenko", "Olha"), "missing"),
    ("one letter misread by OCR", claim("Shevchenko", "Oleksandr"), claim("Shevchenlo", "Oleksandr"),
     "slightly"),
    ("full name, surname first with comma", claim("Shevchenko", "Oleksandr"),
     PersonClaim(full_name="SHEVCHENKO, Oleksandr", birth_date=BORN), ""),
]


@pytest.mark.parametrize(("label", "on_file", "document", "reason_word"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_variant_spellings_of_one_person_match_automatically(
    label: str, on_file: PersonClaim, document: PersonClaim, reason_word: str
) -> None:
    decision = match(document, [("P1", on_file)])
    assert decision.auto is not None, f"{label}: {decision.candidates}"
    assert decision.auto.person_id == "P1"
    assert decision.auto.score >= 0.92
    assert reason_word in " ".join(decision.auto.reasons)
    assert blocking_keys(document) & blocking_keys(on_file), "storage would not have found the person"


def test_document_number_birth_date_and_nationality_are_near_certain() -> None:
    on_file = claim("Shevchenko", "Oleksandr", nationality="UKR", identifiers=(passport("FE123456"),))
    document = claim("Schevtschenko", "O.", nationality="UKR", identifiers=(passport("FE 123456"),))
    decision = match(document, [("P1", on_file)])
    assert decision.auto is not None and decision.auto.score >= 0.99
    assert "document number + birth date + nationality match" in decision.auto.reasons


def test_same_document_number_with_another_birth_date_is_vetoed_to_review() -> None:
    on_file = claim("Shevchenko", "Oleksandr", nationality="UKR", identifiers=(passport("FE123456"),))
    document = claim("Shevchenko", "Oleksandr", nationality="UKR", identifiers=(passport("FE123456"),),
                     birth_date=date(1991, 5, 3))
    decision = match(document, [("P1", on_file)])
    assert decision.auto is None
    assert decision.needs_review
    assert any("birth dates differ" in r for r in decision.candidates[0].reasons)


def test_namesake_with_another_birth_date_is_never_filed_automatically() -> None:
    on_file = claim("Haddad", "Mohammed")
    document = claim("Haddad", "Mohammed", birth_date=date(1985, 1, 1))
    decision = match(document, [("P1", on_file)])
    assert decision.auto is None
    assert all(c.score < 0.5 for c in decision.candidates)


def test_name_alone_without_birth_date_is_only_a_candidate() -> None:
    decision = match(PersonClaim(full_name="Oleksandr Shevchenko"), [("P1", claim("Shevchenko", "Oleksandr"))])
    assert decision.auto is None
    assert decision.candidates[0].person_id == "P1"
    assert "no birth date to compare" in decision.candidates[0].reasons


def test_twins_are_kept_apart() -> None:
    known = [("P1", claim("Haddad", "Hasan")), ("P2", claim("Haddad", "Husain"))]
    decision = match(claim("Haddad", "Hassan"), known)
    assert decision.auto is not None and decision.auto.person_id == "P1"
    decision = match(claim("Haddad", "Mahmoud"), [("P1", claim("Haddad", "Mohammed"))])
    assert decision.auto is None


def test_two_equally_good_persons_go_to_review_instead_of_a_guess() -> None:
    known = [("P1", claim("Shevchenko", "Oleksandr")), ("P2", claim("Shevchenko", "Oleksandr"))]
    decision = match(claim("Shevchenko", "Oleksandr"), known)
    assert decision.auto is None
    assert {c.person_id for c in decision.candidates} == {"P1", "P2"}


def test_conflicting_personal_numbers_veto() -> None:
    def number(value: str) -> Identifier:
        return Identifier(kind=IdentifierKind.PERSONAL_NUMBER, value=value, issuing_state="UKR")

    on_file = claim("Shevchenko", "Oleksandr", identifiers=(number("1990050312345"),))
    decision = match(claim("Shevchenko", "Oleksandr", identifiers=(number("1990050399999"),)), [("P1", on_file)])
    assert decision.auto is None


def test_matching_one_document_against_fifty_persons_takes_under_5_ms() -> None:
    known = [(f"P{i}", claim(f"Kovalenko{chr(65 + i % 26)}", "Iryna Petrivna", original_script_name="Коваленко Ірина",
                             nationality="UKR")) for i in range(50)]
    document = claim("Kowalenko", "Irina", nationality="UKR")
    match(document, known)  # warm the caches of the persons on file, as a running service has them
    fresh = [claim("Kowalenko", f"Irina{chr(65 + i)}") for i in range(20)]
    started = time.perf_counter()
    for probe in fresh:
        match(probe, known)
    assert (time.perf_counter() - started) / len(fresh) < 0.005
