"""Content of identity documents: passports (TD3), ID cards and German residence permits (TD1), visas
(MRV-A, MRV-B). The visual zone carries bilingual labels of the issuing state and, where the state writes
another script, the holder's name in that script next to the Latin one.

A `VizTamper` makes the visual zone contradict the MRZ in one field (a forged or mis-issued document, for
measuring the cross-check of `classifiers.identity`): the MRZ and the truth's `fields` stay what the seed
gives, the VIZ prints another plausible value, and the truth's `extra` names the field (`viz_tampered`) and
the value printed (`viz_printed`: ISO for dates, names in their MRZ form). Passports, ID cards and residence
permits only: a visa prints neither the birth date nor its own number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from schemas.documents import DocumentType

from . import mrz
from .formats import id_date
from .identity_labels import (
    FRENCH,
    LABEL_LANGUAGES,
    LABELS,
    LANG_CODE,
    NATIONALITY_WORDS,
    SEX_WORDS,
    STATE_NAMES,
)
from .model import DocumentContent, TextLine
from .names import Person, make_person, pick_origin

# label language of each state's documents: (first language, second language)

VIZ_TAMPER_FIELDS = ("birth_date", "document_number", "surname", "given_names", "expiry_date")
_LETTERS = "CFGHJKLMNPRTVWXYZ"


@dataclass(frozen=True)
class VizTamper:
    """Print `field` in the visual zone as another value than the MRZ's, drawn from `rng`: a separate
    generator, so the document is otherwise exactly the one its own seed gives."""

    field: str
    rng: random.Random

    def __post_init__(self) -> None:
        if self.field not in VIZ_TAMPER_FIELDS:
            raise ValueError(f"cannot tamper {self.field!r}; use one of {', '.join(VIZ_TAMPER_FIELDS)}")


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_LETTERS) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def document_number(rng: random.Random, state: str, code: str) -> str:
    if state == "D":
        if code == "AR":
            return rng.choice("YZ") + _letters(rng, 1) + _digits(rng, 7)
        return _letters(rng, 1) + "".join(rng.choice("0123456789CFGHJKLMNPRTVWXYZ") for _ in range(8))
    if state == "UKR":
        return _letters(rng, 2) + _digits(rng, 6) if code == "P" else _digits(rng, 9)
    if state == "TUR":
        return rng.choice("UZ") + _digits(rng, 8)
    if state == "RUS":
        return _digits(rng, 9)
    return _letters(rng, 1) + _digits(rng, rng.choice((7, 8)))


def _pair(lines: list[TextLine], first: str, second: str | None, key: str, labels: tuple[str, str], value: str) -> None:
    a, b = LABELS[labels[0]][key], LABELS[labels[1]][key]
    text = f"{a} / {b}" if labels[0] != labels[1] else a
    if labels[0] == "de" and second is None:
        text = f"{a} / {b} / {FRENCH.get(key, b)}"
    lines.append(TextLine(text, "label", key=first))
    lines.append(TextLine(value, "value", key=first))


FOREIGN = ("UKR", "SYR", "AFG", "TUR", "RUS", "IRQ", "IRN")


def _holder(rng: random.Random, origin: str | None, person: Person | None = None) -> Person:
    """The given person when the document can be theirs, else a new one of `origin`."""
    if person is not None and person.origin == origin:
        return person
    return make_person(rng, origin, born_between=(date(1950, 1, 1), date(2007, 12, 31)))


def _name_values(person: Person, data: mrz.MrzData, lang: str) -> tuple[str, str]:
    """Surname and given-name values of the visual zone, with the original script where the state uses it."""
    if person.has_own_script and lang in ("uk", "ru", "ar", "fa"):
        return (
            f"{person.surname.upper()} / {data.surname}",
            f"{person.given_names.upper()} / {data.given_names}",
        )
    if person.origin == "D":
        return person.surname_latin.upper(), person.given_latin.upper()
    if person.origin == "TUR":
        return person.surname.upper(), person.given_names.upper()
    return data.surname, data.given_names


def _viz(rng: random.Random, person: Person, data: mrz.MrzData, issue: date, lang: str, title: str) -> list[TextLine]:
    number_label = True
    labels = (lang, "en") if lang != "de" else ("de", "en")
    state_orig, state_en = STATE_NAMES[data.issuing_state]
    style = rng.choice(("abbr", "numeric", "abbr"))
    lines = [TextLine(state_orig if state_orig == state_en else f"{state_orig}", "letterhead")]
    if state_orig != state_en:
        lines.append(TextLine(state_en, "letterhead"))
    lines.append(TextLine(title, "title"))
    if data.document_code == "AR":
        lines.append(TextLine("Dokumentennummer / Document No.", "label", key="document_number"))
        lines.append(TextLine(data.document_number, "value", key="document_number"))
        number_label = False
    surname_v, given_v = _name_values(person, data, lang)
    _pair(lines, "document_code", None, "type", labels, data.document_code)
    _pair(lines, "issuing_state", None, "code", labels, data.issuing_state)
    if number_label:
        which = "number" if data.document_code.startswith("P") else "docnum"
        _pair(lines, "document_number", None, which, labels, data.document_number)
    _pair(lines, "surname", None, "surname", labels, surname_v)
    _pair(lines, "given_names", None, "given", labels, given_v)
    _pair(
        lines,
        "nationality",
        None,
        "nationality",
        labels,
        NATIONALITY_WORDS.get(data.nationality, data.nationality),
    )
    _pair(lines, "birth_date", None, "birth_date", labels, id_date(data.birth_date, style))
    sex_local = SEX_WORDS.get(lang, {}).get(data.sex, data.sex)
    _pair(lines, "sex", None, "sex", labels, data.sex if sex_local == data.sex else f"{sex_local}/{data.sex}")
    place = person.birth_place
    if place.original == place.latin or lang == "de" or lang == "tr":
        place_text = place.latin.upper()
    else:
        place_text = f"{place.original.upper()}/{place.latin.upper()}"
    _pair(lines, "birth_place", None, "birth_place", labels, place_text)
    _pair(lines, "issue_date", None, "issue", labels, id_date(issue, style))
    _pair(lines, "expiry_date", None, "expiry", labels, id_date(data.expiry_date, style))
    _pair(lines, "authority", None, "authority", labels, _authority_code(rng, data.issuing_state))
    return lines


def _authority_code(rng: random.Random, state: str) -> str:
    if state == "D":
        return rng.choice(["Burgenlandkreis", "Stadt Naumburg (Saale)", "Landkreis Saalekreis", "Stadt Halle (Saale)"])
    return _digits(rng, 4)


def _printed_viz(
    rng: random.Random,
    person: Person,
    data: mrz.MrzData,
    issue: date,
    lang: str,
    title: str,
    tamper: VizTamper | None,
) -> tuple[list[TextLine], dict[str, str]]:
    """The visual zone's lines (`_viz`), of the tampered person and data where `tamper` says, and the
    truth's record of the tampered field."""
    if tamper is None:
        return _viz(rng, person, data, issue, lang, title), {}
    draw = tamper.rng  # the tampered value's own generator (see `VizTamper`)
    if tamper.field == "birth_date":
        # an age changed by one to ten years, the holder still born a year or more before the issue date
        birth = data.birth_date + timedelta(days=draw.choice((-1, 1)) * draw.randint(365, 3652))
        if birth > issue - timedelta(days=365):
            birth = data.birth_date - (birth - data.birth_date)
        data = replace(data, birth_date=birth)
        printed = birth.isoformat()
    elif tamper.field == "expiry_date":
        # a validity moved by a month to three years, still ending a month or more after the issue date
        expiry = data.expiry_date + timedelta(days=draw.choice((-1, 1)) * draw.randint(30, 3 * 365))
        if expiry <= issue + timedelta(days=30):
            expiry = data.expiry_date + (data.expiry_date - expiry)
        data = replace(data, expiry_date=expiry)
        printed = expiry.isoformat()
    elif tamper.field == "document_number":
        printed = _altered_number(draw, data.document_number)
        data = replace(data, document_number=printed)
    else:
        other = _other_name(draw, person, tamper.field)
        if tamper.field == "surname":
            person = replace(person, surname=other.surname, surname_latin=other.surname_latin)
            data = replace(data, surname=other.mrz_surname)
            printed = other.mrz_surname
        else:
            person = replace(person, given_names=other.given_names, given_latin=other.given_latin)
            data = replace(data, given_names=other.mrz_given)
            printed = other.mrz_given
    return _viz(rng, person, data, issue, lang, title), {"viz_tampered": tamper.field, "viz_printed": printed}


