"""A seeded population of persons and the documents that mention them, for person-matching tests.

Persons come from Faker (uk_UA, ru_RU, ar_AA, fa_IR, tr_TR, de_DE) with their names in the original
script, drawn from deliberately small name pools so that namesakes are common; Syrian, Iraqi and Afghan
persons are often registered as born on 1 January; families share a surname, twins share surname and birth
date. The index holds one claim per person (the passport the person first showed). Each probe is another
document of a known person (renewed passport, residence permit, registration certificate, birth
certificate, notice) spelt as that document would spell it, or a document of a person who is *not* in the
index but resembles one (a twin, a namesake, a relative), which must not be filed to anyone automatically.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from dataclasses import dataclass, field

from schemas.persons import Identifier, IdentifierKind, PersonClaim
from tests.persons.romanise import (
    ARABIC_STYLES,
    CYRILLIC_STYLES,
    arabic_latin,
    cyrillic_latin,
    latin_drift,
    ocr_typo,
)

LOCALES = {"uk_UA": 0.3, "ru_RU": 0.15, "ar_AA": 0.2, "fa_IR": 0.1, "tr_TR": 0.1, "de_DE": 0.15}
NATIONALITIES = {"uk_UA": ("UKR",), "ru_RU": ("RUS",), "ar_AA": ("SYR", "IRQ"), "fa_IR": ("AFG", "IRN"),
                 "tr_TR": ("TUR",), "de_DE": ("DEU",)}  # fmt: skip
POOL_SIZE = {"first": 30, "last": 70}


@dataclass
class Person:
    person_id: str
    locale: str
    surname: str  # original script
    given: list[str]  # original script; a patronymic is the second given name for uk/ru
    birth_date: dt.date
    nationality: str
    passport: str
    file_number: str | None
    personal_number: str | None


@dataclass
class Probe:
    claim: PersonClaim
    truth: str | None  # person_id, or None for a person not in the index
    kind: str


@dataclass
class Population:
    persons: list[Person]
    index: list[tuple[str, PersonClaim]]
    pools: dict[str, dict[str, list[str]]]
    probes: list[Probe] = field(default_factory=list)


def _pools(locale: str, rng: random.Random) -> dict[str, list[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    pools: dict[str, list[str]] = {}
    for sex in ("male", "female"):
        firsts = [n for n in getattr(provider, f"first_names_{sex}") if len(n.split()) == 1]
        pools[f"first_{sex}"] = rng.sample(firsts, min(POOL_SIZE["first"], len(firsts)))
        lasts = [n for n in getattr(provider, f"last_names_{sex}", provider.last_names) if len(n.split()) <= 2]
        pools[f"last_{sex}"] = rng.sample(lasts, min(POOL_SIZE["last"], len(lasts)))
        middles = getattr(provider, f"middle_names_{sex}", None)
        pools[f"middle_{sex}"] = list(middles) if middles else []
    if locale in ("ar_AA", "fa_IR"):  # family names do not change with sex
        pools["last_female"] = pools["last_male"]
    return pools


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _file_number(rng: random.Random) -> str:
    return f"{rng.randint(10, 99)}-{_digits(rng, 5)}/{rng.randint(18, 25)}"


def _passport(rng: random.Random) -> str:
    return rng.choice("CFGHJKLMNPRTVWXYZ") + rng.choice("CFGHJKLMNPRTVWXYZ") + _digits(rng, 7)


def make_population(n: int, seed: int) -> Population:
    """`n` persons and the index of their first documents; probes are added by `make_probes`."""
    rng = random.Random(seed)
    pools = {locale: _pools(locale, rng) for locale in LOCALES}
    persons: list[Person] = []
    while len(persons) < n:
        locale = rng.choices(list(LOCALES), weights=list(LOCALES.values()))[0]
        persons.extend(_family(locale, pools[locale], rng, len(persons)))
    persons = persons[:n]
    index = [(p.person_id, passport_claim(p, rng)) for p in persons]
    return Population(persons, index, pools)


def _birth_date(locale: str, rng: random.Random) -> dt.date:
    year = rng.randint(1950, 2018)
    if locale in ("ar_AA", "fa_IR") and rng.random() < 0.35:
        return dt.date(year, 1, 1)  # unknown day and month are registered as 1 January
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _new_person(
    locale: str,
    pools: dict[str, list[str]],
    rng: random.Random,
    number: int,
    surname_of: Person | None = None,
    birth_date: dt.date | None = None,
) -> Person:
    sex = rng.choice(["male", "female"])
    if surname_of is not None and locale in ("uk_UA", "ru_RU"):
        sex = "female" if surname_of.surname in pools["last_female"] else "male"  # Ivanov / Ivanova
    given = [rng.choice(pools[f"first_{sex}"])]
    if pools[f"middle_{sex}"]:
        given.append(rng.choice(pools[f"middle_{sex}"]))  # patronymic
    elif rng.random() < (0.7 if locale in ("ar_AA", "fa_IR") else 0.3):
        given.append(rng.choice(pools["first_male"]))  # Arabic/Persian: the father's name
    surname = rng.choice(pools[f"last_{sex}"])
    if surname_of is not None:
        surname = surname_of.surname
    return Person(
        person_id=f"P{number:06d}",
        locale=locale,
        surname=surname,
        given=given,
        birth_date=birth_date or _birth_date(locale, rng),
        nationality=rng.choice(NATIONALITIES[locale]),
        passport=_passport(rng),
        file_number=_file_number(rng) if rng.random() < 0.6 else None,
        personal_number=_digits(rng, 10) if locale in ("uk_UA", "tr_TR") and rng.random() < 0.5 else None,
    )


def _sibling(person: Person, pools: dict[str, list[str]], rng: random.Random, number: int, twin: bool) -> Person:
    """A brother or sister: same surname (and father: Arabic and Slavic second names are the father's),
    another first name; a twin also shares the birth date."""
    sibling = _new_person(
        person.locale, pools, rng, number, surname_of=person, birth_date=person.birth_date if twin else None
    )
    while sibling.given[0] in person.given:  # nobody is named like their brother or their father
        sibling.given[0] = rng.choice(pools["first_male"] + pools["first_female"])
    if person.locale in ("ar_AA", "fa_IR"):
        sibling.given[1:] = person.given[1:]
    sibling.nationality = person.nationality
    return sibling


def _family(locale: str, pools: dict[str, list[str]], rng: random.Random, start: int) -> list[Person]:
    head = _new_person(locale, pools, rng, start)
    family = [head]
    roll = rng.random()
    if roll < 0.05:  # twins: same surname and birth date, other given names
        family.append(_sibling(head, pools, rng, start + 1, twin=True))
    elif roll < 0.25:  # relatives sharing the surname
        for k in range(rng.randint(1, 3)):
            family.append(_sibling(head, pools, rng, start + 1 + k, twin=False))
    return family


# --- how documents spell a person ----------------------------------------------------------------------


def _language(person: Person) -> str:
    return "uk" if person.locale == "uk_UA" else "ru"


def latin_name(person: Person, words: list[str], style: str, rng: random.Random) -> str:
    if person.locale in ("uk_UA", "ru_RU"):
        return " ".join(cyrillic_latin(w, style, _language(person)) for w in words)
    if person.locale in ("ar_AA", "fa_IR"):
        return " ".join(arabic_latin(w, style, rng) for w in words)
    return " ".join(latin_drift(w, rng) if style != "as_is" else w for w in words)


def _styles(person: Person) -> tuple[str, ...]:
    if person.locale in ("uk_UA", "ru_RU"):
        return CYRILLIC_STYLES
    if person.locale in ("ar_AA", "fa_IR"):
        return ARABIC_STYLES
    return ("as_is", "drift")


def _original(person: Person, given: list[str]) -> str | None:
    if person.locale in ("tr_TR", "de_DE"):
        return None
    return " ".join([person.surname, *given])


def passport_claim(person: Person, rng: random.Random) -> PersonClaim:
    """The first document a person showed: the passport (ICAO spelling, original script, number)."""
    style = _styles(person)[0]
    given = person.given[:1] if person.locale == "ru_RU" else person.given  # no patronymic in Russian MRZs
    ids = [Identifier(kind=IdentifierKind.DOCUMENT_NUMBER, value=person.passport, issuing_state=person.nationality)]
    if person.file_number:
        ids.append(Identifier(kind=IdentifierKind.FILE_NUMBER, value=person.file_number, issuing_state="DEU"))
    if person.personal_number:
        ids.append(
            Identifier(
                kind=IdentifierKind.PERSONAL_NUMBER,
                value=person.personal_number,
                issuing_state=person.nationality,
            )
        )
    return PersonClaim(
        surname=latin_name(person, [person.surname], style, rng),
        given_names=latin_name(person, given, style, rng),
        original_script_name=_original(person, person.given) if rng.random() < 0.8 else None,
        birth_date=person.birth_date,
        nationality=person.nationality,
        identifiers=tuple(ids),
    )


# --- probes: further documents -------------------------------------------------------------------------

PROBE_KINDS = {"passport_again": 0.1, "passport_renewed": 0.1, "residence_permit": 0.3, "registration": 0.2,
               "birth_certificate": 0.15, "notice": 0.15}  # fmt: skip


def _noisy(words: list[str], rng: random.Random, typo: bool) -> list[str]:
    if typo and words:
        i = rng.randrange(len(words))
        words = [*words[:i], ocr_typo(words[i], rng), *words[i + 1 :]]
    return words


def document_claim(person: Person, kind: str, rng: random.Random) -> PersonClaim:
    """What a document of `kind` says about `person`, with the spelling drift and noise of real documents."""
    if kind == "passport_again":
        return passport_claim(person, rng)
    styles = _styles(person)
    style = rng.choice(styles)
    given = list(person.given)
    if len(given) > 1 and rng.random() < 0.4:
        given = given[:1]  # second given name or patronymic left out
    typo = rng.random() < 0.15
    surname_words = person.surname.split()
    if len(surname_words) > 1 and rng.random() < 0.3:
        surname_words = surname_words[:1]  # second surname dropped
    surname = latin_name(person, surname_words, style, rng)
    if " " in surname and rng.random() < 0.5:
        surname = surname.replace(" ", "-")
    surname_l = _noisy(surname.split(), rng, typo)
    given_l = _noisy(latin_name(person, given, style, rng).split(), rng, typo and rng.random() < 0.5)
    surname, given_names = " ".join(surname_l), " ".join(given_l)
    if rng.random() < 0.1:
        surname, given_names = given_names, surname  # a form filled in the wrong order
    ids: list[Identifier] = []
    if kind == "passport_renewed":
        ids.append(
            Identifier(kind=IdentifierKind.DOCUMENT_NUMBER, value=_passport(rng), issuing_state=person.nationality)
        )
        return PersonClaim(
            surname=surname,
            given_names=given_names,
            birth_date=person.birth_date,
            nationality=person.nationality,
            identifiers=tuple(ids),
            original_script_name=_original(person, person.given),
        )
    if kind == "residence_permit":
        ids.append(Identifier(kind=IdentifierKind.DOCUMENT_NUMBER, value=_passport(rng), issuing_state="DEU"))
        if person.file_number and rng.random() < 0.5:
            ids.append(Identifier(kind=IdentifierKind.FILE_NUMBER, value=person.file_number, issuing_state="DEU"))
        return PersonClaim(
            surname=surname,
            given_names=given_names,
            birth_date=person.birth_date,
            nationality=person.nationality,
            identifiers=tuple(ids),
        )
    if kind == "registration":
        full = f"{surname.upper()}, {given_names}" if rng.random() < 0.5 else f"{given_names} {surname}"
        return PersonClaim(full_name=full, birth_date=person.birth_date)
    if kind == "birth_certificate":
        original = _original(person, given)
        if original and rng.random() < 0.7:
            return PersonClaim(original_script_name=original, birth_date=person.birth_date)
        return PersonClaim(full_name=f"{given_names} {surname}", birth_date=person.birth_date)
    # A notice: the recipient line and, unless it is unreadable, our file number.
    if person.file_number and rng.random() < 0.9:
        ids.append(Identifier(kind=IdentifierKind.FILE_NUMBER, value=person.file_number, issuing_state="DEU"))
    return PersonClaim(full_name=f"{given_names} {surname}", identifiers=tuple(ids))


def _lookalike(person: Person, rng: random.Random, number: int, pools: dict[str, list[str]]) -> Person:
    """A person not in the index who resembles `person`: a twin, a namesake, a relative, or anyone."""
    roll = rng.random()
    if roll < 0.35:  # twin
        return _sibling(person, pools, rng, number, twin=True)
    if roll < 0.65:  # namesake: same name, another birthday
        other = _new_person(person.locale, pools, rng, number)
        other.surname, other.given = person.surname, list(person.given)
        return other
    if roll < 0.85:  # relative
        return _sibling(person, pools, rng, number, twin=False)
    return _new_person(person.locale, pools, rng, number)


def _probe_kind(rng: random.Random, person: Person, kinds: list[str], weights: list[float]) -> str:
    kind = rng.choices(kinds, weights=weights)[0]
    return kind if kind != "notice" or person.file_number else "registration"  # notices come from a file


def make_probes(population: Population, seed: int, unknown_share: float = 0.2) -> list[Probe]:
    """One probe per known person, plus `unknown_share` as many probes of persons not in the index."""
    rng = random.Random(seed * 7919 + 1)
    kinds, weights = list(PROBE_KINDS), list(PROBE_KINDS.values())
    probes = [
        Probe(document_claim(p, kind, rng), p.person_id, kind)
        for p in population.persons
        for kind in [_probe_kind(rng, p, kinds, weights)]
    ]
    for k in range(int(len(population.persons) * unknown_share)):
        model = rng.choice(population.persons)
        stranger = _lookalike(model, rng, 900000 + k, population.pools[model.locale])
        kind = rng.choices(kinds, weights=weights)[0]
        if kind == "passport_again":
            kind = "passport_renewed"
        probes.append(Probe(document_claim(stranger, kind, rng), None, "unknown_" + kind))
    population.probes = probes
    return probes
