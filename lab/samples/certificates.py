"""Content of certificates: birth, marriage, school, degree and registration (Meldebescheinigung).

Some are bilingual (Ukrainian/German, Arabic/English, Ukrainian/English, Turkish/English), some
monolingual (Ukrainian, Russian, Persian, Turkish, German). Truth normalisation: `person_name` is the name
as printed, in Latin script when the document prints one, else in its own script (given names then
surname; a Meldebescheinigung prints "Surname, Given names" and the truth keeps that); `birth_place` and
`issuing_authority` likewise (the German or English part of a bilingual certificate); `certificate_number`
the identifier as printed after its label; dates ISO.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from schemas.documents import DocumentType, FieldValue

from .certificate_labels import (
    GRADE_WORDS,
    LABELS,
    PAGE_WORDS,
    SPEC_INDEX,
    SPECIALITIES,
    SUBJECTS,
    SUPPLEMENT_TITLES,
    TITLES,
    UNIVERSITIES,
)
from .formats import date_text
from .model import DocumentContent, TextLine
from .names import GERMAN_TOWNS, PLACES, Person, german_address, make_person, random_date

LANGUAGES = {
    DocumentType.BIRTH_CERTIFICATE: ("uk-de", "uk-de", "uk", "ru", "ar-en", "fa", "tr", "de"),
    DocumentType.MARRIAGE_CERTIFICATE: ("uk-de", "ru", "ar-en", "tr", "de", "uk"),
    DocumentType.SCHOOL_CERTIFICATE: ("uk-de", "uk", "ar-en", "fa", "tr", "de", "ru"),
    DocumentType.DEGREE_CERTIFICATE: ("uk-en", "ar-en", "ru", "tr-en", "de", "fa"),
    DocumentType.REGISTRATION_CERTIFICATE: ("de",),
}
# states whose certificates are written in a language (weighted by repetition)
_ORIGINS_OF = {
    "uk": ("UKR",),
    "ru": ("RUS",),
    "ar": ("SYR", "SYR", "IRQ"),
    "fa": ("AFG", "AFG", "IRN"),
    "tr": ("TUR",),
    "de": ("D",),
    "en": ("SYR",),
}


def _authority(rng: random.Random, kind: str, origin: str, city: tuple[str, str], school_no: int) -> tuple[str, str]:
    orig, lat = city
    if kind == "degree":
        return rng.choice(UNIVERSITIES[origin if origin in UNIVERSITIES else "SYR"])
    table = {
        ("UKR", "school"): (f"Ліцей № {school_no} м. {orig}", f"Lyzeum Nr. {school_no}, {lat}"),
        ("RUS", "school"): (
            f"Средняя общеобразовательная школа № {school_no} г. {orig}",
            f"School No. {school_no}, {lat}",
        ),
        ("SYR", "school"): (
            f"وزارة التربية – مديرية التربية في {orig}",
            f"Ministry of Education – Directorate of {lat}",
        ),
        ("AFG", "school"): (f"لیسه عالی شماره {school_no} {orig}", f"High School No. {school_no}, {lat}"),
        ("TUR", "school"): (f"{orig} Anadolu Lisesi", f"{lat} Anadolu Lisesi"),
        ("D", "school"): (f"Gymnasium {orig}", f"Gymnasium {lat}"),
        ("UKR", "civil"): (
            f"Відділ державної реєстрації актів цивільного стану у м. {orig}",
            f"Standesamt (DRACS) {lat}",
        ),
        ("RUS", "civil"): (f"Отдел ЗАГС г. {orig}", f"Standesamt (ZAGS) {lat}"),
        ("SYR", "civil"): (f"أمانة السجل المدني في {orig}", f"Civil Registry Office, {lat}"),
        ("AFG", "civil"): (f"اداره ثبت احوال نفوس {orig}", f"Civil Registration Office, {lat}"),
        ("TUR", "civil"): (f"{orig} Nüfus Müdürlüğü", f"{lat} Nüfus Müdürlüğü"),
        ("D", "civil"): (f"Standesamt {orig}", f"Standesamt {lat}"),
    }
    return table[(origin, "school" if kind == "school" else "civil")]


def _number(rng: random.Random, origin: str, kind: str) -> str:
    digits = f"{rng.randint(100000, 999999)}"
    if origin == "UKR":
        series = "".join(rng.choice("АВКМНОРСТЕ") for _ in range(2))
        return (
            f"{rng.choice(['I', 'II'])}-{series} {digits}"
            if kind in ("birth", "marriage")
            else f"{series} {digits[:6]}{rng.randint(10, 99)}"
        )
    if origin == "RUS":
        return f"{rng.choice(['I', 'II', 'III'])}-{rng.choice(['МЮ', 'АГ', 'ЛО'])} {digits}"
    if origin == "D":
        return rng.choice(
            [
                f"G {rng.randint(1, 999)}/{rng.randint(1990, 2024)}",
                f"E {rng.randint(1, 400)}/{rng.randint(2000, 2024)}",
                digits,
            ]
        )
    if origin == "TUR":
        return f"{rng.choice('ABCDEF')}{rng.randint(10, 99)}-{digits}"
    return f"{rng.randint(1990, 2024)}/{digits[:5]}"


def _kind(doc_type: DocumentType) -> str:
    return doc_type.value.split("_")[0]


def certificate(
    rng: random.Random, doc_type: DocumentType, language: str | None = None, person: Person | None = None
) -> DocumentContent:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return registration(rng, person)
    if language not in LANGUAGES[doc_type]:
        own = [lang for lang in LANGUAGES[doc_type] if person and person.origin in _ORIGINS_OF[lang.split("-")[0]]]
        language = rng.choice(own or LANGUAGES[doc_type])
    langs = language.split("-")
    if person is not None and person.origin in _ORIGINS_OF[langs[0]]:
        origin = person.origin
    else:
        origin = rng.choice(_ORIGINS_OF[langs[0]])
    kind = _kind(doc_type)
    born = {"birth": (date(1975, 1, 1), date(2020, 12, 31)), "school": (date(1980, 1, 1), date(2007, 12, 31))}
    subject = (
        person
        if person and person.origin == origin
        else make_person(rng, origin, born_between=born.get(kind, (date(1960, 1, 1), date(2002, 12, 31))))
    )
    city = rng.choice(PLACES[origin if origin in PLACES else "SYR"])
    auth_orig, auth_lat = _authority(
        rng,
        kind,
        origin if origin in ("UKR", "RUS", "SYR", "AFG", "TUR", "D") else ("SYR" if origin == "IRQ" else "AFG"),
        city,
        rng.randint(1, 120),
    )
    years_after = {"birth": (0, 40), "marriage": (18, 40), "school": (17, 19), "degree": (21, 30)}[kind]
    lo = subject.birth_date + timedelta(days=365 * years_after[0] + 20)
    lo = min(lo, date(2026, 1, 1))  # never issued in the future
    hi = min(subject.birth_date + timedelta(days=365 * years_after[1] + 30), date(2026, 6, 30))
    issue = random_date(rng, lo, max(hi, lo + timedelta(days=30)))
    number = _number(rng, origin, kind)
    latin = any(lang in ("de", "en", "tr") for lang in langs)
    spouse = make_person(rng, origin, sex="F" if subject.sex == "M" else "M") if kind == "marriage" else None
    spec = rng.choice(SPECIALITIES)
    father = make_person(rng, origin, sex="M", surname=(subject.surname, subject.surname_latin))
    mother = make_person(rng, origin, sex="F")

    def name(p: Person, lang: str) -> str:
        return p.latin_name if lang in ("de", "en", "tr") else p.original_name

    def block(lang: str) -> list[TextLine]:
        lab = LABELS[lang]
        is_latin = lang in ("de", "en", "tr")
        lines = [TextLine(TITLES[lang][kind], "title")]
        lines += [
            TextLine(lab["name"], "label", key="person_name"),
            TextLine(name(subject, lang), "value", key="person_name"),
            TextLine(lab["birth_date"], "label", key="birth_date"),
            TextLine(date_text(rng, subject.birth_date, lang), "value", key="birth_date"),
            TextLine(lab["birth_place"], "label", key="birth_place"),
            TextLine(
                subject.birth_place.latin if is_latin else subject.birth_place.original,
                "value",
                key="birth_place",
            ),
        ]
        if kind == "birth":
            lines += [
                TextLine(lab["father"], "label"),
                TextLine(name(father, lang), "value"),
                TextLine(lab["mother"], "label"),
                TextLine(name(mother, lang), "value"),
            ]
        elif kind == "marriage" and spouse is not None:
            lines += [
                TextLine(lab["spouse"], "label"),
                TextLine(name(spouse, lang), "value"),
                TextLine(lab["marriage_date"], "label"),
                TextLine(date_text(rng, issue, lang), "value"),
            ]
        elif kind in ("school", "degree"):
            lines += [TextLine(lab["speciality"], "label"), TextLine(spec[SPEC_INDEX[lang]], "value")]
        lines += [
            TextLine(lab["number"], "label", key="certificate_number"),
            TextLine(number, "value", key="certificate_number"),
            TextLine(lab["issue_date"], "label", key="issue_date"),
            TextLine(date_text(rng, issue, lang), "value", key="issue_date"),
            TextLine(lab["authority"], "label", key="issuing_authority"),
            TextLine(auth_lat if lang in ("de", "en") else auth_orig, "value", key="issuing_authority"),
        ]
        return lines

    page: list[TextLine] = []
    if origin in ("UKR", "RUS", "TUR", "SYR", "IRQ", "AFG", "IRN"):
        page.append(
            TextLine(
                {
                    "UKR": "УКРАЇНА",
                    "RUS": "РОССИЙСКАЯ ФЕДЕРАЦИЯ",
                    "TUR": "TÜRKİYE CUMHURİYETİ",
                    "SYR": "الجمهورية العربية السورية",
                    "IRQ": "جمهورية العراق",
                    "AFG": "جمهوری اسلامی افغانستان",
                    "IRN": "جمهوری اسلامی ایران",
                }[origin],
                "letterhead",
            )
        )
    for lang in langs:
        page += block(lang)
    page.append(TextLine(auth_orig if rng.random() < 0.5 or not latin else auth_lat, "stamp"))
    page.append(TextLine("М.П." if origin in ("UKR", "RUS") else "Siegel" if origin == "D" else "", "signature"))
    page = [line for line in page if line.text]
    pages = [page]
    if kind in ("school", "degree") and rng.random() < 0.4:
        pages = _with_grades(rng, page, langs, kind, name(subject, langs[-1]), number)
    fields: dict[str, FieldValue] = {
        "person_name": subject.latin_name if latin else subject.original_name,
        "birth_date": subject.birth_date.isoformat(),
        "birth_place": subject.birth_place.latin if latin else subject.birth_place.original,
        "issue_date": issue.isoformat(),
        "issuing_authority": auth_lat if any(lang in ("de", "en") for lang in langs) else auth_orig,
        "certificate_number": number,
    }
    extra = {"original_script_name": subject.original_name, "latin_name": subject.latin_name}
    if spouse is not None:
        extra["spouse_name"] = spouse.latin_name if latin else spouse.original_name
    if len(pages) > 1:
        extra["pages"] = str(len(pages))
    return DocumentContent(
        type=doc_type, language=language, fields=fields, extra=extra, pages=pages, layout="certificate"
    )


def _with_grades(
    rng: random.Random, first: list[TextLine], langs: list[str], kind: str, holder: str, number: str
) -> list[list[TextLine]]:
    """A school or degree certificate of two pages: the certificate, then its grades (Anlage, Додаток,
    Diploma Supplement), which repeats the holder and the number but carries no title of its own type.
    Half of them number their pages ("Seite 1 von 2")."""
    numbered = rng.random() < 0.5
    second: list[TextLine] = []
    for lang in langs:
        second.append(TextLine(SUPPLEMENT_TITLES[lang][kind], "subtitle"))
        second.append(TextLine(f"{holder} – № {number}", "body"))
        for subject in rng.sample(SUBJECTS[lang], 5):
            grade = rng.choice(["1,3", "2,0", "2,7", "1,0", "3,3"]) if lang == "de" else str(rng.randint(3, 12))
            second.append(TextLine(f"{subject} | {GRADE_WORDS[lang]}: {grade}", "table"))
    if not numbered:
        return [first, second]
    lang = langs[-1]
    return [
        [*first, TextLine(PAGE_WORDS[lang].format(k=1, n=2), "footer")],
        [*second, TextLine(PAGE_WORDS[lang].format(k=2, n=2), "footer")],
    ]


def registration(rng: random.Random, person: Person | None = None) -> DocumentContent:
    """Meldebescheinigung (§ 18 BMG) of a German registration office."""
    subject = person or make_person(rng)
    town, _ = rng.choice(GERMAN_TOWNS[:8])
    authority = rng.choice(
        [
            f"Stadt {town} – Einwohnermeldeamt",
            f"Stadt {town} – Bürgeramt",
            f"Verbandsgemeinde {town} – Meldebehörde",
        ]
    )
    street, postcode, town2 = german_address(rng)
    issue = random_date(rng, date(2022, 3, 1), date(2026, 10, 31))
    moved_in = issue - timedelta(days=rng.randint(1, 400))
    number = f"{rng.randint(1000, 9999)}/{issue.year}"
    title = rng.choice(["Meldebescheinigung", "Einfache Meldebescheinigung", "Erweiterte Meldebescheinigung"])
    lines = [
        TextLine(authority, "letterhead"),
        TextLine(title, "title"),
        TextLine("nach § 18 Bundesmeldegesetz (BMG)", "subtitle"),
        TextLine("Familienname, Vornamen", "label", key="person_name"),
        TextLine(f"{subject.surname_latin}, {subject.given_latin}", "value", key="person_name"),
        TextLine("Geburtsdatum", "label", key="birth_date"),
        TextLine(date_text(rng, subject.birth_date, "de"), "value", key="birth_date"),
        TextLine("Geburtsort", "label", key="birth_place"),
        TextLine(subject.birth_place.latin, "value", key="birth_place"),
        TextLine("Staatsangehörigkeit", "label"),
        TextLine(
            {
                "UKR": "ukrainisch",
                "RUS": "russisch",
                "SYR": "syrisch",
                "IRQ": "irakisch",
                "AFG": "afghanisch",
                "IRN": "iranisch",
                "TUR": "türkisch",
                "D": "deutsch",
            }[subject.origin],
            "value",
        ),
        TextLine("Anschrift (Hauptwohnung)", "label"),
        TextLine(f"{street}, {postcode} {town2}", "value"),
        TextLine("Einzugsdatum", "label"),
        TextLine(date_text(rng, moved_in, "de"), "value"),
        TextLine("Nummer der Bescheinigung", "label", key="certificate_number"),
        TextLine(number, "value", key="certificate_number"),
        TextLine("Ausstellungsdatum", "label", key="issue_date"),
        TextLine(date_text(rng, issue, "de"), "value", key="issue_date"),
        TextLine("Die Richtigkeit der vorstehenden Angaben aus dem Melderegister wird bescheinigt.", "body"),
        TextLine(authority, "stamp", key="issuing_authority"),
        TextLine("Im Auftrag", "signature"),
    ]
    fields: dict[str, FieldValue] = {
        # exactly as printed next to "Familienname, Vornamen"; extra.latin_name has "Given Surname"
        "person_name": f"{subject.surname_latin}, {subject.given_latin}",
        "birth_date": subject.birth_date.isoformat(),
        "birth_place": subject.birth_place.latin,
        "issue_date": issue.isoformat(),
        "issuing_authority": authority,
        "certificate_number": number,
    }
    extra = {
        "latin_name": subject.latin_name,
    }
    if subject.has_own_script:
        extra["original_script_name"] = subject.original_name
    return DocumentContent(
        type=DocumentType.REGISTRATION_CERTIFICATE,
        language="de",
        fields=fields,
        extra=extra,
        pages=[lines],
        layout="certificate",
    )
