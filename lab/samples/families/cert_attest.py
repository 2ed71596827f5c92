"""Family `attest` (tuning): certificates that state their facts in sentences, as attestations, diplomas and
letters of confirmation do (`Hiermit wird bescheinigt, dass Frau …, geboren am … in …`, `This is to certify
that Mr …`, `Цим засвідчується, що …`, `Настоящим удостоверяется, что …`, `… doğumlu …`). The holder is named
only in running text, often after a courtesy title or with the patronymic, the birth place only in the
sentence (`уродженець м. Харків`, `in Homs`), the parents (`Sohn des …`) or the spouse right after the holder.
The issuing body stands either in a letterhead or only in the closing block under the signature (and in the
stamp); the issue date only in the closing line `<Ort>, den <Datum>` or after `Дата видачі`. Degree and school
certificates are diplomas in several languages (Diplom, Bachelor/Master, Диплом, Lisans Diploması), half of them
on landscape pages; numbers as series-and-number lines without a Roman numeral (`Серія ВА № 12345678`), `Nr.
2021/0345`, `Diploma No. B-2019-04567`, `Sıra No: 004512`."""

from __future__ import annotations

import random
import textwrap
from datetime import date

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, EN_MONTHS, RU_MONTHS, TR_MONTHS, UK_MONTHS
from ..layouts import A4
from .common import CERTIFICATE_TYPES, LANDSCAPE, Built, Facts, Page, certificate_truth, facts, patronymic

NAME = "attest"
TYPES = CERTIFICATE_TYPES
# the language a certificate is written in, by where it was issued
_LANGUAGES = {"D": "de", "UKR": "uk", "RUS": "ru", "TUR": "tr", "SYR": "en", "IRQ": "en", "AFG": "en"}
_DEGREES = {
    "de": ("Bachelor of Science (B.Sc.)", "Master of Arts (M.A.)", "Diplom-Ingenieur (Dipl.-Ing.)"),
    "en": ("Bachelor of Science in Civil Engineering", "Master of Business Administration", "Bachelor of Arts"),
    "uk": ("бакалавра", "магістра"),
    "ru": ("бакалавра", "магистра", "специалиста"),
    "tr": ("Lisans", "Yüksek Lisans"),
}


def _date(d: date, lang: str, rng: random.Random) -> str:
    words = rng.random() < 0.5
    if lang == "de":
        return f"{d.day}. {DE_MONTHS[d.month - 1]} {d.year}" if words else d.strftime("%d.%m.%Y")
    if lang == "en":
        return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}" if words else d.strftime("%d/%m/%Y")
    if lang == "uk":
        return f"{d.day} {UK_MONTHS[d.month - 1]} {d.year} року" if words else d.strftime("%d.%m.%Y")
    if lang == "ru":
        return f"{d.day} {RU_MONTHS[d.month - 1]} {d.year} года" if words else d.strftime("%d.%m.%Y")
    return f"{d.day} {TR_MONTHS[d.month - 1]} {d.year}" if words else d.strftime("%d.%m.%Y")


def _authority(f: Facts, lang: str, rng: random.Random) -> str:
    town = f.city[0] if lang in ("uk", "ru", "tr") else f.city[1]
    n = rng.randint(2, 48)
    table: dict[str, dict[str, tuple[str, ...]]] = {
        "de": {
            "birth": ("Standesamt {t}", "Stadt {t} - Standesamt"),
            "marriage": ("Standesamt {t}", "Stadt {t} - Standesamt"),
            "school": ("Gymnasium am Markt {t}", "Sekundarschule Nord {t}"),
            "degree": ("Hochschule {t}", "Technische Universität {t}"),
            "registration": ("Bürgerbüro der Stadt {t}", "Einwohnermeldeamt {t}"),
        },
        "en": {
            "birth": ("Civil Registry Office of {t}", "Department of Civil Affairs, {t}"),
            "marriage": ("Civil Registry Office of {t}", "Sharia Court of {t}"),
            "school": ("Al-Nour Secondary School, {t}", "Directorate of Education of {t}"),
            "degree": ("University of {t}", "{t} Polytechnic University"),
            "registration": ("Civil Registry Office of {t}", "Mukhtar Office of {t}"),
        },
        "uk": {
            "birth": ("Відділ державної реєстрації актів цивільного стану м. {t}",),
            "marriage": ("Відділ державної реєстрації актів цивільного стану м. {t}",),
            "school": ("Ліцей № {n} м. {t}", "Загальноосвітня школа № {n} м. {t}"),
            "degree": ("Національний університет м. {t}", "Політехнічний інститут м. {t}"),
            "registration": ("Центр надання адміністративних послуг м. {t}",),
        },
        "ru": {
            "birth": ("Отдел ЗАГС администрации г. {t}",),
            "marriage": ("Отдел ЗАГС администрации г. {t}",),
            "school": ("Средняя школа № {n} г. {t}", "Гимназия № {n} г. {t}"),
            "degree": ("Государственный университет г. {t}", "Технический университет г. {t}"),
            "registration": ("Отдел по вопросам миграции г. {t}",),
        },
        "tr": {
            "birth": ("{t} Nüfus Müdürlüğü",),
            "marriage": ("{t} Evlendirme Dairesi",),
            "school": ("{t} Anadolu Lisesi", "{t} Fen Lisesi"),
            "degree": ("{t} Üniversitesi", "{t} Teknik Üniversitesi"),
            "registration": ("{t} Nüfus Müdürlüğü",),
        },
    }
    return rng.choice(table[lang][f.kind]).format(t=town, n=n)


