"""Identity tuning family `cut_names` (issue 17), written from the issue's words and never reported: holders
whose names of several parts overrun the MRZ name field, on pages sent by fax or set in an older face.

- Spanish, Portuguese, Dutch, Hungarian, Icelandic and Vietnamese names of two or three surnames (with
  particles: `de la`, `da`, `van der`) and two to four given names, so long that the MRZ cuts the given names
  after a few letters, inside a word, or right after the surname's two fillers; the visual zone prints them
  whole, with their marks (`Þórðardóttir`, `Nguyễn`, `Gonçalves`), wrapped over two lines where the column
  is narrow.
- The surname and given names under labels of the holder's language and English, side by side with their
  label or below it, or as numbered lines without labels (`1.` surname, `2.` given names).
- Half of the pages faxed: the card laid askew on a sheet, sampled down to a fax's resolution and
  thresholded, with the streaks a fax line draws; some zones set in a monospaced face instead of OCR-B, as
  older visas and passports were.

Names, labels and layout are this module's own; only the MRZ writer and the page primitives are shared.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from PIL import Image, ImageDraw

from schemas.documents import DocumentType

from .. import mrz
from ..fonts import text_width
from ..layouts import A4, PageLayout, Shape, Text, wrap
from ..render import rasterise
from .common import Built, draw_mrz, mrz_type

NAME = "cut_names"
TYPES = (DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)

# (surnames, given names, labels (surname, given names), month abbreviations) per state
_STATES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, str], tuple[str, ...]]] = {
    "ESP": (
        ("Fernández de Córdoba", "Rodríguez-Villalobos", "García de la Peña", "Martínez Ibáñez",
         "Sánchez-Albornoz Muñoz", "Echeverría Goikoetxea"),
        ("José María", "María del Carmen", "Juan Bautista", "Francisco Javier", "María de los Ángeles",
         "Íñigo", "Begoña Inmaculada", "Jesús Ramón"),
        ("Apellidos / Surname", "Nombre / Given names"),
        ("ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC"),
    ),
    "PRT": (
        ("Gonçalves Ferreira da Silva", "Magalhães Pereira", "dos Santos Conceição", "Assunção Brandão",
         "Simões de Albuquerque"),
        ("João Maria", "Ana Luísa", "Maria da Conceição", "António José", "Inês Margarida", "Conceição"),
        ("Apelido / Surname", "Nome próprio / Given names"),
        ("JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ"),
    ),
    "NLD": (
        ("van den Boogaard", "de Vries-Oosterhuis", "van der Heijden", "Schimmelpenninck van der Oye",
         "Verhoeven-Timmermans"),
        ("Johannes Cornelis Maria", "Geertruida Wilhelmina", "Hendrikus", "Anne-Marije", "Pieternella Johanna"),
        ("Naam / Surname", "Voornamen / Given names"),
        ("JAN", "FEB", "MRT", "APR", "MEI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC"),
    ),
    "HUN": (
        ("Szőke-Bánfalvi", "Tóth-Gyöngyösi", "Kovácsné Szűcs", "Nagy-Bödőcs", "Fehérvári-Rózsahegyi"),
        ("Zsófia Erzsébet", "Győző", "Ödön Árpád", "Tünde Ildikó", "Lőrinc Bálint", "Csenge"),
        ("Családi név / Surname", "Utónév / Given names"),
        ("JAN", "FEB", "MÁR", "ÁPR", "MÁJ", "JÚN", "JÚL", "AUG", "SZE", "OKT", "NOV", "DEC"),
    ),
    "ISL": (
        ("Þórðardóttir", "Guðmundsson", "Sigurðardóttir-Hjaltested", "Ásgeirsdóttir", "Ævarsson"),
        ("Þórunn Ásdís", "Ævar Örn", "Hjördís Sóley", "Guðrún Þóra", "Sæmundur Óli", "Bergþóra"),
        ("Kenninafn / Surname", "Eiginnafn / Given names"),
        ("JAN", "FEB", "MAR", "APR", "MAÍ", "JÚN", "JÚL", "ÁGÚ", "SEP", "OKT", "NÓV", "DES"),
    ),
    "VNM": (
        ("Nguyễn", "Trần Thị", "Phạm Hoàng", "Lê Đặng", "Huỳnh"),
        ("Thị Minh Khai", "Văn Đức Thắng", "Ngọc Ánh", "Quốc Bảo Long", "Thị Thu Hương"),
        ("Họ / Surname", "Chữ đệm và tên / Given names"),
        ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"),
    ),
}  # fmt: skip

# ICAO 9303 Part 3 spellings of the letters these names carry that are not a mark on a base letter
_SPELT = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "Å": "AA", "Æ": "AE", "Ø": "OE", "Þ": "TH", "Ð": "D", "Đ": "D", "ß": "SS"}
_FONTS = ("dejavu-sans", "liberation-sans", "noto-sans", "noto-serif", "liberation-serif")
_OLD_FACE = "dejavu-mono"  # a typewriter-like face, as older zones were set in
_FAX_STREAKS = (1, 4)
_MOST_GIVEN = 4  # given names a holder has at most


def icao_form(printed: str) -> str:
    """A printed name in the MRZ alphabet: the letters of `_SPELT` spelt out, other marks dropped, spaces and
    hyphens as one space, upper case."""
    out = []
    for char in printed.upper():
        if char in _SPELT:
            out.append(_SPELT[char])
        elif char in " -":
            out.append(" ")
        else:
            base = unicodedata.normalize("NFD", char)[0]
            if "A" <= base <= "Z":
                out.append(base)
    return " ".join("".join(out).split())


def _holder(rng: random.Random, doc_type: DocumentType, field: int) -> tuple[str, str, str, str]:
    """(state, issuing state, surname, given names): a name long enough to overrun a `field` of MRZ letters
    more often than not."""
    state = rng.choice(tuple(_STATES))
    surnames, given, _, _ = _STATES[state]
    issuer = "D" if doc_type is DocumentType.RESIDENCE_PERMIT else state
    for _ in range(20):
        surname = rng.choice(surnames)
        words = " ".join(rng.sample(given, k=rng.choice((1, 2, 2, 3)))).split()
        first = " ".join(dict.fromkeys(words[:_MOST_GIVEN]))  # `María del Carmen` beside `María`: one María
        if len(icao_form(surname)) + 2 + len(icao_form(first)) > field or rng.random() < 0.2:
            break
    return state, issuer, surname, first


def _date(day: date, months: tuple[str, ...], rng: random.Random) -> str:
    if months[0].isdigit() or rng.random() < 0.4:
        return f"{day:%d.%m.%Y}"
    return f"{day.day:02d} {months[day.month - 1]}/{day:%b}".upper() + f" {day.year}"


def _names(
    page: PageLayout, rng: random.Random, x: float, y: float, width: float, unit: float, family: str,
    labels: tuple[str, str], surname: str, given: str,
) -> float:  # fmt: skip
    """The two name fields from baseline `y` in one of three forms; the baseline below them."""
    form = rng.choice(("beside", "below", "numbered"))
    value = int(unit * rng.uniform(0.6, 0.85))
    small = max(12, int(unit * 0.4))
    grey = (90, 90, 110)
    upper = rng.random() < 0.7
    for k, (label, name) in enumerate(zip(labels, (surname, given), strict=True)):
        text = name.upper() if upper else name
        if form == "beside":  # label left, value in a column to its right, wrapped in that column
            column = x + width * rng.uniform(0.34, 0.42)
            y += value * 1.35
            page.ops.append(Text(x, y, label.split(" / ")[0], small, family, color=grey))
            for n, line in enumerate(wrap(text, family, value, x + width - column, bold=True)):
                y += value * 1.2 if n else 0
                page.ops.append(Text(column, y, line, value, family, bold=True))
        elif form == "below":
            y += small * 1.4
            page.ops.append(Text(x, y, label, small, family, color=grey))
            for line in wrap(text, family, value, width * rng.uniform(0.6, 1.0), bold=True):
                y += value * 1.2
                page.ops.append(Text(x, y, line, value, family, bold=True))
        else:  # numbered lines, no labels: `1.` the surname, `2.` the given names
            indent = text_width("8. ", family, value, True)
            for n, line in enumerate(wrap(text, family, value, width - indent, bold=True)):
                y += value * 1.3
                if not n:
                    page.ops.append(Text(x, y, f"{k + 1}.", value, family, bold=True))
                page.ops.append(Text(x + indent, y, line, value, family, bold=True))
        y += value * 0.25
    return y


def _page(
    rng: random.Random, size: tuple[int, int], family: str, scale: float, issuer: str, code: str, state: str,
    data: mrz.MrzData, surname: str, given: str,
) -> tuple[PageLayout, float]:  # fmt: skip
    """The page without its MRZ, and the baseline of its last line."""
    w, h = size
    tint = rng.choice([(246, 242, 234), (236, 242, 246), (242, 246, 238)])
    page = PageLayout(w, h, background=tint, raster_only=True)
    pale = (tint[0] - 14, tint[1] - 14, tint[2] - 14)
    page.ops.append(Shape("guilloche", (0, 0, w, h), color=pale, seed=rng.getrandbits(32)))
    unit = h / 15 * scale
    title = {"P": "PASSPORT", "AR": "AUFENTHALTSTITEL / RESIDENCE PERMIT"}.get(code, "IDENTITY CARD")
    page.ops.append(Text(w * 0.05, unit * 1.2, f"{title}  {issuer}", int(unit * 0.55), family, bold=True))
    photo_w = w * 0.23
    photo = (w * 0.05, unit * 2.0, w * 0.05 + photo_w, unit * 2.0 + photo_w * 1.3)
    page.ops.append(Shape("photo", photo, seed=rng.getrandbits(32)))
    x = w * 0.09 + photo_w
    _, _, labels, months = _STATES[state]
    y = _names(page, rng, x, unit * 1.8, w * 0.95 - x, unit, family, labels, surname, given)
    small = max(12, int(unit * 0.45))
    rows = [
        f"Date of birth  {_date(data.birth_date, months, rng)}",
        f"Sex  {data.sex}    Nationality  {state}",
        f"Document No.  {data.document_number}",
        f"Date of expiry  {_date(data.expiry_date, months, rng)}",
    ]
    for text in rows:
        y += small * 1.4
        page.ops.append(Text(x, y, text, small, family))
    return page, max(y, photo[3])


def _faxed(card: Image.Image, rng: random.Random) -> Image.Image:
    """The card laid askew on a sheet and sent by fax: sampled down to about 100 dots an inch and back,
    thresholded, a few streaks across the line feed."""
    turned = card.convert("RGBA").rotate(rng.uniform(-2.0, 2.0), resample=Image.Resampling.BICUBIC, expand=True)
    sheet = Image.new("RGB", A4, (255, 255, 255))
    sheet.paste(turned, (rng.randint(100, A4[0] - turned.width - 100), rng.randint(150, 1200)), turned)
    factor = rng.uniform(2.2, 3.0)
    small = sheet.convert("L").resize((int(A4[0] / factor), int(A4[1] / factor)), Image.Resampling.BILINEAR)
    cut = rng.randint(140, 175)
    fax = small.point(lambda v: 255 if v > cut else 0).resize(A4, Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(fax)
    for _ in range(rng.randint(*_FAX_STREAKS)):
        y = rng.randint(0, A4[1] - 4)
        draw.line((0, y, A4[0], y), fill=0, width=rng.choice((1, 2)))
    return fax.convert("RGB")


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    card = doc_type is not DocumentType.PASSPORT
    code = {DocumentType.PASSPORT: "P", DocumentType.RESIDENCE_PERMIT: "AR"}.get(doc_type, "ID")
    state, issuer, surname, given = _holder(rng, doc_type, 30 if card else 39)
    data = mrz.MrzData(
        document_code=code,
        issuing_state=issuer,
        surname=icao_form(surname),
        given_names=icao_form(given),
        document_number=rng.choice("CFHJKLMNPRTVWXYZ") + "".join(rng.choice("0123456789") for _ in range(7)),
        nationality=state,
        birth_date=date(1948, 1, 1) + timedelta(days=rng.randrange(365 * 58)),
        sex=rng.choice("MF"),
        expiry_date=date(2026, 1, 1) + timedelta(days=rng.randrange(365 * 9)),
    )
    lines = mrz.td1(data) if card else mrz.td3(data)
    w, h = (1011, 638) if card else (1476, 1039)
    face = _OLD_FACE if rng.random() < 0.25 else "ocrb"
    family, layout_seed = rng.choice(_FONTS), rng.getrandbits(32)
    msize, mrz_top = mrz_type(lines, w, h, face)
    scale = 1.0
    while True:  # the same drawing, smaller, until it clears the MRZ
        page, bottom = _page(
            random.Random(layout_seed), (w, h), family, scale, issuer, code, state, data, surname, given
        )
        if bottom <= mrz_top - 10 or scale < 0.45:
            break
        scale -= 0.06
    draw_mrz(page, lines, mrz_top, msize, face)
    fields = mrz.truth_fields(data, lines)
    fields["surname"], fields["given_names"] = surname.upper(), given.upper()
    extra = {"mrz_surname": data.surname, "mrz_given_names": data.given_names, "mrz_face": face}
    built = Built(doc_type, "en", fields, [page], extra)
    if rng.random() < 0.5:
        built.card_sheets = [_faxed(rasterise(page), rng)]
        built.pages = []
        built.extra["faxed"] = "1"
    return built
