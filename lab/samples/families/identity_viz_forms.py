"""Identity tuning family `viz_forms` (issue 17, item 3), written from the issue's words and never reported:
how the visual zone (VIZ) of a card or passport page prints the holder's name, in the forms the other
identity families do not draw.

- Name labels above the value (one or two languages on one line), stacked in two lines (`Soyadı` over
  `Surname`), before the value on its own line (`Nom / Surname: LEFÈVRE`), or no labels at all (the name
  lines beside the photo, sometimes numbered `1.` and `2.` as on driving licences).
- Given names wrapped over two lines; surname and given names on one line (`ŞAHİN, ÇAĞRI`).
- Names with the letters an MRZ cannot hold (Turkish İ Ş Ğ Ç Ö Ü and dotless I, German umlauts and ß,
  Polish, Spanish, French and Norwegian letters) and names long enough that the MRZ cuts them. Turkish names
  are upper-cased the Turkish way (i → İ, ı → I); the MRZ of a Turkish document folds each letter to its base
  letter, a German residence permit spells Ü as UE, as ICAO recommends.

Names, labels and layout are this module's own; only the MRZ writer and the page primitives are shared.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from schemas.documents import DocumentType

from .. import mrz
from ..fonts import text_width
from ..layouts import PageLayout, Shape, Text, wrap
from .common import Built, draw_mrz, mrz_type

NAME = "viz_forms"
TYPES = (DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)

# (surnames, given names) per state; a name of two surnames or two given names is drawn as well
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "TUR": (
        ("Şahin", "Yıldırım", "Öztürk", "Çakır", "Doğru", "Kılıçarslan", "Ağaoğlu", "Işık", "Güneş", "Karadağ",
         "Büyükşahin", "Erdoğdu", "Çiftçi", "Sarıgül"),
        ("Çağrı", "Şükrü", "Gülşen", "Ömer", "İbrahim", "Ayşegül", "Hüseyin", "Özge", "Büşra", "Işıl", "İsmail",
         "Doğukan", "Ilgın", "Şenay", "Çiğdem", "Tolga", "Mehmet", "Elif"),
    ),
    "D": (
        ("Müller", "Schäfer", "Weiß", "Jäger", "Bäumer", "Krüger", "Strauß", "Höfle", "Lüdtke", "Schröder",
         "Große", "Wagner", "Bößler", "Fuchs"),
        ("Jürgen", "Björn", "Käthe", "Sören", "Günter", "Jörg", "Lüder", "Hannelore", "Änne", "Mareike",
         "Friederike", "Klaus", "Ute", "Dörte"),
    ),
    "POL": (
        ("Wiśniewska", "Dąbrowski", "Żółkiewski", "Łęcka", "Kowalczyk", "Wróbel", "Nowak", "Pietrzyk",
         "Sędziak", "Gałązka"),
        ("Łukasz", "Wojciech", "Małgorzata", "Grzegorz", "Paweł", "Jolanta", "Bożena", "Zbigniew", "Agnieszka",
         "Michał"),
    ),
    "ESP": (
        ("Muñoz", "Núñez", "Peña", "Ibáñez", "García", "Martín", "Ordóñez", "Álvarez", "Castaño", "Pérez"),
        ("José", "María", "Begoña", "Íñigo", "Lucía", "Andrés", "Ramón", "Inés", "Jesús", "Nuria"),
    ),
    "FRA": (
        ("Lefèvre", "Bénard", "Rivière", "Côté", "Gérard", "Dupré", "Mercier", "Lemaître", "Brisébois", "Fournier"),
        ("Hélène", "François", "Jérôme", "Désirée", "Anaïs", "Noël", "Cécile", "Théo", "Benoît", "Émilie"),
    ),
    "NOR": (
        ("Østby", "Sæther", "Håland", "Brøndbo", "Løvås", "Ødegård", "Aasen", "Bjørnstad", "Kråkenes", "Hansen"),
        ("Øystein", "Bjørn", "Kåre", "Sølvi", "Ragnhild", "Åse", "Torbjørn", "Siv", "Ørjan", "Kjærsti"),
    ),
}  # fmt: skip

# ICAO 9303 Part 3 spellings this family's states use (a state picks among the options; these are theirs)
_FOLD = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Æ": "AE", "Ø": "OE", "Å": "AA", "Ł": "L"}
_TURKISH_FOLD = {"Ö": "O", "Ü": "U", "Ç": "C", "Ş": "S", "Ğ": "G", "İ": "I"}
_PLAIN = {
    **dict.fromkeys("ÀÁÂÃĄ", "A"), **dict.fromkeys("ÈÉÊËĘ", "E"), **dict.fromkeys("ÌÍÎÏ", "I"),
    **dict.fromkeys("ÒÓÔÕ", "O"), **dict.fromkeys("ÙÚÛ", "U"), "Ç": "C", "Ć": "C", "Ñ": "N", "Ń": "N",
    "Ś": "S", "Ş": "S", "Ź": "Z", "Ż": "Z", "Ğ": "G", "İ": "I", "Ý": "Y",
}  # fmt: skip

# label per state and key, and its English twin; `None`: the state writes the English one only
_LABELS: dict[str, dict[str, str]] = {
    "TUR": {"surname": "Soyadı", "given": "Adı", "birth": "Doğum Tarihi", "sex": "Cinsiyet",
            "nationality": "Uyruğu", "number": "Belge No", "expiry": "Son Geçerlilik"},
    "D": {"surname": "Name", "given": "Vornamen", "birth": "Geburtsdatum", "sex": "Geschlecht",
          "nationality": "Staatsangehörigkeit", "number": "Ausweisnummer", "expiry": "Gültig bis"},
    "POL": {"surname": "Nazwisko", "given": "Imiona", "birth": "Data urodzenia", "sex": "Płeć",
            "nationality": "Obywatelstwo", "number": "Numer dokumentu", "expiry": "Data ważności"},
    "ESP": {"surname": "Apellidos", "given": "Nombre", "birth": "Fecha de nacimiento", "sex": "Sexo",
            "nationality": "Nacionalidad", "number": "Núm. soporte", "expiry": "Válido hasta"},
    "FRA": {"surname": "Nom", "given": "Prénoms", "birth": "Date de naiss.", "sex": "Sexe",
            "nationality": "Nationalité", "number": "N° du document", "expiry": "Date d'expiration"},
    "NOR": {"surname": "Etternavn", "given": "Fornavn", "birth": "Fødselsdato", "sex": "Kjønn",
            "nationality": "Nasjonalitet", "number": "Dokumentnr.", "expiry": "Utløpsdato"},
}  # fmt: skip
_ENGLISH = {
    "surname": "Surname", "given": "Given names", "birth": "Date of birth", "sex": "Sex",
    "nationality": "Nationality", "number": "Document No.", "expiry": "Date of expiry",
}  # fmt: skip
_NATIONALITY = {"TUR": "TÜRK", "D": "DEUTSCH", "POL": "POLSKIE", "ESP": "ESPAÑOLA", "FRA": "FRANÇAISE", "NOR": "NORSK"}
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_FONTS = ("dejavu-sans", "liberation-sans", "noto-sans", "noto-serif", "dejavu-serif")
NAME_FORMS = ("below", "stacked", "inline", "bare", "numbered", "one_line")


def upper(text: str, state: str) -> str:
    """Upper case as the state prints it: Turkish i → İ and ı → I."""
    if state == "TUR":
        text = text.replace("i", "İ").replace("ı", "I")
    return text.upper()


def mrz_form(printed: str, state: str) -> str:
    """A printed (upper-case) name in the MRZ alphabet: hyphens and spaces as one space."""
    out = []
    for char in printed:
        if state == "TUR" and char in _TURKISH_FOLD:
            out.append(_TURKISH_FOLD[char])
        elif char in _FOLD:
            out.append(_FOLD[char])
        elif char in _PLAIN:
            out.append(_PLAIN[char])
        elif "A" <= char <= "Z":
            out.append(char)
        elif char in " -":
            out.append(" ")
    return " ".join("".join(out).split())


def _name(rng: random.Random, state: str) -> tuple[str, str]:
    surnames, given = _NAMES[state]
    surname = rng.choice(surnames)
    if rng.random() < 0.35:  # a double surname, hyphenated or not
        surname += rng.choice(("-", " ")) + rng.choice([s for s in surnames if s != surname])
    first = rng.sample(given, k=rng.choice((1, 1, 2, 2, 3)))
    return upper(surname, state), upper(" ".join(first), state)


def _date(day: date, style: str) -> str:
    if style == "numeric":
        return day.strftime("%d.%m.%Y")
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


class _Card:
    """The drawn page: labels and values in a column beside the photo, rows from the top down."""

    def __init__(self, rng: random.Random, size: tuple[int, int], family: str, scale: float) -> None:
        self.rng, self.family = rng, family
        self.w, self.h = size
        self.right = self.w - 30.0
        self.mrz_top = float(self.h)
        tint = rng.choice([(238, 242, 248), (246, 240, 232), (236, 244, 238), (244, 238, 246)])
        self.page = PageLayout(self.w, self.h, background=tint, raster_only=True)
        pale = tuple(max(0, c - rng.randint(12, 24)) for c in tint)
        self.page.ops.append(Shape("guilloche", (0, 0, self.w, self.h), color=(pale[0], pale[1], pale[2]),
                                   seed=rng.getrandbits(32)))  # fmt: skip
        self.unit = self.h / 15 * scale  # one row's height
        self.y = self.h / 20 * 3

    def photo(self, left: bool) -> tuple[float, float]:
        """Draw the photo on one side; the text column's left edge and width."""
        pw = self.w * 0.27
        x0 = self.w * 0.04 if left else self.w - self.w * 0.04 - pw
        self.page.ops.append(Shape("photo", (x0, self.y, x0 + pw, self.y + pw * 1.28), seed=self.rng.getrandbits(32)))
        self.right = self.w * 0.95 if left else x0 - self.w * 0.03
        return (x0 + pw + self.w * 0.04, self.w * 0.6) if left else (self.w * 0.05, self.w * 0.6)

    def text(self, x: float, text: str, scale: float, *, bold: bool = False, grey: bool = False) -> None:
        size = max(12, int(self.unit * scale))
        while size > 12 and text_width(text, self.family, size, bold) > self.right - x:
            size -= 1
        self.y += size * 1.15
        color = (85, 85, 110) if grey else (15, 15, 20)
        self.page.ops.append(Text(x, self.y, text, size, self.family, bold=bold, color=color))


