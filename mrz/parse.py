"""Parse and validate a machine-readable zone (ICAO 9303 TD1, TD2, TD3, MRV-A, MRV-B).

`parse_mrz` turns clean MRZ lines into the contract's field names (`document_code, issuing_state, surname,
given_names, document_number, nationality, birth_date, sex, expiry_date, optional_data, mrz`) with every check
digit reported on its own; `mrz.repair.repair` first decodes or combines the OCR readings of one zone and
fixes only what a check digit or the fixed layout proves. `valid` also needs well-formed fields (`malformed`:
a date that is a date, a code of letters, a sex of M, F, X or filler), as a misaligned reading can verify by
chance; `trusted` (what `mrz_valid` reports) further needs the readings to settle what no check digit can.
Dates come out as ISO `YYYY-MM-DD`: a birth year is put in the latest century that is not in the future, an
expiry year in 20xx (ICAO documents are valid for at most ten years, and none issued before 2000 is still in
use).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mrz.layout import FILLER, TD1, Layout, MrzFormat, check_holds, layout_for
from schemas.documents import MRZ_FIELDS, MrzDecoded

__all__ = ["MrzParse", "iso_date", "malformed", "normalise_line", "parse_mrz", "split_name"]

_NOT_MRZ = re.compile(r"[^A-Z0-9<]")
_LINE_LENGTHS = (30, 36, 44)
_FIELD_NAMES = MRZ_FIELDS[:10]  # the contract fields a parse fills (`mrz`, `mrz_valid` come later)


@dataclass(frozen=True, slots=True)
class MrzParse:
    """One parsed MRZ: its format, the contract fields, each check digit's verdict, and overall validity."""

    format: str  # an MrzFormat value, or "" when the lines fit no layout
    fields: Mapping[str, str | None]
    checks: Mapping[str, bool]
    valid: bool  # every check digit holds
    lines: tuple[str, ...] = field(default=())
    # Names have no check digit: False when the readings of the zone disagreed on the name and no two of
    # them agreed. A document is reported `mrz_valid` only when `trusted`.
    names_confirmed: bool = True
    # Fields the readings of the zone did not settle: no check digit covers them (codes, sex, optional data)
    # or the value was seen by one reading only, so a misreading could pass every check digit.
    unsettled: tuple[str, ...] = ()
    # How sure the reader is of each field (0-1), where it can say: decoded from cell probabilities.
    certainty: Mapping[str, float] = field(default_factory=dict)

    @property
    def trusted(self) -> bool:
        """What `mrz_valid` reports: every check digit holds, the fields are well formed, and the readings
        agree on everything no check digit can prove."""
        return self.valid and self.names_confirmed and not self.unsettled

    def decoded(self) -> MrzDecoded:
        """This parse as the frozen shape the reader hands on with its reading, so the zone is decoded once."""
        return MrzDecoded(
            format=self.format,
            fields=dict(self.fields),
            checks={name: bool(ok) for name, ok in self.checks.items()},
            valid=bool(self.valid),
            lines=self.lines,
            names_confirmed=bool(self.names_confirmed),
            unsettled=self.unsettled,
            certainty={name: float(value) for name, value in self.certainty.items()},
        )


def normalise_line(line: str) -> str:
    """Upper case, no spaces, anything outside the MRZ alphabet dropped (OCR stray marks)."""
    return _NOT_MRZ.sub("", line.upper().replace("«", "<<").replace(" ", ""))


def iso_date(yymmdd: str, *, birth: bool, today: dt.date | None = None) -> str | None:
    """`YYMMDD` as ISO; None when it is no calendar date (an unknown day or month is written `<<`)."""
    if len(yymmdd) != 6 or not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    today = today or dt.date.today()
    year = 2000 + yy
    if birth and year > today.year:
        year -= 100
    try:
        date = dt.date(year, mm, dd)
    except ValueError:
        return None
    if birth and date > today:  # born later this year than today: last century
        date = date.replace(year=year - 100) if not (mm == 2 and dd == 29) else dt.date(year - 100, 2, 28)
    return date.isoformat()


def split_name(name_field: str) -> tuple[str, str]:
    """Surname and given names from an MRZ name field, by the ICAO layout rules.

    The primary identifier (surname) runs to the first `<<`; the secondary identifier (given names) runs
    from there to the next `<<`, its components separated by single fillers. Whatever follows is filler, so
    filler misread as letters after the name (`<<<K<<`) is not taken for a name.
    """
    surname, _, rest = name_field.strip(FILLER).partition(FILLER * 2)
    given = rest.lstrip(FILLER).split(FILLER * 2, 1)[0]
    return surname.replace(FILLER, " ").strip(), given.replace(FILLER, " ").strip()


_BIRTH = re.compile(r"(?:\d\d|<<){3}")  # an unknown month or day is written `<<`
_CODE = re.compile(r"[ACIPV][A-Z<]")
_STATE = re.compile(r"[A-Z]{1,3}<{0,2}|<<<")  # all fillers: not stated (Macao's ID card)


