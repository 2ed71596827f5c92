"""Machine-readable zones (ICAO 9303) for generated identity documents: TD1, TD3, MRV-A and MRV-B.

Written independently of the product's MRZ reader on purpose: this is the ground truth it is measured
against. Field values in the truth are normalised: fillers stripped (`D<<` -> `D`), names with single
spaces, dates ISO with the century resolved from the person's real birth date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas.documents import FieldValue

_WEIGHTS = (7, 3, 1)


def char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise ValueError(f"character {ch!r} cannot appear in an MRZ")


def check_digit(field: str) -> str:
    """ICAO 9303 check digit (weights 7-3-1, modulo 10)."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def pad(text: str, length: int) -> str:
    if len(text) > length:
        raise ValueError(f"{text!r} does not fit {length} MRZ characters")
    return text + "<" * (length - len(text))


def name_field(surname: str, given_names: str, length: int) -> str:
    """SURNAME<<GIVEN<NAMES padded; given names are cut (never the surname) when too long."""
    primary = surname.replace(" ", "<")
    secondary = given_names.replace(" ", "<")
    text = f"{primary}<<{secondary}" if secondary else primary
    return pad(text[:length].rstrip("<") if len(text) > length else text, length)


def yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


@dataclass(frozen=True)
class MrzData:
    """What an MRZ encodes, with values as they appear in it (upper case, no fillers)."""

    document_code: str  # "P", "ID", "AR", "VC", ...
    issuing_state: str  # "UKR", "D"
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: str  # M, F or X
    expiry_date: date
    optional_data: str = ""
    optional_data_2: str = ""  # TD1 line 2 optional field


def _sex(s: str) -> str:
    return "<" if s == "X" else s


def _birth_sex_expiry(d: MrzData) -> str:
    """Birth date and its check digit, sex, expiry date and its check digit: the same 15 characters in
    every format."""
    birth, expiry = yymmdd(d.birth_date), yymmdd(d.expiry_date)
    return birth + check_digit(birth) + _sex(d.sex) + expiry + check_digit(expiry)


def td3(d: MrzData, *, empty_optional_cd: str = "<") -> list[str]:
    """Passport (TD3): 2 lines of 44."""
    line1 = pad(d.document_code, 2) + pad(d.issuing_state, 3) + name_field(d.surname, d.given_names, 39)
    docnum = pad(d.document_number, 9)
    optional = pad(d.optional_data, 14)
    opt_cd = check_digit(optional) if d.optional_data else empty_optional_cd
    body = docnum + check_digit(docnum) + pad(d.nationality, 3) + _birth_sex_expiry(d) + optional + opt_cd
    composite = body[0:10] + body[13:20] + body[21:43]
    return [line1, body + check_digit(composite)]


def td1(d: MrzData) -> list[str]:
    """ID card / residence permit (TD1): 3 lines of 30. A document number over 9 characters follows
    ICAO 9303: its first 9 characters in the number field, '<' in place of the check digit, the rest and
    the check digit at the start of the optional data."""
    number = d.document_number
    if len(number) <= 9:
        field = pad(number, 9)
        line1 = pad(d.document_code, 2) + pad(d.issuing_state, 3) + field + check_digit(field)
        line1 += pad(d.optional_data, 15)
    else:
        head, tail = number[:9], number[9:]
        line1 = pad(d.document_code, 2) + pad(d.issuing_state, 3) + head + "<"
        line1 += pad(tail + check_digit(number) + d.optional_data, 15)
    line2 = _birth_sex_expiry(d) + pad(d.nationality, 3) + pad(d.optional_data_2, 11)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    line2 += check_digit(composite)
    return [line1, line2, name_field(d.surname, d.given_names, 30)]


def td2(d: MrzData) -> list[str]:
    """ID card of the ID-2 size (TD2): 2 lines of 36, a composite check digit, 7 characters of optional
    data (ICAO 9303 Part 6)."""
    line1 = pad(d.document_code, 2) + pad(d.issuing_state, 3) + name_field(d.surname, d.given_names, 31)
    docnum = pad(d.document_number, 9)
    body = docnum + check_digit(docnum) + pad(d.nationality, 3) + _birth_sex_expiry(d) + pad(d.optional_data, 7)
    composite = body[0:10] + body[13:20] + body[21:35]
    return [line1, body + check_digit(composite)]


def mrv(d: MrzData, *, width: int) -> list[str]:
    """Visa: MRV-A (width 44) or MRV-B (width 36), 2 lines, no composite check digit."""
    line1 = pad(d.document_code, 2) + pad(d.issuing_state, 3) + name_field(d.surname, d.given_names, width - 5)
    docnum = pad(d.document_number, 9)
    line2 = (
        docnum + check_digit(docnum) + pad(d.nationality, 3) + _birth_sex_expiry(d) + pad(d.optional_data, width - 28)
    )
    return [line1, line2]


def truth_fields(d: MrzData, lines: list[str]) -> dict[str, FieldValue]:
    """The MRZ_FIELDS of the contract for these lines."""
    optional = d.optional_data if not d.optional_data_2 else f"{d.optional_data} {d.optional_data_2}".strip()
    # the names as they survive in the MRZ (given names may have been cut to fit)
    name_line = lines[-1] if len(lines) == 3 else lines[0][5:]
    surname, _, given = name_line.partition("<<")
    return {
        "document_code": d.document_code,
        "issuing_state": d.issuing_state,
        "surname": surname.replace("<", " ").strip(),
        "given_names": " ".join(given.replace("<", " ").split()),
        "document_number": d.document_number,
        "nationality": d.nationality,
        "birth_date": d.birth_date.isoformat(),
        "sex": d.sex,
        "expiry_date": d.expiry_date.isoformat(),
        "optional_data": optional,
        "mrz": list(lines),
        "mrz_valid": True,
    }
