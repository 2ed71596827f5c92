"""Content of certificates: birth, marriage, school, degree and registration (Meldebescheinigung).

Some are bilingual (Ukrainian/German, Arabic/English, Ukrainian/English, Turkish/English), some
monolingual (Ukrainian, Russian, Persian, Turkish, German). Truth normalisation: `person_name` is given
names then surname as printed in Latin script when the document prints one, else as printed in its own
script; `birth_place` and `issuing_authority` likewise; `certificate_number` the identifier as printed
after its label; dates ISO.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from schemas.documents import DocumentType, FieldValue

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

TITLES = {
    "uk": {
        "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
        "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
        "school": "СВІДОЦТВО ПРО ЗДОБУТТЯ ПОВНОЇ ЗАГАЛЬНОЇ СЕРЕДНЬОЇ ОСВІТИ",
        "degree": "ДИПЛОМ БАКАЛАВРА",
    },
    "ru": {
        "birth": "СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",
        "marriage": "СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",
        "school": "АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ",
        "degree": "ДИПЛОМ СПЕЦИАЛИСТА",
    },
    "ar": {
        "birth": "شهادة ميلاد",
        "marriage": "شهادة زواج",
        "school": "شهادة الدراسة الثانوية",
        "degree": "شهادة جامعية",
    },
    "fa": {
        "birth": "شناسنامه – گواهی تولد",
        "marriage": "نکاح خط",
        "school": "شهادتنامه بکلوریا",
        "degree": "دیپلم لیسانس",
    },
    "tr": {
        "birth": "DOĞUM BELGESİ",
        "marriage": "EVLENME CÜZDANI",
        "school": "LİSE DİPLOMASI",
        "degree": "LİSANS DİPLOMASI",
    },
    "en": {
        "birth": "BIRTH CERTIFICATE",
        "marriage": "MARRIAGE CERTIFICATE",
        "school": "SECONDARY SCHOOL CERTIFICATE",
        "degree": "BACHELOR'S DEGREE",
    },
    "de": {
        "birth": "Geburtsurkunde",
        "marriage": "Eheurkunde",
        "school": "Zeugnis der allgemeinen Hochschulreife",
        "degree": "Bachelorzeugnis",
        "registration": "Meldebescheinigung",
    },
}
LABELS = {
    "uk": {
        "name": "Прізвище, ім'я",
        "birth_date": "Дата народження",
        "birth_place": "Місце народження",
        "issue_date": "Дата видачі",
        "authority": "Орган, що видав",
        "number": "Серія та номер",
        "father": "Батько",
        "mother": "Мати",
        "spouse": "Чоловік / дружина",
        "marriage_date": "Дата реєстрації шлюбу",
        "speciality": "Спеціальність",
    },
    "ru": {
        "name": "Фамилия, имя",
        "birth_date": "Дата рождения",
        "birth_place": "Место рождения",
        "issue_date": "Дата выдачи",
        "authority": "Орган, выдавший документ",
        "number": "Серия и номер",
        "father": "Отец",
        "mother": "Мать",
        "spouse": "Супруг(а)",
        "marriage_date": "Дата регистрации брака",
        "speciality": "Специальность",
    },
    "ar": {
        "name": "الاسم الكامل",
        "birth_date": "تاريخ الولادة",
        "birth_place": "مكان الولادة",
        "issue_date": "تاريخ الإصدار",
        "authority": "جهة الإصدار",
        "number": "رقم الشهادة",
        "father": "اسم الأب",
        "mother": "اسم الأم",
        "spouse": "الزوج / الزوجة",
        "marriage_date": "تاريخ الزواج",
        "speciality": "الاختصاص",
    },
    "fa": {
        "name": "نام و تخلص",
        "birth_date": "تاریخ تولد",
        "birth_place": "محل تولد",
        "issue_date": "تاریخ صدور",
        "authority": "مرجع صدور",
        "number": "شماره سند",
        "father": "نام پدر",
        "mother": "نام مادر",
        "spouse": "همسر",
        "marriage_date": "تاریخ ازدواج",
        "speciality": "رشته",
    },
    "tr": {
        "name": "Adı Soyadı",
        "birth_date": "Doğum Tarihi",
        "birth_place": "Doğum Yeri",
        "issue_date": "Veriliş Tarihi",
        "authority": "Veren Makam",
        "number": "Belge No",
        "father": "Baba Adı",
        "mother": "Ana Adı",
        "spouse": "Eşi",
        "marriage_date": "Evlenme Tarihi",
        "speciality": "Bölüm",
    },
    "en": {
        "name": "Full name",
        "birth_date": "Date of birth",
        "birth_place": "Place of birth",
        "issue_date": "Date of issue",
        "authority": "Issuing authority",
        "number": "Certificate No.",
        "father": "Father",
        "mother": "Mother",
        "spouse": "Spouse",
        "marriage_date": "Date of marriage",
        "speciality": "Major",
    },
    "de": {
        "name": "Name, Vorname",
        "birth_date": "Geburtsdatum",
        "birth_place": "Geburtsort",
        "issue_date": "Ausstellungsdatum",
        "authority": "Ausstellende Behörde",
        "number": "Nummer",
        "father": "Vater",
        "mother": "Mutter",
        "spouse": "Ehegatte",
        "marriage_date": "Tag der Eheschließung",
        "speciality": "Studiengang",
    },
}
UNIVERSITIES = {
    "UKR": [
        (
            "Київський національний університет імені Тараса Шевченка",
            "Taras Shevchenko National University of Kyiv",
        ),
        (
            "Харківський національний університет імені В. Н. Каразіна",
            "V. N. Karazin Kharkiv National University",
        ),
        ("Львівський національний університет імені Івана Франка", "Ivan Franko National University of Lviv"),
    ],
    "RUS": [
        ("Московский государственный университет", "Lomonosov Moscow State University"),
        ("Казанский федеральный университет", "Kazan Federal University"),
    ],
    "SYR": [
        ("جامعة دمشق", "Damascus University"),
        ("جامعة حلب", "University of Aleppo"),
        ("جامعة تشرين", "Tishreen University"),
    ],
    "AFG": [("دانشگاه کابل", "Kabul University"), ("دانشگاه هرات", "Herat University")],
    "TUR": [("İstanbul Üniversitesi", "Istanbul University"), ("Ankara Üniversitesi", "Ankara University")],
    "D": [
        ("Martin-Luther-Universität Halle-Wittenberg", "Martin-Luther-Universität Halle-Wittenberg"),
        ("Universität Leipzig", "Universität Leipzig"),
        ("Hochschule Merseburg", "Hochschule Merseburg"),
    ],
}
SPECIALITIES = [
    ("Економіка", "Економика", "الاقتصاد", "اقتصاد", "İktisat", "Economics", "Volkswirtschaftslehre"),
    (
        "Інформатика",
        "Информатика",
        "علوم الحاسوب",
        "کمپیوتر ساینس",
        "Bilgisayar Mühendisliği",
        "Computer Science",
        "Informatik",
    ),
    ("Медицина", "Медицина", "الطب البشري", "طب", "Tıp", "Medicine", "Medizin"),
    ("Право", "Юриспруденция", "الحقوق", "حقوق", "Hukuk", "Law", "Rechtswissenschaft"),
]
_SPEC_INDEX = {"uk": 0, "ru": 1, "ar": 2, "fa": 3, "tr": 4, "en": 5, "de": 6}


def _authority(
    rng: random.Random, kind: str, origin: str, city: tuple[str, str], school_no: int
) -> tuple[str, str]:
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
        own = [
            lang
            for lang in LANGUAGES[doc_type]
            if person and person.origin in _ORIGINS_OF[lang.split("-")[0]]
        ]
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
        origin
        if origin in ("UKR", "RUS", "SYR", "AFG", "TUR", "D")
        else ("SYR" if origin == "IRQ" else "AFG"),
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
            lines += [TextLine(lab["speciality"], "label"), TextLine(spec[_SPEC_INDEX[lang]], "value")]
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
    page.append(
        TextLine("М.П." if origin in ("UKR", "RUS") else "Siegel" if origin == "D" else "", "signature")
    )
    page = [line for line in page if line.text]
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
    return DocumentContent(
        type=doc_type, language=language, fields=fields, extra=extra, pages=[page], layout="certificate"
    )


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
        # printed "Surname, Given"; normalised to given names then surname like every other person_name
        "person_name": subject.latin_name,
        "birth_date": subject.birth_date.isoformat(),
        "birth_place": subject.birth_place.latin,
        "issue_date": issue.isoformat(),
        "issuing_authority": authority,
        "certificate_number": number,
    }
    extra = {
        "latin_name": subject.latin_name,
        "printed_name": f"{subject.surname_latin}, {subject.given_latin}",
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