def malformed(fields: Mapping[str, str | None], raw: Mapping[str, str]) -> tuple[str, ...]:
    """Fields whose characters cannot be what a genuine MRZ holds there, though check digits may hold by
    chance on a misaligned reading (a date that is no date, a code no state uses, a sex of `N`)."""
    bad = []
    if not _CODE.fullmatch(raw["document_code"]):
        bad.append("document_code")
    for name in ("issuing_state", "nationality"):
        # Letters, then fillers: specimens use codes of their own (BDR, SI<), so the code list itself
        # only counts where readings disagree (`mrz.repair`).
        if not _STATE.fullmatch(raw[name]):
            bad.append(name)
    if not _BIRTH.fullmatch(raw["birth_date"]) or (raw["birth_date"].isdigit() and fields.get("birth_date") is None):
        bad.append("birth_date")
    if fields.get("expiry_date") is None:
        bad.append("expiry_date")
    if raw["sex"] not in "MFX<" or len(raw["sex"]) != 1:
        bad.append("sex")
    return tuple(bad)


def _clean(value: str) -> str:
    return " ".join(value.replace(FILLER, " ").split())


def _fit(lines: Sequence[str]) -> tuple[str, ...]:
    """Pad or cut each line to the nearest MRZ line length (a parse of unrepaired lines stays possible)."""
    cleaned = [normalise_line(line) for line in lines if normalise_line(line)]
    if not cleaned:
        return ()
    target = min(_LINE_LENGTHS, key=lambda n: abs(n - max(len(line) for line in cleaned)))
    return tuple(line[:target].ljust(target, FILLER) for line in cleaned)


def _document_number(layout: Layout, lines: tuple[str, ...]) -> tuple[str, str, str]:
    """(number, check digit, optional data left over): TD1 numbers longer than 9 continue in the optional
    field, with the check digit position holding a filler (Part 5, note j)."""
    number_span, check_span = layout.span("document_number"), layout.span("document_number_check")
    assert number_span is not None and check_span is not None
    number, digit = number_span.cut(lines), check_span.cut(lines)
    optional_span = layout.span("optional_data")
    optional = optional_span.cut(lines) if optional_span else ""
    if layout is TD1 and digit == FILLER and optional.strip(FILLER):
        overflow = optional.split(FILLER, 1)[0]
        if len(overflow) >= 2:
            return number + overflow[:-1], overflow[-1], optional[len(overflow) :]
    return number, digit, optional


def parse_mrz(lines: Sequence[str], *, today: dt.date | None = None) -> MrzParse:
    """Parse MRZ lines (as printed, top to bottom) and verify every check digit."""
    fitted = _fit(lines)
    layout = layout_for(len(fitted), len(fitted[0]), fitted[0][:2]) if fitted else None
    if layout is None:
        empty: dict[str, str | None] = dict.fromkeys(_FIELD_NAMES)
        return MrzParse(format="", fields=empty, checks={}, valid=False, lines=fitted)

    def cut(name: str) -> str:
        span = layout.span(name)
        return span.cut(fitted) if span else ""

    number, number_check, optional = _document_number(layout, fitted)
    optional_parts = (optional, cut("optional_data_2")) if layout is TD1 else (optional,)
    checks: dict[str, bool] = {
        "document_number": check_holds(number, number_check),
        "birth_date": check_holds(cut("birth_date"), cut("birth_date_check")),
        "expiry_date": check_holds(cut("expiry_date"), cut("expiry_date_check")),
    }
    if layout.span("optional_data_check"):
        checks["optional_data"] = check_holds(optional, cut("optional_data_check"))
    if layout.composite_at is not None:
        checks["composite"] = layout.composite_holds(fitted)
    surname, given_names = split_name(cut("name"))
    sex = cut("sex")
    fields: dict[str, str | None] = {
        "document_code": cut("document_code").strip(FILLER) or None,
        "issuing_state": cut("issuing_state").replace(FILLER, "") or None,
        "surname": surname or None,
        "given_names": given_names or None,
        "document_number": number.replace(FILLER, "") or None,
        "nationality": cut("nationality").replace(FILLER, "") or None,
        "birth_date": iso_date(cut("birth_date"), birth=True, today=today),
        "sex": {"M": "M", "F": "F", "X": "X", FILLER: "X"}.get(sex),
        "expiry_date": iso_date(cut("expiry_date"), birth=False, today=today),
        "optional_data": " ".join(p for p in map(_clean, optional_parts) if p),
    }
    raw = {name: cut(name) for name in ("document_code", "issuing_state", "nationality", "birth_date", "sex")}
    return MrzParse(
        format=layout.format.value,
        fields=fields,
        checks=checks,
        valid=all(checks.values()) and not malformed(fields, raw),
        lines=fitted,
    )


def mrz_format(parse: MrzParse) -> MrzFormat | None:
    return MrzFormat(parse.format) if parse.format else None