def _number(f: Facts, lang: str, rng: random.Random) -> tuple[str, str]:
    """(the number line as printed, the number as recorded)."""
    if lang in ("uk", "ru"):
        digits = f.digits + (f"{rng.randint(10, 99)}" if f.kind in ("school", "degree") else "")
        word = "Серія" if lang == "uk" else "Серия"
        return f"{word} {f.series} № {digits}", f"{f.series} {digits}"
    if lang == "tr":
        return f"Sıra No: {f.digits}", f.digits
    if lang == "en":
        number = f"{rng.choice('BMS')}-{f.issue.year}-{f.digits[:5]}" if f.kind == "degree" else f.digits
        label = {"degree": "Diploma No.", "school": "Certificate No."}.get(f.kind, "Reg. No.")
        return f"{label} {number}", number
    number = f"{f.issue.year}/{f.digits[:4]}" if rng.random() < 0.5 else f"G {rng.randint(10, 999)}/{f.issue.year}"
    return f"{rng.choice(('Nr.', 'Register-Nr.', 'Urkunde Nr.'))} {number}", number


def _holder_words(f: Facts, lang: str, rng: random.Random) -> tuple[str, str]:
    """(the holder as the sentence names them, the name as recorded)."""
    h = f.holder
    if lang in ("uk", "ru"):
        pat, _ = patronymic(f.father, h.sex, h.origin)
        return f"{h.surname} {h.given_names} {pat}", h.original_name
    title = {
        "de": "Herr" if h.sex == "M" else "Frau",
        "en": "Mr" if h.sex == "M" else "Ms",
        "tr": "",
    }[lang]
    name = h.latin_name if rng.random() < 0.7 else f"{h.given_latin} {h.surname_latin.upper()}"
    return (f"{title} {name}" if title and rng.random() < 0.7 else name), h.latin_name