def _label(state: str, key: str, two: bool) -> str:
    return f"{_LABELS[state][key]} / {_ENGLISH[key]}" if two else _LABELS[state][key]


def _name_rows(card: _Card, x: float, width: float, state: str, surname: str, given: str, form: str) -> None:
    rng = card.rng
    value_size = card.unit * rng.uniform(0.85, 1.05)
    label_size = card.unit * 0.55
    two = rng.random() < 0.7
    given_lines = wrap(given, card.family, int(value_size), width, bold=True)
    if len(given.split()) > 1 and len(given_lines) == 1 and rng.random() < 0.4:
        words = given.split()
        cut = rng.randint(1, len(words) - 1)
        given_lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    if form == "one_line":
        card.text(x, _label(state, "surname", False) + ", " + _label(state, "given", False), 0.55, grey=True)
        for line in wrap(f"{surname}, {given}", card.family, int(value_size), width, bold=True):
            card.text(x, line, value_size / card.unit, bold=True)
        return
    for key, lines in (("surname", [surname]), ("given", given_lines)):
        if form == "inline":
            card.text(x, f"{_label(state, key, two)}: {lines[0]}", value_size / card.unit * 0.9, bold=True)
            for line in lines[1:]:
                card.text(x, line, value_size / card.unit * 0.9, bold=True)
            continue
        if form == "stacked":
            card.text(x, _LABELS[state][key], label_size / card.unit, grey=True)
            card.text(x, _ENGLISH[key], label_size / card.unit, grey=True)
        elif form == "below":
            card.text(x, _label(state, key, two), label_size / card.unit, grey=True)
        elif form == "numbered":
            lines = [f"{1 if key == 'surname' else 2}. {lines[0]}", *lines[1:]]
        for line in lines:
            card.text(x, line, value_size / card.unit, bold=True)
        card.y += card.unit * 0.15


