"""The ICAO 9303 machine-readable zone layouts, check digits and code lists, as data.

One place that knows where every field of TD1, TD2, TD3, MRV-A and MRV-B sits, which characters it may
hold, and which check digit covers it. `mrz/parse.py` parses with it and `mrz/repair.py`
uses the same table to decide which corrections a check digit or the fixed layout proves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

FILLER = "<"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_WEIGHTS = (7, 3, 1)


class MrzFormat(StrEnum):
    TD1 = "TD1"  # ID cards, residence permits: 3 lines of 30
    TD2 = "TD2"  # older ID cards: 2 lines of 36
    TD3 = "TD3"  # passports: 2 lines of 44
    MRV_A = "MRV-A"  # visa sticker, full size: 2 lines of 44
    MRV_B = "MRV-B"  # visa sticker, smaller: 2 lines of 36


class Kind(StrEnum):
    """Which characters a field may hold: what makes a letter/digit confusion provable."""

    NUMERIC = "numeric"  # digits only (dates, check digits)
    ALPHA = "alpha"  # letters and fillers (names, country codes, document code)
    ALNUM = "alnum"  # letters, digits, fillers (document number, optional data)
    SEX = "sex"  # M, F, X or filler
    CHECK = "check"  # a digit, or a filler where the field it covers is empty


@dataclass(frozen=True, slots=True)
class Span:
    """A field: `line` index, start column, length, kind, and the name of the check digit covering it."""

    name: str
    line: int
    start: int
    length: int
    kind: Kind
    check: str | None = None  # name of the Span holding this field's check digit

    @property
    def stop(self) -> int:
        return self.start + self.length

    def cut(self, lines: tuple[str, ...] | list[str]) -> str:
        return lines[self.line][self.start : self.stop]


@dataclass(frozen=True, slots=True)
class Layout:
    format: MrzFormat
    line_count: int
    line_length: int
    spans: tuple[Span, ...]
    composite: tuple[tuple[int, int, int], ...]  # (line, start, stop) pieces the composite digit covers
    composite_at: tuple[int, int] | None  # (line, column) of the composite check digit

    def span(self, name: str) -> Span | None:
        return next((s for s in self.spans if s.name == name), None)

    def composite_holds(self, lines: Sequence[str]) -> bool:
        """Whether the composite check digit of `lines` verifies the pieces it covers; True where the layout
        has none."""
        if self.composite_at is None:
            return True
        line, column = self.composite_at
        return lines[line][column] == check_digit("".join(lines[i][a:b] for i, a, b in self.composite))


def _two_line(fmt: MrzFormat, length: int, optional_len: int, composite: bool, optional_check: bool) -> Layout:
    """TD2, TD3, MRV-A, MRV-B share one pattern: names on line 1, the data line below."""
    opt_start = 28
    spans = [
        Span("document_code", 0, 0, 2, Kind.ALPHA),
        Span("issuing_state", 0, 2, 3, Kind.ALPHA),
        Span("name", 0, 5, length - 5, Kind.ALPHA),
        Span("document_number", 1, 0, 9, Kind.ALNUM, "document_number_check"),
        Span("document_number_check", 1, 9, 1, Kind.CHECK),
        Span("nationality", 1, 10, 3, Kind.ALPHA),
        Span("birth_date", 1, 13, 6, Kind.NUMERIC, "birth_date_check"),
        Span("birth_date_check", 1, 19, 1, Kind.CHECK),
        Span("sex", 1, 20, 1, Kind.SEX),
        Span("expiry_date", 1, 21, 6, Kind.NUMERIC, "expiry_date_check"),
        Span("expiry_date_check", 1, 27, 1, Kind.CHECK),
        Span(
            "optional_data",
            1,
            opt_start,
            optional_len,
            Kind.ALNUM,
            "optional_data_check" if optional_check else None,
        ),
    ]
    if optional_check:
        spans.append(Span("optional_data_check", 1, opt_start + optional_len, 1, Kind.CHECK))
    pieces = ((1, 0, 10), (1, 13, 20), (1, 21, length - 1)) if composite else ()
    return Layout(fmt, 2, length, tuple(spans), pieces, (1, length - 1) if composite else None)


TD1 = Layout(
    MrzFormat.TD1,
    3,
    30,
    (
        Span("document_code", 0, 0, 2, Kind.ALPHA),
        Span("issuing_state", 0, 2, 3, Kind.ALPHA),
        Span("document_number", 0, 5, 9, Kind.ALNUM, "document_number_check"),
        Span("document_number_check", 0, 14, 1, Kind.CHECK),
        Span("optional_data", 0, 15, 15, Kind.ALNUM),
        Span("birth_date", 1, 0, 6, Kind.NUMERIC, "birth_date_check"),
        Span("birth_date_check", 1, 6, 1, Kind.CHECK),
        Span("sex", 1, 7, 1, Kind.SEX),
        Span("expiry_date", 1, 8, 6, Kind.NUMERIC, "expiry_date_check"),
        Span("expiry_date_check", 1, 14, 1, Kind.CHECK),
        Span("nationality", 1, 15, 3, Kind.ALPHA),
        Span("optional_data_2", 1, 18, 11, Kind.ALNUM),
        Span("name", 2, 0, 30, Kind.ALPHA),
    ),
    ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    (1, 29),
)
TD2 = _two_line(MrzFormat.TD2, 36, 7, composite=True, optional_check=False)
TD3 = _two_line(MrzFormat.TD3, 44, 14, composite=True, optional_check=True)
MRV_A = _two_line(MrzFormat.MRV_A, 44, 16, composite=False, optional_check=False)
MRV_B = _two_line(MrzFormat.MRV_B, 36, 8, composite=False, optional_check=False)


def layout_for(line_count: int, line_length: int, document_code: str) -> Layout | None:
    """The layout for lines of this shape; the first letter of the document code tells visa from TD2/TD3."""
    visa = document_code[:1] == "V"
    if line_count == 3 and line_length == 30:
        return TD1
    if line_count == 2 and line_length == 44:
        return MRV_A if visa else TD3
    if line_count == 2 and line_length == 36:
        return MRV_B if visa else TD2
    return None


def kinds_of(layout: Layout, line: int) -> list[Kind]:
    """The kind of every column of one line of `layout`."""
    kinds = [Kind.ALNUM] * layout.line_length
    for span in layout.spans:
        if span.line == line:
            kinds[span.start : span.stop] = [span.kind] * span.length
    if layout.composite_at and layout.composite_at[0] == line:
        kinds[layout.composite_at[1]] = Kind.CHECK
    return kinds


ALLOWED: dict[Kind, str] = {
    Kind.NUMERIC: "0123456789",
    Kind.CHECK: "0123456789<",
    Kind.ALPHA: "ABCDEFGHIJKLMNOPQRSTUVWXYZ<",
    Kind.ALNUM: ALPHABET,
    Kind.SEX: "MFX<",
}


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    return 0  # filler, and anything unreadable


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of `data`: weights 7, 3, 1 repeated, sum modulo 10."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


def check_holds(data: str, digit: str) -> bool:
    """Whether `digit` checks `data`; an all-filler field may carry a filler instead of 0 (Part 4, 4.2.2)."""
    if digit == FILLER:
        return set(data) <= {FILLER}
    return digit == check_digit(data)


# ICAO 9303 Part 3 codes: ISO 3166-1 alpha-3 plus the codes ICAO adds (Germany's D, organisations,
# stateless and refugee codes, British nationality classes, the Utopia specimen state).
_CODE_ROWS = (
    "AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ BOL BRA",
    "BRB BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COL COM CPV CRI CUB CYP CZE DEU DJI DMA DNK",
    "DOM DZA ECU EGY ERI ESP EST ETH FIN FJI FRA FSM GAB GBR GEO GHA GIN GMB GNB GNQ GRC GRD GTM GUY",
    "HND HRV HTI HUN IDN IND IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO",
    "LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ",
    "MRT MUS MWI MYS NAM NER NGA NIC NLD NOR NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY",
    "PSE QAT ROU RUS RWA SAU SDN SEN SGP SLB SLE SLV SMR SOM SRB STP SUR SVK SVN SWE SWZ SYC SYR TCD",
    "TGO THA TJK TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR URY USA UZB VAT VCT VEN VNM VUT WSM YEM",
    "ZAF ZMB ZWE ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB GLP",
    "GRL GUF GUM HKG HMD IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PYF REU SGS SHN SJM",
    "SPM SSD SXM TCA TKL UMI VGB VIR WLF D EUE UNO UNA UNK XOM XPO XCC XEC XES XIM XDC XBA XXA XXB",
    "XXC XXX GBD GBN GBO GBP GBS RKS UTO",
)
COUNTRY_CODES = frozenset(code for row in _CODE_ROWS for code in row.split())