def _sentences(f: Facts, lang: str, who: str, born: str, place: str, rng: random.Random) -> str:
    h, kind = f.holder, f.kind
    m = h.sex == "M"
    event = _date(f.event, lang, rng)
    if lang == "de":
        start = rng.choice(("Hiermit wird bescheinigt, dass", "Es wird bestätigt, dass"))
        tail = {
            "birth": f"am {born} in {place} geboren ist. {'Sohn' if m else 'Tochter'} des "
            f"{f.father.latin_name} und der {f.mother.latin_name}.",
            "marriage": f"geboren am {born} in {place}, und {(f.spouse or f.father).latin_name} am {event} "
            "vor dem Standesamt die Ehe geschlossen haben.",
            "school": f"geboren am {born} in {place}, die Abschlussprüfung bestanden und damit die allgemeine "
            "Hochschulreife erworben hat.",
            "degree": f"geboren am {born} in {place}, das Studium erfolgreich abgeschlossen hat. Verliehen wird der "
            f"akademische Grad {rng.choice(_DEGREES['de'])}.",
            "registration": f"geboren am {born} in {place}, seit dem {event} mit alleiniger Wohnung in dieser "
            "Gemeinde gemeldet ist.",
        }[kind]
        return f"{start} {who}, {tail}" if kind != "birth" else f"{start} {who} {tail}"
    if lang == "en":
        tail = {
            "birth": f"was born on {born} in {place}, to {f.father.latin_name} (father) and "
            f"{f.mother.latin_name} (mother).",
            "marriage": f"born on {born} in {place}, and {(f.spouse or f.father).latin_name} were married on "
            f"{event} and the marriage was duly registered.",
            "school": f"born on {born} in {place}, has completed the secondary school stage and passed the "
            "general examination.",
            "degree": f"born on {born} in {place}, has fulfilled all requirements and is awarded the degree of "
            f"{rng.choice(_DEGREES['en'])}.",
            "registration": f"born on {born} in {place}, son of {f.father.latin_name}, is a resident of this "
            "district and registered in its records."
            if m
            else f"born on {born} in {place}, daughter of {f.father.latin_name}, is a resident of this district "
            "and registered in its records.",
        }[kind]
        start = rng.choice(("This is to certify that", "We hereby certify that"))
        return f"{start} {who} {tail}" if kind == "birth" else f"{start} {who}, {tail}"
    if lang in ("uk", "ru"):
        uk = lang == "uk"
        start = "Цим засвідчується, що" if uk else "Настоящим удостоверяется, что"
        native = ("уродженець" if m else "уродженка") if uk else ("уроженец" if m else "уроженка")
        year = "народження" if uk else "рождения"  # the date in words ends in `року`/`года` already
        if born[-1].isdigit():
            year = ("року " if uk else "года ") + year
        settlement = "м." if uk else "г."
        tail = {
            "birth": ("народився" if m else "народилася") if uk else ("родился" if m else "родилась"),
            "marriage": "уклав(ла) шлюб" if uk else "вступил(а) в брак",
            "school": "закінчив(ла) повний курс навчання" if uk else "окончил(а) полный курс обучения",
            "degree": f"здобув(ла) ступінь {rng.choice(_DEGREES['uk'])}"
            if uk
            else f"получил(а) квалификацию {rng.choice(_DEGREES['ru'])}",
            "registration": "зареєстрований(а) за місцем проживання"
            if uk
            else "зарегистрирован(а) по месту жительства",
        }[kind]
        if kind == "birth":
            return (
                f"{start} {who} {tail} {born} у {settlement} {place}."
                if uk
                else (f"{start} {who} {tail} {born} в {settlement} {place}.")
            )
        return f"{start} {who}, {born} {year}, {native} {settlement} {place}, {tail}."
    tail = {
        "birth": "nüfus kütüğüne doğum kaydı yapılmıştır.",
        "marriage": f"{(f.spouse or f.father).latin_name} ile {event} tarihinde evlenmiştir.",
        "school": "lise öğrenimini başarıyla tamamlamıştır.",
        "degree": f"{rng.choice(_DEGREES['tr'])} programını başarıyla tamamlayarak bu diplomayı almaya "
        "hak kazanmıştır.",
        "registration": "ikametgah kaydı bulunmaktadır.",
    }[kind]
    return f"{born} tarihinde {place}'da doğan {who} {tail}"