def _altered_number(rng: random.Random, number: str) -> str:
    """The number with one to three characters replaced, each by another of its kind (digit or letter)."""
    chars = list(number)
    for i in rng.sample(range(len(chars)), min(len(chars), rng.randint(1, 3))):
        pool = "0123456789" if chars[i].isdigit() else _LETTERS
        chars[i] = rng.choice([c for c in pool if c != chars[i]])
    return "".join(chars)


def _other_name(rng: random.Random, person: Person, field: str) -> Person:
    """Someone of the holder's origin and sex whose surname (or given name) is not the holder's."""
    mine = person.mrz_surname if field == "surname" else person.mrz_given
    for _ in range(50):
        other = make_person(rng, person.origin, sex=person.sex)
        if (other.mrz_surname if field == "surname" else other.mrz_given) != mine:
            return other
    raise ValueError(f"no other {field} found for origin {person.origin}")


def _dates(rng: random.Random, years: int) -> tuple[date, date]:
    issue = date(2016, 1, 1) + timedelta(days=rng.randrange(365 * 9))
    expiry = (
        issue.replace(year=issue.year + years) - timedelta(days=1)
        if issue.month != 2 or issue.day != 29
        else date(issue.year + years, 2, 28)
    )
    return issue, expiry


def _mrz_data(
    person: Person,
    code: str,
    state: str,
    number: str,
    expiry: date,
    optional: str = "",
    optional2: str = "",
    nationality: str | None = None,
) -> mrz.MrzData:
    return mrz.MrzData(
        document_code=code,
        issuing_state=state,
        surname=person.mrz_surname,
        given_names=person.mrz_given,
        document_number=number,
        nationality=nationality or person.origin,
        birth_date=person.birth_date,
        sex=person.sex,
        expiry_date=expiry,
        optional_data=optional,
        optional_data_2=optional2,
    )