def _document(rng: random.Random, doc_type: DocumentType) -> tuple[str, str, str, str]:
    """(holder's state, issuing state, document code, layout size) for the type."""
    if doc_type is DocumentType.RESIDENCE_PERMIT:
        return "TUR", "D", "AR", "card"
    if doc_type is DocumentType.ID_CARD:
        return rng.choice(("TUR", "D", "POL", "ESP", "FRA", "NOR")), "", "ID", "card"
    return rng.choice(("TUR", "D", "POL", "ESP", "FRA", "NOR")), "", "P", "passport"


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    holder, issuer, code, size_name = _document(rng, doc_type)
    issuer = issuer or holder
    surname, given = _name(rng, holder)
    mrz_state = holder if issuer == holder else issuer  # a German permit spells Ü as UE, Ş as S
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    expiry = date(2026, 1, 1) + timedelta(days=rng.randrange(365 * 9))
    number = rng.choice("CFGHJKLMNPRTVWXYZ") + "".join(rng.choice("0123456789") for _ in range(8))
    code = "I" if (code == "ID" and holder == "TUR") else code
    data = mrz.MrzData(
        document_code=code,
        issuing_state=issuer,
        surname=mrz_form(surname, mrz_state),
        given_names=mrz_form(given, mrz_state),
        document_number=number,
        nationality=holder,
        birth_date=birth,
        sex=rng.choice("MF"),
        expiry_date=expiry,
    )
    lines = mrz.td3(data) if size_name == "passport" else mrz.td1(data)
    layout_seed, family = rng.getrandbits(32), rng.choice(_FONTS)
    size = (1476, 1039) if size_name == "passport" else (1011, 638)
    scale = 1.0
    while True:  # the same drawing, smaller, until it clears the MRZ
        card, form = _drawn(
            random.Random(layout_seed), size, family, scale, data, lines, holder, issuer, surname, given
        )
        if card.y <= card.mrz_top - 10 or scale < 0.5:
            break
        scale -= 0.08
    fields = mrz.truth_fields(data, lines)
    fields["surname"], fields["given_names"] = surname, given
    labels_state = holder if issuer == holder else "D"
    extra = {"name_form": form, "mrz_surname": data.surname, "mrz_given_names": data.given_names}
    return Built(doc_type, f"{_LANG[labels_state]}-en", fields, [card.page], extra)


