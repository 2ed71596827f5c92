"""Synthetic persons and places for the sample generator, in their original script and in Latin.

Faker supplies German, Ukrainian, Russian and Turkish names (seeded from the caller's `random.Random`, so a
seed always gives the same person); Arabic and Persian names come from small hand-made lists with their usual
Latin spelling, because Faker has no reliable transliteration for them. MRZ names follow ICAO 9303: Cyrillic
per the Ukrainian national table (KMU 2010, used in Ukrainian passports) and the Russian ICAO table, German
umlauts as AE/OE/UE, Turkish letters folded to their base letter. This is test data, written independently of
the product's reader on purpose.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from faker import Faker

from .translit import icao_name

# origin code (ICAO state code of the person's nationality) -> Faker locale (None: own lists)
ORIGINS: dict[str, str | None] = {
    "UKR": "uk_UA",
    "RUS": "ru_RU",
    "SYR": None,
    "IRQ": None,
    "AFG": None,
    "IRN": None,
    "TUR": "tr_TR",
    "D": "de_DE",
}
ORIGIN_WEIGHTS = {"UKR": 30, "SYR": 18, "AFG": 14, "TUR": 10, "RUS": 8, "IRQ": 8, "IRN": 6, "D": 6}

_ARABIC_SURNAMES = [
    ("الأحمد", "Alahmad"),
    ("الخطيب", "Alkhatib"),
    ("حداد", "Haddad"),
    ("العلي", "Alali"),
    ("المصري", "Almasri"),
    ("الحلبي", "Alhalabi"),
    ("الشامي", "Alshami"),
    ("عثمان", "Osman"),
    ("إبراهيم", "Ibrahim"),
    ("الحسن", "Alhassan"),
    ("درويش", "Darwish"),
    ("قاسم", "Kassem"),
    ("الجبوري", "Aljubouri"),
    ("السعدي", "Alsaadi"),
    ("منصور", "Mansour"),
    ("خليل", "Khalil"),
]
_ARABIC_MALE = [
    ("محمد", "Mohammad"),
    ("أحمد", "Ahmad"),
    ("علي", "Ali"),
    ("خالد", "Khaled"),
    ("عمر", "Omar"),
    ("يوسف", "Yousef"),
    ("حسن", "Hassan"),
    ("محمود", "Mahmoud"),
    ("سامر", "Samer"),
    ("باسل", "Basel"),
]
_ARABIC_FEMALE = [
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("نور", "Nour"),
    ("رنا", "Rana"),
    ("ليلى", "Layla"),
    ("سارة", "Sara"),
    ("هبة", "Hiba"),
    ("آمنة", "Amina"),
    ("ريم", "Reem"),
    ("دعاء", "Duaa"),
]
_PERSIAN_SURNAMES = [
    ("احمدی", "Ahmadi"),
    ("محمدی", "Mohammadi"),
    ("حسینی", "Hosseini"),
    ("رحیمی", "Rahimi"),
    ("کریمی", "Karimi"),
    ("نوری", "Noori"),
    ("صدیقی", "Sediqi"),
    ("هاشمی", "Hashemi"),
    ("عزیزی", "Azizi"),
    ("امیری", "Amiri"),
    ("رسولی", "Rasuli"),
    ("حیدری", "Haidari"),
]
_PERSIAN_MALE = [
    ("مهدی", "Mahdi"),
    ("رضا", "Reza"),
    ("علی", "Ali"),
    ("حمید", "Hamid"),
    ("فرید", "Farid"),
    ("جواد", "Jawad"),
    ("مصطفی", "Mostafa"),
    ("سهراب", "Sohrab"),
    ("نوید", "Navid"),
    ("بهرام", "Bahram"),
]
_PERSIAN_FEMALE = [
    ("زهرا", "Zahra"),
    ("فاطمه", "Fatemeh"),
    ("مریم", "Maryam"),
    ("شبنم", "Shabnam"),
    ("نرگس", "Narges"),
    ("پروین", "Parwin"),
    ("سیما", "Sima"),
    ("لیلا", "Leila"),
    ("مینا", "Mina"),
    ("ثریا", "Soraya"),
]

# (original script, Latin) birth places by origin
PLACES: dict[str, list[tuple[str, str]]] = {
    "UKR": [
        ("Київ", "Kyiv"),
        ("Харків", "Kharkiv"),
        ("Одеса", "Odesa"),
        ("Львів", "Lviv"),
        ("Дніпро", "Dnipro"),
        ("Запоріжжя", "Zaporizhzhia"),
        ("Миколаїв", "Mykolaiv"),
        ("Чернігів", "Chernihiv"),
        ("Полтава", "Poltava"),
        ("Маріуполь", "Mariupol"),
    ],
    "RUS": [
        ("Москва", "Moskva"),
        ("Санкт-Петербург", "Sankt-Peterburg"),
        ("Ростов-на-Дону", "Rostov-na-Donu"),
        ("Казань", "Kazan"),
        ("Самара", "Samara"),
        ("Воронеж", "Voronezh"),
    ],
    "SYR": [
        ("دمشق", "Damascus"),
        ("حلب", "Aleppo"),
        ("حمص", "Homs"),
        ("اللاذقية", "Latakia"),
        ("حماة", "Hama"),
        ("دير الزور", "Deir ez-Zor"),
    ],
    "IRQ": [("بغداد", "Baghdad"), ("الموصل", "Mosul"), ("أربيل", "Erbil"), ("البصرة", "Basra")],
    "AFG": [("کابل", "Kabul"), ("هرات", "Herat"), ("مزار شریف", "Mazar-i-Sharif"), ("قندهار", "Kandahar")],
    "IRN": [
        ("تهران", "Tehran"),
        ("مشهد", "Mashhad"),
        ("اصفهان", "Isfahan"),
        ("شیراز", "Shiraz"),
        ("تبریز", "Tabriz"),
    ],
    "TUR": [
        ("İstanbul", "İstanbul"),
        ("Ankara", "Ankara"),
        ("İzmir", "İzmir"),
        ("Gaziantep", "Gaziantep"),
        ("Diyarbakır", "Diyarbakır"),
        ("Konya", "Konya"),
        ("Bursa", "Bursa"),
    ],
    "D": [
        ("Naumburg (Saale)", "Naumburg (Saale)"),
        ("Weißenfels", "Weißenfels"),
        ("Zeitz", "Zeitz"),
        ("Halle (Saale)", "Halle (Saale)"),
        ("Leipzig", "Leipzig"),
        ("Magdeburg", "Magdeburg"),
        ("Merseburg", "Merseburg"),
        ("Hohenmölsen", "Hohenmölsen"),
    ],
}

# towns of the county and neighbours, for German addresses and authorities: (town, postcode)
GERMAN_TOWNS = [
    ("Naumburg (Saale)", "06618"),
    ("Weißenfels", "06667"),
    ("Zeitz", "06712"),
    ("Hohenmölsen", "06679"),
    ("Lützen", "06686"),
    ("Teuchern", "06682"),
    ("Nebra (Unstrut)", "06642"),
    ("Osterfeld", "06721"),
    ("Bad Kösen", "06628"),
    ("Merseburg", "06217"),
    ("Halle (Saale)", "06108"),
]


def latin_display(text: str, origin: str) -> str:
    """How a Latin-script document prints the name (title case, national letters kept for de/tr)."""
    if origin in ("UKR", "RUS"):
        return " ".join(w.capitalize() for w in icao_name(text, origin).split())
    return text


@dataclass(frozen=True)
class Place:
    original: str
    latin: str


@dataclass(frozen=True)
class Person:
    """One synthetic person: original-script and Latin names, sex, birth date and place."""

    origin: str
    surname: str  # original script
    given_names: str  # original script
    surname_latin: str  # as printed on Latin-script documents
    given_latin: str
    sex: str  # M or F
    birth_date: date
    birth_place: Place

    @property
    def mrz_surname(self) -> str:
        return icao_name(self.surname_latin if self.origin in _OWN_LIST_ORIGINS else self.surname, self.origin)

    @property
    def mrz_given(self) -> str:
        return icao_name(self.given_latin if self.origin in _OWN_LIST_ORIGINS else self.given_names, self.origin)

    @property
    def latin_name(self) -> str:
        """Given names then surname, as on a German letter ("Olena Tkachenko")."""
        return f"{self.given_latin} {self.surname_latin}"

    @property
    def original_name(self) -> str:
        return f"{self.given_names} {self.surname}"

    @property
    def has_own_script(self) -> bool:
        return self.origin not in ("D", "TUR")


_OWN_LIST_ORIGINS = frozenset({"SYR", "IRQ", "AFG", "IRN"})


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def seeded_faker(rng: random.Random, locale: str) -> Faker:
    """A Faker for `locale`, re-seeded from `rng` so that the same rng state gives the same output."""
    fake = _faker(locale)
    fake.seed_instance(rng.getrandbits(32))
    return fake


def pick_origin(rng: random.Random, allowed: tuple[str, ...] | None = None) -> str:
    origins = list(allowed or ORIGIN_WEIGHTS)
    return rng.choices(origins, weights=[ORIGIN_WEIGHTS[o] for o in origins])[0]


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def make_person(
    rng: random.Random,
    origin: str | None = None,
    *,
    sex: str | None = None,
    born_between: tuple[date, date] = (date(1955, 1, 1), date(2006, 12, 31)),
    surname: tuple[str, str] | None = None,
) -> Person:
    """A person of `origin` (random if None). `surname` (original, Latin) forces a family name."""
    origin = origin or pick_origin(rng)
    sex = sex or rng.choice("MF")
    locale = ORIGINS[origin]
    if locale is None:
        arabic = origin in ("SYR", "IRQ")
        surnames = _ARABIC_SURNAMES if arabic else _PERSIAN_SURNAMES
        if arabic:
            given_list = _ARABIC_MALE if sex == "M" else _ARABIC_FEMALE
        else:
            given_list = _PERSIAN_MALE if sex == "M" else _PERSIAN_FEMALE
        sur = surname or rng.choice(surnames)
        given = rng.choice(given_list)
        surname_orig, surname_lat, given_orig, given_lat = sur[0], sur[1], given[0], given[1]
    else:
        fake = seeded_faker(rng, locale)
        for _ in range(20):
            if surname is not None:
                surname_orig = surname[0]
            else:
                surname_orig = fake.last_name_male() if sex == "M" else fake.last_name_female()
            given_orig = fake.first_name_male() if sex == "M" else fake.first_name_female()
            if origin == "D" and rng.random() < 0.2:
                second = fake.first_name_male() if sex == "M" else fake.first_name_female()
                if second != given_orig:
                    given_orig = f"{given_orig} {second}"
            # keep names that fit a TD1 name line (30 characters) and avoid Faker's titles
            if len(icao_name(surname_orig, origin)) + len(icao_name(given_orig, origin)) <= 26 and "." not in (
                surname_orig + given_orig
            ):
                break
        surname_lat = latin_display(surname_orig, origin)
        given_lat = latin_display(given_orig, origin)
    place_orig, place_lat = rng.choice(PLACES[origin])
    return Person(
        origin=origin,
        surname=surname_orig,
        given_names=given_orig,
        surname_latin=surname_lat,
        given_latin=given_lat,
        sex=sex,
        birth_date=random_date(rng, *born_between),
        birth_place=Place(place_orig, place_lat),
    )


def german_address(rng: random.Random) -> tuple[str, str, str]:
    """(street and number, postcode, town) somewhere in the county."""
    fake = seeded_faker(rng, "de_DE")
    town, postcode = rng.choice(GERMAN_TOWNS)
    street = f"{fake.street_name()} {rng.randint(1, 120)}{rng.choice(['', '', '', 'a', 'b'])}"
    return street, postcode, town


def german_official(rng: random.Random) -> str:
    """A clerk's name for signatures and contact blocks."""
    fake = seeded_faker(rng, "de_DE")
    return f"{fake.first_name()} {fake.last_name()}"