def _finish(
    doc_type: DocumentType,
    lang: str,
    person: Person,
    data: mrz.MrzData,
    lines_mrz: list[str],
    viz: list[TextLine],
    layout: str,
    extra: dict[str, str],
) -> DocumentContent:
    fields = mrz.truth_fields(data, lines_mrz)
    extra = dict(extra)
    extra["latin_name"] = f"{fields['surname']} {fields['given_names']}".strip()
    # a tampered name is not the holder's: the VIZ then no longer prints their whole name in their script
    named = extra.get("viz_tampered") not in ("surname", "given_names")
    if person.has_own_script and lang in ("uk", "ru", "ar", "fa") and named:
        extra["original_script_name"] = f"{person.surname.upper()} {person.given_names.upper()}"
    lines = viz + [TextLine(line, "mrz") for line in lines_mrz]
    return DocumentContent(
        type=doc_type,
        language=LANG_CODE.get(lang, lang),
        fields=fields,
        extra=extra,
        pages=[lines],
        layout=layout,
    )


def passport(
    rng: random.Random,
    language: str | None = None,
    person: Person | None = None,
    *,
    tamper: VizTamper | None = None,
) -> DocumentContent:
    origin = person.origin if person else _origin_for(rng, language)
    person = _holder(rng, origin, person)
    lang = LABEL_LANGUAGES[origin][0]
    issue, expiry = _dates(rng, 10)
    number = document_number(rng, origin, "P")
    optional = ""
    if origin == "UKR":
        optional = person.birth_date.strftime("%Y%m%d") + _digits(rng, 5)
    elif origin == "TUR" or (origin in ("SYR", "IRQ") and rng.random() < 0.5):
        optional = _digits(rng, 11)
    data = _mrz_data(person, "P", origin, number, expiry, optional)
    lines = mrz.td3(data, empty_optional_cd=rng.choice("<0"))
    title = LABELS[lang]["passport"] + (" / PASSPORT" if lang != "en" else "")
    if lang == "de":
        title = "REISEPASS / PASSPORT / PASSEPORT"
    viz, tampered = _printed_viz(rng, person, data, issue, lang, title, tamper)
    return _finish(DocumentType.PASSPORT, lang, person, data, lines, viz, "passport", tampered)