def _drawn(
    rng: random.Random,
    size: tuple[int, int],
    family: str,
    scale: float,
    data: mrz.MrzData,
    lines: list[str],
    holder: str,
    issuer: str,
    surname: str,
    given: str,
) -> tuple[_Card, str]:
    card = _Card(rng, size, family, scale)
    code, birth, number, expiry = data.document_code, data.birth_date, data.document_number, data.expiry_date
    card.page.ops.append(Shape("rect", (4, 4, card.w - 4, card.h - 4), color=(140, 140, 150), width=3))
    heading = {"P": "PASSPORT", "AR": "AUFENTHALTSTITEL / RESIDENCE PERMIT"}.get(code, "IDENTITY CARD")
    card.page.ops.append(Text(card.w / 2, card.unit * 1.6, heading, int(card.unit * 0.8), card.family, bold=True,
                              align="m"))  # fmt: skip
    x, width = card.photo(left=rng.random() < 0.75)
    form = rng.choice(NAME_FORMS)
    _name_rows(card, x, width, holder if issuer == holder else "D", surname, given, form)
    style = rng.choice(("numeric", "words"))
    labels_state = holder if issuer == holder else "D"
    for key, value in (
        ("birth", _date(birth, style)),
        ("nationality", _NATIONALITY[holder]),
        ("number", number),
        ("expiry", _date(expiry, style)),
    ):
        if form in ("bare", "numbered"):
            card.text(x, value, 0.7, bold=True)
        else:
            card.text(x, f"{_label(labels_state, key, False)}: {value}", 0.6)
    msize, card.mrz_top = mrz_type(lines, card.w, card.h)
    draw_mrz(card.page, lines, card.mrz_top, msize)
    return card, form


_LANG = {"TUR": "tr", "D": "de", "POL": "pl", "ESP": "es", "FRA": "fr", "NOR": "no"}
