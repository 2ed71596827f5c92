"""Identity family `long_names`: passports and ID cards of holders whose names carry diacritics (`ŞAHİN`,
`ÇAĞRI`, `MÜLLER`) and are often too long for the MRZ name field, which then holds them stripped and cut;
the visual zone prints the full name."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..content import make_document
from ..names import PLACES, Person, Place, random_date
from .common import Built
from .legacy import built_of

NAME = "long_names"
TYPES = (DocumentType.PASSPORT, DocumentType.ID_CARD)

_TR_SURNAMES = ("Şahin", "Çağlayan", "Öztürk", "Karaosmanoğlu", "Yıldırım Güneşdoğdu", "Kılıçdaroğlu", "Ağaoğlu")
_TR_GIVEN_M = ("Çağrı", "Mehmet Şükrü", "İsmail Hakkı", "Ömer Faruk", "Gökhan Ertuğrul", "Mustafa Kemal Ümit")
_TR_GIVEN_F = ("Şükran", "Gülşen Ayşegül", "Özlem", "Büşra Nur", "Çiğdem Ülkü", "Fatma Gülüzar Şükriye")
_DE_SURNAMES = ("Müller-Lüdenscheidt", "Schröder", "Weiß-Großkopf", "Böttcher", "von Löwenstein-Schönfeld", "Jäger")
_DE_GIVEN_M = ("Jürgen", "Hans-Jörg Günther", "Björn", "Karl-Heinz Jürgen Wolfgang", "Sören")
_DE_GIVEN_F = ("Jürgina", "Annelie Käthe", "Länä", "Hannelore Björg Dörte", "Grete Müllerová")


def _person(rng: random.Random) -> Person:
    origin = rng.choice(("TUR", "TUR", "D"))
    sex = rng.choice("MF")
    if origin == "TUR":
        surname = rng.choice(_TR_SURNAMES)
        given = rng.choice(_TR_GIVEN_M if sex == "M" else _TR_GIVEN_F)
    else:
        surname = rng.choice(_DE_SURNAMES)
        given = rng.choice(_DE_GIVEN_M if sex == "M" else _DE_GIVEN_F)
    place = rng.choice(PLACES[origin])
    return Person(
        origin,
        surname,
        given,
        surname,
        given,
        sex,
        random_date(rng, date(1950, 1, 1), date(2005, 12, 31)),
        Place(*place),
    )


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    person = _person(rng)
    if doc_type is DocumentType.ID_CARD and person.origin not in ("TUR", "D"):
        doc_type = DocumentType.PASSPORT
    content = make_document(rng, doc_type, person=person)
    return built_of(content, rng)
