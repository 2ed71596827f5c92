"""Identity documents: the typed document built from an MRZ, cross-checked against the visual zone.

The MRZ (read by `ocr.mrz`, which hands on the zone it decoded with `mrz.repair`) supplies every field; the printed
visual inspection zone (VIZ) on the same page confirms it (`classifiers.viz`: each field the VIZ visibly
contradicts is named in `viz_mismatches`, and a name printed in Cyrillic, Greek or Arabic script that
transliterates to the MRZ name is kept as `original_script_name`).

Document type from the document code (ICAO 9303 Part 5/6: first letter P passport, V visa, I/A/C identity
card): `AR` is the German electronic residence permit (eAT, Aufenthaltstitel); `IR`, `RP` and `RT` are the
codes other states use for residence cards (UK, Spain, Italy ...). Every other I/A/C code is an identity card.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from classifiers.viz import original_script_name, viz_mismatches
from classifiers.viz_names import (
    ALPHABETS,
    PrintedName,
    disputed_marks,
    doubted_letters,
    full_name,
    given_names_cut_off,
    marks_past_the_cut,
    name_field_full,
    printed_readings,
    unconfirmed_umlauts,
)
from classifiers.zone_print import settled_by_print
from classifiers.zone_readings import zone_readings
from mrz.layout import FILLER, layout_for
from mrz.repair import repair
from schemas.documents import (
    BBox,
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    MrzDecoded,
    MrzReading,
    PageText,
    TextSource,
)

log = logging.getLogger(__name__)

RESIDENCE_PERMIT_CODES = frozenset({"AR", "IR", "RP", "RT"})
VALID_CONFIDENCE = 0.97
INVALID_CONFIDENCE = 0.45
# A field's confidence: the decoder's certainty where it has one (read from the cells' probabilities), at
# most FIELD_CEILING; else these for a zone that is trusted / not trusted. A field whose own check digit
# fails is at most FAILED_CHECK however certain its characters looked.
FIELD_CEILING = 0.99
UNCERTAIN_FIELD = 0.5
FAILED_CHECK = 0.3
_CERTAINTY_OF = {"surname": "name", "given_names": "name"}  # the decoder settles the name as one field
MISMATCH_PENALTY = 0.15
CONTRADICTED = 0.5  # a field the printed zone contradicts is not shown as read with certainty


def document_type(code: str) -> DocumentType:
    """The dach type for an MRZ document code (see the module docstring for the rules)."""
    if code in RESIDENCE_PERMIT_CODES:
        return DocumentType.RESIDENCE_PERMIT
    if code.startswith("P"):
        return DocumentType.PASSPORT
    if code.startswith("V"):
        return DocumentType.VISA
    return DocumentType.ID_CARD


def identity_document(pages: Sequence[PageText]) -> ExtractedDocument | None:
    """The identity document on these pages, built from the first page carrying a readable MRZ.

    None when no page has an MRZ that parses as one of the ICAO layouts.
    """
    for page in pages:
        if page.mrz is None:
            continue
        parse = decoded_zone(page.mrz)
        if not parse.format or not parse.fields.get("document_code"):
            continue
        return _build(parse, page, pages)
    return None


CARD_ZONES = frozenset({"TD1", "TD2"})  # a card's zone; a passport's (TD3) lies below its printed name


def is_card_back(page: PageText) -> bool:
    """Whether the page is the back of a card scanned on its own: a card's MRZ (TD1, or TD2 as on a German
    temporary identity card) and no printed run of the surname it holds outside the zone (the name is on the
    front; the back prints an address)."""
    if page.mrz is None:
        return False
    decoded = decoded_zone(page.mrz)
    if decoded.format not in CARD_ZONES:
        return False
    surname = str(decoded.fields.get("surname") or "")
    return bool(surname) and full_name(page.words, page.mrz.bbox, surname, truncated=True) is None


def decoded_zone(reading: MrzReading) -> MrzDecoded:
    """The zone as the reader decoded it; decoded here only for readings that come without (page texts
    stored before readings carried their decode, readings built by hand)."""
    return reading.decoded or repair(reading).decoded()


def field_confidence(parse: MrzDecoded, name: str) -> float:
    """How far the review screen may trust one MRZ field: the decoder's certainty of it where known, capped
    when its own check digit fails; without certainties, one figure for the whole zone as `trusted` says."""
    certainty = parse.certainty.get(_CERTAINTY_OF.get(name, name))
    if certainty is None:
        confidence = FIELD_CEILING if parse.trusted else UNCERTAIN_FIELD
    else:
        confidence = min(FIELD_CEILING, float(certainty))
    if parse.checks.get(name) is False:
        confidence = min(confidence, FAILED_CHECK)
    return round(confidence, 3)


UNCONFIRMED_NAME = 0.45  # a name the visual zone did not confirm: the MRZ form may have lost letters
CONFIRMING_LETTERS = 4  # an MRZ name cut to fewer letters does not tell its print from another word


def _printed_names(
    fields: dict[str, ExtractedField],
    page: PageText,
    pages: Sequence[PageText],
    zone: BBox | None,
    lines: list[str],
    surname: str,
    given: str,
    states: Sequence[str] = (),
) -> tuple[list[str], list[str]]:
    """Surname and given names as the visual zone prints them (diacritics, the part the MRZ cut) where the
    MRZ confirms them; the MRZ form stays in `mrz`. A name no printed run confirms is not certain (the MRZ
    spells `JÄGER` as `JAEGER` and may cut it): its confidence drops below review, and it is returned first.
    So does a name of a state whose letters carry marks the MRZ drops where OCR was unsure of the print: it is
    returned second."""
    truncated = name_field_full(lines)
    unconfirmed: list[str] = []
    doubted: list[str] = []
    # the MRZ cuts the given names first: a surname is cut only when no given name is left beside it
    doubts = _doubted(page, surname, given)
    # the nationality's letters first: a German residence permit prints its holder's name in them
    alphabet = next((ALPHABETS[s] for s in reversed(states) if s in ALPHABETS), None)
    for name, mrz, cut in (("surname", surname, truncated and not given), ("given_names", given, truncated)):
        printed, printed_on = _printed(page, pages, zone, mrz, cut, doubts.get(name, ()), alphabet)
        current = fields.get(name)
        if current is not None and name == "given_names" and not mrz and given_names_cut_off(lines):
            # the surname filled the field: the given names were cut off whole, and nothing confirms a reading
            unconfirmed.append(name)
            fields[name] = current.model_copy(update={"confidence": min(current.confidence, UNCONFIRMED_NAME)})
        if current is None or not mrz:
            continue
        if printed is None:
            unconfirmed.append(name)
            fields[name] = current.model_copy(update={"confidence": min(current.confidence, UNCONFIRMED_NAME)})
            continue
        readings = _readings(page, pages, zone, mrz, cut, doubts.get(name, ()), alphabet)
        marked, disputed = disputed_marks(printed, readings, mrz, _markable(states), alphabet)
        printed = replace(printed, text=marked)
        printed = _in_alphabet(replace(printed, text=marks_past_the_cut(printed, readings)), states)
        languages = next((p.languages for p in pages if p.page == printed_on), page.languages)
        marks_in_doubt = (
            disputed
            or (_writes_umlauts(states) and unconfirmed_umlauts(printed, sure=printed.confidence >= SURE_PRINT))
            or _marks_in_doubt(printed.text, printed.confidence, states, languages)
        )
        if marks_in_doubt:
            doubted.append(name)
        # OCR slipped on the print (the name as printed, where the MRZ put it right, is unsure), or the name
        # goes on to the line below past the MRZ's cut, where nothing confirms it is still the name, or the MRZ
        # kept too few of its letters to tell it from another printed word that begins so (`GE` of `GEERTRUIDA`
        # and of `GEBURTSORT`)
        few = len(mrz.replace(" ", "")) < CONFIRMING_LETTERS
        unsure = bool(printed.slips) or printed.wrapped or (printed.past_cut > 0 and few)
        if unsure:
            unconfirmed.append(name)
        if printed.text == mrz:
            if marks_in_doubt or unsure:
                fields[name] = current.model_copy(update={"confidence": min(current.confidence, MARKS_IN_DOUBT)})
            continue
        ceiling = MARKS_IN_DOUBT if marks_in_doubt else UNCONFIRMED_NAME if unsure else 1.0
        confidence = min(current.confidence, printed.confidence, ceiling)
        fields[name] = ExtractedField(
            value=printed.text,
            page=printed_on,
            bbox=printed.bbox,
            source=TextSource.VIZ,
            confidence=round(confidence, 3),
        )
    return unconfirmed, doubted


def _doubted(page: PageText, surname: str, given: str) -> dict[str, tuple[frozenset[str], ...]]:
    """Per name, the letters the MRZ cell reader doubted (`viz_names.doubted_letters`), where the zone was
    read cell by cell and its name field holds the surname, two fillers and the given names as decoded."""
    reading = page.mrz
    if reading is None or not reading.cells or reading.decoded is None:
        return {}
    lines = reading.decoded.lines
    layout = layout_for(len(lines), len(lines[0]), lines[0][:2]) if lines else None
    if layout is None or any(len(line) != layout.line_length for line in lines):
        return {}
    span = layout.span("name")
    if span is None:
        return {}
    field = span.cut(lines)
    surname_mrz = surname.replace(" ", FILLER)
    if not field.startswith(surname_mrz):
        return {}
    out = {"surname": doubted_letters(lines, reading.cells, (span.line, span.start), surname)}
    given_at = len(surname_mrz) + 2
    if given and field[given_at:].startswith(given.replace(" ", FILLER)):
        out["given_names"] = doubted_letters(lines, reading.cells, (span.line, span.start + given_at), given)
    return out


def _places(page: PageText, pages: Sequence[PageText], zone: BBox | None) -> list[tuple[PageText, BBox | None]]:
    """Where an MRZ name's print is looked for, in this order: the MRZ's own page within its visual zone, then
    the document's other pages whole (a card's front scanned apart)."""
    return [(page, zone), *((other, None) for other in pages if other.page != page.page)]


def _printed(
    page: PageText,
    pages: Sequence[PageText],
    zone: BBox | None,
    mrz: str,
    truncated: bool,
    doubted: Sequence[frozenset[str]] = (),
    alphabet: str | None = None,
) -> tuple[PrintedName | None, int]:
    """The printed form of an MRZ name and the page it was read on: the MRZ's own page first, then the other
    pages of the document (a card's front scanned apart); a print read letter for letter before one that
    OCR slipped on; `alphabet`, the marked letters of the holder's (`viz_names.ALPHABETS`)."""
    for slips in (False, True):
        for where, in_zone in _places(page, pages, zone):
            found = full_name(
                where.words, in_zone, mrz, truncated=truncated, slips=slips, doubted=doubted, alphabet=alphabet
            )
            if found is not None:
                return found, where.page
    return None, page.page


def _readings(
    page: PageText,
    pages: Sequence[PageText],
    zone: BBox | None,
    mrz: str,
    truncated: bool,
    doubted: Sequence[frozenset[str]] = (),
    alphabet: str | None = None,
) -> list[PrintedName]:
    """Every printed run, on any page of the document, that is the MRZ name, OCR's slips allowed
    (`viz_names.printed_readings`): what the readings of the page show at each of the MRZ's letters."""
    return [
        found
        for where, in_zone in _places(page, pages, zone)
        for found in printed_readings(
            where.words, in_zone, mrz, truncated=truncated, slips=True, doubted=doubted, alphabet=alphabet
        )
    ]


# States whose alphabets write Ä, Ö or Ü (ICAO 9303 codes; Germany is `D`): a name of their holders may carry an
# umlaut the MRZ cannot confirm where it cuts the name (`viz_names.unconfirmed_umlauts`).
_UMLAUT_STATES = frozenset({"D", "AUT", "CHE", "LIE", "LUX", "TUR", "HUN", "SVK", "SWE", "FIN", "EST"})


def _writes_umlauts(states: Sequence[str]) -> bool:
    """Whether the holder's alphabet writes umlauts: by nationality (`states`' last), else by the issuing state
    (a Ukrainian holder's German permit prints the name in Ukrainian Latin letters)."""
    holder = next((s.strip("<") for s in reversed(states) if s.strip("<")), "")
    return holder in _UMLAUT_STATES


def _markable(states: Sequence[str]) -> frozenset[str]:
    """The MRZ letters that stand for a letter with a mark in the alphabet of one of the `states`."""
    return frozenset().union(*(_MARKED_PLAIN.get(state, frozenset()) for state in states))


# Letters the alphabet of a state also writes with a mark the MRZ drops (Turkish Ç Ğ İ Ö Ş Ü, Polish Ą Ć Ę Ł
# Ń Ó Ś Ź Ż ...): read plain from a print OCR was not sure of, the mark may be lost (`TUGÇE` printed `TUĞÇE`),
# and no MRZ can tell. Norwegian and Danish Ø and Æ are spelt OE and AE as Ö and Ä are: OCR reading Ö is no
# proof either. The OCR language of the state's alphabet: a page read without it cannot show those marks at
# all (a Turkish holder's German residence permit read as German), however sure OCR was of each letter.
_MARKED_PLAIN = {
    "TUR": frozenset("CGIOSU"),
    "POL": frozenset("ACELNOSZ"),
    "CZE": frozenset("ACDEINORSTUYZ"),
    "SVK": frozenset("ACDEILNORSTUYZ"),
    "HRV": frozenset("CDSZ"),
    "ROU": frozenset("AIST"),
    "HUN": frozenset("AEIOU"),
    "FRA": frozenset("ACEIOUY"),
    "ESP": frozenset("AEINOU"),
    "PRT": frozenset("ACEIOU"),
    "NOR": frozenset("AOÖÄØÆ"),
    "DNK": frozenset("AOÖÄØÆ"),
    "ISL": frozenset("ADEIOUYT"),  # Á Ð É Í Ó Ú Ý, and Þ spelt TH
    "VNM": frozenset("ADEIOUY"),  # Ă Â Đ Ê Ô Ơ Ư and the tone marks on every vowel
}
_OCR_LANGUAGE = {
    "TUR": "tur", "POL": "pol", "CZE": "ces", "SVK": "slk", "HRV": "hrv", "ROU": "ron", "HUN": "hun",
    "FRA": "fra", "ESP": "spa", "PRT": "por", "NOR": "nor", "DNK": "dan", "ISL": "isl", "VNM": "vie",
}  # fmt: skip
SURE_PRINT = 0.95
MARKS_IN_DOUBT = UNCONFIRMED_NAME


# Norwegian and Danish print Ø and Æ, which the MRZ spells OE and AE as it spells Ö and Ä; OCR without those
# languages reads Ø as Ö (or as O, whose dots `viz_names` puts back as Ö), and no name of their alphabets has
# Ö or Ä. Swedish and Finnish, whose alphabets have Ö and Ä, are not among them.
# Romanian writes Ș and Ț with a comma below; OCR (and old encodings) give the cedilla forms Ş and Ţ, which
# are Turkish letters, not Romanian ones.
_OWN_LETTERS = {
    "NOR": str.maketrans("ÖöÄä", "ØøÆæ"),
    "DNK": str.maketrans("ÖöÄä", "ØøÆæ"),
    "ROU": str.maketrans("ŞşŢţ", "ȘșȚț"),
    "MDA": str.maketrans("ŞşŢţ", "ȘșȚț"),
}
# Turkish capitals the dotted İ; OCR reads it as a small i inside a word of capitals (`iLKAY`).
_DOTTED_CAPITAL_I = frozenset({"TUR"})
_WORD = re.compile(r"[^\s\-‐‑–]+")


def _capital_dotted_i(text: str) -> str:
    def fixed(word: re.Match[str]) -> str:
        rest = [c for c in word.group() if c.isalpha() and c != "i"]
        return word.group().replace("i", "İ") if len(rest) >= 2 and all(c.isupper() for c in rest) else word.group()

    return _WORD.sub(fixed, text)


def _in_alphabet(printed: PrintedName, states: Sequence[str]) -> PrintedName:
    """The printed name in the letters of the holder's state where the MRZ cannot tell two apart (`BJÖRN` of a
    Norwegian is `BJØRN`, `IONUŢ` of a Romanian `IONUȚ`, `iLKAY` of a Turk `İLKAY`)."""
    for state in states:
        letters = _OWN_LETTERS.get(state)
        if letters is not None:
            return replace(printed, text=printed.text.translate(letters))
        if state in _DOTTED_CAPITAL_I:
            return replace(printed, text=_capital_dotted_i(printed.text))
    return printed


def _marks_in_doubt(printed: str, confidence: float, states: Sequence[str], languages: str = "") -> bool:
    read_as = set(languages.split("+")) if languages else set()
    doubtful: set[str] = set()
    for state in states:
        letters = _MARKED_PLAIN.get(state)
        if letters is None:
            continue
        unread = bool(languages) and _OCR_LANGUAGE[state] not in read_as
        if confidence < SURE_PRINT or unread:
            doubtful |= letters
    return any(c in doubtful for c in printed.upper())


def _build(parse: MrzDecoded, page: PageText, pages: Sequence[PageText]) -> ExtractedDocument:
    reading = page.mrz
    assert reading is not None
    # a date or code the zone could not settle, which the visual zone does (`zone_print`)
    settled = settled_by_print(parse, reading, page.words)
    changed = [name for name, value in settled.fields.items() if value != parse.fields.get(name)]
    parse = settled
    mrz_valid = parse.trusted

    mismatches = viz_mismatches(parse, page, reading.bbox)
    readings = zone_readings(parse, page.words, reading.bbox, page.page, mismatches)

    def mrz_field(name: str, value: str | bool | list[str] | None) -> ExtractedField:
        # the box of the field's own characters in the zone where the layout tells them, else the zone's
        in_zone = next((r.bbox for r in readings.get(name, ()) if r.source is TextSource.MRZ), None)
        confidence = field_confidence(parse, name)
        return ExtractedField(
            value=value,
            page=page.page,
            bbox=in_zone or reading.bbox,
            source=TextSource.MRZ,
            confidence=min(confidence, CONTRADICTED) if name in mismatches else confidence,
        )

    fields = {name: mrz_field(name, value) for name, value in parse.fields.items()}
    fields["mrz"] = mrz_field("mrz", list(parse.lines))  # no certainty of its own: the zone's
    fields["mrz_valid"] = mrz_field("mrz_valid", mrz_valid)
    surname = str(parse.fields.get("surname") or "")
    given = str(parse.fields.get("given_names") or "")
    original = original_script_name(page.words, surname, given)
    states = [str(parse.fields.get(k) or "") for k in ("issuing_state", "nationality")]
    unconfirmed, doubted = _printed_names(fields, page, pages, reading.bbox, list(parse.lines), surname, given, states)
    if original:
        fields["original_script_name"] = ExtractedField(
            value=original, page=page.page, source=TextSource.VIZ, confidence=0.8
        )
    notes: list[str] = []
    if not parse.valid:
        failed = ", ".join(name for name, ok in parse.checks.items() if not ok) or "layout"
        notes.append(f"MRZ check digits fail ({failed}): the fields are the best reading, check them by eye")
    if not parse.names_confirmed:
        notes.append("the readings of the MRZ disagree on the name (no check digit covers names): check it")
    if parse.unsettled:
        notes.append(
            "the readings of the MRZ do not settle " + ", ".join(parse.unsettled) + " (no check digit can tell the "
            "readings apart): check them by eye"
        )
    if changed:
        notes.append(
            "the MRZ reading was unsure of characters of " + ", ".join(changed) + ", which the zone allows "
            "either way: the value the visual zone prints is taken"
        )
    if mismatches:
        notes.append("the printed data disagrees with the MRZ on: " + ", ".join(mismatches))
    if unconfirmed:
        notes.append(
            "the visual zone does not confirm " + " and ".join(unconfirmed) + ": the MRZ form may lack diacritics "
            "or letters cut off; check the printed name"
        )
    if doubted:
        notes.append(
            "OCR was unsure of the printed " + " and ".join(doubted) + ", whose letters may carry marks the MRZ "
            "drops (Ş, Ğ, İ, Ç, Ö, Ü): check the printed name"
        )
    confidence = (VALID_CONFIDENCE if mrz_valid else INVALID_CONFIDENCE) - MISMATCH_PENALTY * len(mismatches)
    code = str(parse.fields.get("document_code") or "")
    return ExtractedDocument(
        type=document_type(code),
        pages=tuple(p.page for p in pages),
        confidence=max(0.05, confidence),
        review=not mrz_valid or bool(mismatches),
        fields=fields,
        checks=dict(parse.checks),
        viz_mismatches=tuple(mismatches),
        notes=tuple(notes),
        readings=readings,
    )