def id_card(
    rng: random.Random,
    language: str | None = None,
    person: Person | None = None,
    *,
    tamper: VizTamper | None = None,
) -> DocumentContent:
    if rng.random() < 0.25:
        return temporary_id_card(rng, person, tamper=tamper)
    origin = _origin_for(rng, language, allowed=("UKR", "TUR", "D"), person=person)
    person = _holder(rng, origin, person)
    lang = LABEL_LANGUAGES[origin][0]
    issue, expiry = _dates(rng, 10)
    number = document_number(rng, origin, "ID")
    # Ukrainian ID cards carry the UNZR record number (birth date + 5 digits) as optional data
    optional = person.birth_date.strftime("%Y%m%d") + _digits(rng, 5) if origin == "UKR" else ""
    code = "ID" if origin != "TUR" else "I"
    data = _mrz_data(person, code, origin, number, expiry, optional)
    lines = mrz.td1(data)
    titles = {
        "uk": "ПАСПОРТ ГРОМАДЯНИНА УКРАЇНИ / IDENTITY CARD",
        "tr": "KİMLİK KARTI / IDENTITY CARD",
        "de": "PERSONALAUSWEIS / IDENTITY CARD / CARTE D'IDENTITÉ",
    }
    viz, tampered = _printed_viz(rng, person, data, issue, lang, titles[lang], tamper)
    return _finish(DocumentType.ID_CARD, lang, person, data, lines, viz, "card", tampered)


def temporary_id_card(
    rng: random.Random, person: Person | None = None, *, tamper: VizTamper | None = None
) -> DocumentContent:
    """German temporary identity card (vorläufiger Personalausweis): ID-2 size with a TD2 zone of two
    lines of 36. ICAO leaves the second letter of an ID card's code to the state; it is `D` here."""
    person = _holder(rng, "D", person if person is not None and person.origin == "D" else None)
    issue, expiry = _dates(rng, 1)
    number = _letters(rng, 1) + _digits(rng, 8)
    data = _mrz_data(person, "ID", "D", number, expiry)
    lines = mrz.td2(data)
    title = "VORLÄUFIGER PERSONALAUSWEIS / TEMPORARY IDENTITY CARD"
    viz, tampered = _printed_viz(rng, person, data, issue, "de", title, tamper)
    return _finish(DocumentType.ID_CARD, "de", person, data, lines, viz, "card-td2", {"mrz_format": "TD2", **tampered})


def residence_permit(
    rng: random.Random,
    language: str | None = None,
    person: Person | None = None,
    *,
    tamper: VizTamper | None = None,
) -> DocumentContent:
    """German electronic residence permit (eAT): TD1, code AR, issuing state D."""
    origin = _origin_for(rng, None, allowed=FOREIGN, person=person)
    person = _holder(rng, origin, person)
    issue, expiry = _dates(rng, rng.choice((1, 2, 3)))
    number = document_number(rng, "D", "AR")
    data = _mrz_data(person, "AR", "D", number, expiry)
    lines = mrz.td1(data)
    viz, tampered = _printed_viz(
        rng, person, data, issue, "de", "AUFENTHALTSTITEL / RESIDENCE PERMIT / TITRE DE SÉJOUR", tamper
    )
    basis = rng.choice(
        [
            "§ 24 AufenthG",
            "§ 25 Abs. 2 AufenthG",
            "§ 25 Abs. 3 AufenthG",
            "§ 16b AufenthG",
            "§ 18a AufenthG",
            "§ 28 AufenthG",
        ]
    )
    viz.append(TextLine("ART DES TITELS / TYPE OF PERMIT", "label", key="permit_type"))
    viz.append(TextLine(f"AUFENTHALTSERLAUBNIS {basis}", "value", key="permit_type"))
    content = _finish(
        DocumentType.RESIDENCE_PERMIT,
        "de",
        person,
        data,
        lines,
        viz,
        "card",
        {"legal_basis": basis, "holder_origin": origin, **tampered},
    )
    return DocumentContent(
        type=content.type,
        language="de-en-fr",
        fields=content.fields,
        extra=content.extra,
        pages=content.pages,
        layout=content.layout,
    )