_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "birth": ("Geburtsurkunde", "Geburtsbescheinigung"),
        "marriage": ("Eheurkunde", "Heiratsurkunde"),
        "school": ("Zeugnis der allgemeinen Hochschulreife", "Abschlusszeugnis"),
        "degree": ("Urkunde", "Bachelorurkunde", "Diplom"),
        "registration": ("Meldebestätigung", "Bescheinigung über die Anmeldung"),
    },
    "en": {
        "birth": ("Birth Certificate", "Certificate of Birth Registration"),
        "marriage": ("Marriage Certificate", "Certificate of Marriage"),
        "school": ("Secondary School Certificate", "High School Diploma"),
        "degree": ("Diploma", "Degree Certificate"),
        "registration": ("Certificate of Residence", "Residence Certificate"),
    },
    "uk": {
        "birth": ("СВІДОЦТВО ПРО НАРОДЖЕННЯ",),
        "marriage": ("СВІДОЦТВО ПРО ШЛЮБ",),
        "school": ("АТЕСТАТ ПРО ПОВНУ ЗАГАЛЬНУ СЕРЕДНЮ ОСВІТУ", "СВІДОЦТВО ПРО ЗДОБУТТЯ ПОВНОЇ СЕРЕДНЬОЇ ОСВІТИ"),
        "degree": ("ДИПЛОМ", "ДИПЛОМ БАКАЛАВРА", "ДИПЛОМ МАГІСТРА"),
        "registration": ("ДОВІДКА ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ",),
    },
    "ru": {
        "birth": ("СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",),
        "marriage": ("СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",),
        "school": ("АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ",),
        "degree": ("ДИПЛОМ", "ДИПЛОМ О ВЫСШЕМ ОБРАЗОВАНИИ"),
        "registration": ("СПРАВКА О РЕГИСТРАЦИИ ПО МЕСТУ ЖИТЕЛЬСТВА",),
    },
    "tr": {
        "birth": ("DOĞUM BELGESİ",),
        "marriage": ("EVLENME CÜZDANI",),
        "school": ("LİSE DİPLOMASI",),
        "degree": ("DİPLOMA", "LİSANS DİPLOMASI"),
        "registration": ("YERLEŞİM YERİ BELGESİ",),
    },
}
_ISSUED = {"uk": "Дата видачі", "ru": "Дата выдачи", "tr": "Düzenlenme Tarihi", "en": "Date of issue", "de": "Datum"}
# who signs, by language and by the kind of issuer: civil register, school, university
_SIGNER: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "civil": ("Der Standesbeamte", "Die Standesbeamtin", "Im Auftrag"),
        "school": ("Die Schulleiterin", "Der Schulleiter"),
        "degree": ("Der Präsident", "Die Dekanin"),
    },
    "en": {
        "civil": ("Registrar", "Head of Office"),
        "school": ("Principal", "Director"),
        "degree": ("Dean", "President"),
    },
    "uk": {"civil": ("Начальник відділу",), "school": ("Директор",), "degree": ("Ректор",)},
    "ru": {"civil": ("Начальник отдела",), "school": ("Директор",), "degree": ("Ректор",)},
    "tr": {"civil": ("Müdür",), "school": ("Okul Müdürü",), "degree": ("Rektör", "Dekan")},
}


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("D", "UKR", "UKR", "RUS", "TUR", "SYR", "IRQ", "AFG"))
    lang = _LANGUAGES[origin]
    f = facts(rng, doc_type, origin, "АВЕКМНСТ" if lang in ("uk", "ru") else "")
    h = f.holder
    landscape = rng.random() < (0.55 if f.kind in ("school", "degree") else 0.15)
    fonts = ("dejavu-serif", "liberation-serif", "dejavu-sans", "liberation-sans")
    page = Page(size=LANDSCAPE if landscape else A4, family=rng.choice(fonts))
    x, right = 220, page.width - 220
    authority = _authority(f, lang, rng)
    letterhead = rng.random() < 0.5
    if letterhead:
        centred = rng.random() < 0.5
        page.text(page.width / 2 if centred else x, 230, authority, 38, bold=True, align="m" if centred else "l")
    printed, number = _number(f, lang, rng)
    number_on_top = rng.random() < 0.5
    if number_on_top:
        page.text(right, 330, printed, 34, align="r")
    title = rng.choice(_TITLES[lang][f.kind])
    page.text(page.width / 2, 500 if landscape else 560, title, 64, bold=True, align="m")
    who, name = _holder_words(f, lang, rng)
    born = _date(h.birth_date, lang, rng)
    place = h.birth_place.original if lang in ("uk", "ru") else h.birth_place.latin
    text = _sentences(f, lang, who, born, place, rng)
    width = 70 if landscape else 52
    page.y = 720 if landscape else 820
    for line in textwrap.wrap(text, width):
        page.text(x + 40, page.y, line, 44)
        page.y += 82
    page.y += 80
    if not number_on_top:
        page.text(x + 40, page.y, printed, 40)
        page.y += 110
    issue = _date(f.issue, lang, rng)
    town = f.city[0] if lang in ("uk", "ru", "tr") else f.city[1]
    if rng.random() < 0.5:
        closing = {"de": f"{town}, den {issue}", "uk": f"м. {town}, {issue}", "ru": f"г. {town}, {issue}"}
        page.text(x + 40, page.y, closing.get(lang, f"{town}, {issue}"), 40)
    else:
        page.text(x + 40, page.y, f"{_ISSUED[lang]}: {issue}", 40)
    page.y += 220
    sign_x = right - 760
    page.signature(sign_x, page.y - 60, rng.getrandbits(32))
    page.line(sign_x, page.y + 20, right, page.y + 20, width=2)
    page.text(sign_x, page.y + 80, rng.choice(_SIGNER[lang][f.kind if f.kind in ("school", "degree") else "civil"]), 36)
    if not letterhead:  # the issuing body named only in the closing block
        page.text(sign_x, page.y + 140, authority, 36)
    page.stamp(x + 330, page.y + 60, authority, radius=190)
    fields = certificate_truth(h, name, f.issue, authority, number, place=place)
    extra = {"latin_name": h.latin_name}
    if lang in ("uk", "ru"):
        extra["original_script_name"] = h.original_name
    return Built(doc_type, lang, fields, [page.layout], extra)