def visa(rng: random.Random, language: str | None = None, person: Person | None = None) -> DocumentContent:
    """Schengen or national German visa sticker (MRV-A 44 or MRV-B 36 characters)."""
    origin = _origin_for(rng, None, allowed=FOREIGN, person=person)
    person = _holder(rng, origin, person)
    code = rng.choice(["VC", "VD"])
    issue = date(2018, 1, 1) + timedelta(days=rng.randrange(365 * 7))
    expiry = issue + timedelta(days=rng.choice((30, 90, 180, 365)))
    number = "D" + _digits(rng, 8)
    width = rng.choice((44, 36))
    data = _mrz_data(person, code, "D", number, expiry, optional="")
    lines = mrz.mrv(data, width=width)
    viz = [
        TextLine("VISUM", "title"),
        TextLine("GÜLTIG FÜR / VALID FOR", "label"),
        TextLine(rng.choice(["SCHENGENER STAATEN", "DEUTSCHLAND"]), "value"),
        TextLine("VOM / FROM", "label", key="issue_date"),
        TextLine(id_date(issue, "numeric"), "value", key="issue_date"),
        TextLine("BIS / UNTIL", "label", key="expiry_date"),
        TextLine(id_date(expiry, "numeric"), "value", key="expiry_date"),
        TextLine("TYP DES VISUMS / TYPE OF VISA", "label", key="document_code"),
        TextLine(code[1], "value", key="document_code"),
        TextLine("ANZAHL DER EINREISEN / NUMBER OF ENTRIES", "label"),
        TextLine(rng.choice(["MULT", "1", "2"]), "value"),
        TextLine("AUSGESTELLT IN / ISSUED IN", "label"),
        TextLine(rng.choice(["BEIRUT", "ISTANBUL", "ISLAMABAD", "TEHERAN", "KIEW", "ERBIL"]), "value"),
        TextLine("NAME, VORNAME / SURNAME, NAME", "label", key="surname"),
        TextLine(f"{data.surname}, {data.given_names}", "value", key="surname"),
        TextLine("REISEPASS NR. / PASSPORT NUMBER", "label"),
        TextLine(document_number(rng, origin, "P"), "value"),
        TextLine("ANMERKUNGEN / REMARKS", "label"),
        TextLine(
            rng.choice(["BESCHÄFTIGUNG GESTATTET", "FAMILIENNACHZUG", "AUFNAHME § 22 AUFENTHG", "STUDIUM"]),
            "value",
        ),
    ]
    return _finish(
        DocumentType.VISA,
        "de-en",
        person,
        data,
        lines,
        viz,
        "visa",
        {"visa_format": "MRV-A" if width == 44 else "MRV-B", "visa_number": number},
    )


def _origin_for(
    rng: random.Random,
    language: str | None,
    allowed: tuple[str, ...] | None = None,
    person: Person | None = None,
) -> str:
    """The person's state if allowed, else the state of a requested label language (`uk`, `ar-en`, ...),
    else a random one."""
    if person is not None and (allowed is None or person.origin in allowed):
        return person.origin
    if language:
        first = language.split("-")[0]
        for state, (lang, _) in LABEL_LANGUAGES.items():
            if lang == first and (allowed is None or state in allowed):
                return state
    return pick_origin(rng, allowed)
