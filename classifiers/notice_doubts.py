"""Doubts about a notice's recipient and file number that the value alone, or the page around it, shows.

A name or number can be read with good OCR confidence and still be wrong: a `q` read as `g` in one of two
printings of the same surname, an `I` read as `l` (`ludin`), a label's tail taken for the name (`hrift` of a
cut `Anschrift`), a label or the contact person's name where the recipient's should be, a `//` read as `11`
that runs two parts of a file number into one long number. None of these depends on the letter's layout; each
makes the rule's reading unsure, below the floor under which a field is always shown to a clerk, so a misread
value goes to review instead of being filed as certain.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from classifiers.extract import FIELD_REVIEW_CONFIDENCE, Found
from classifiers.lexicon import fold
from classifiers.name_variants import PARTICLES
from classifiers.normalise import normalise_amount
from classifiers.notice_recipient import label_word, not_the_recipient
from classifiers.text import DocumentText

DOUBT_CERTAINTY = FIELD_REVIEW_CONFIDENCE - 0.05
# Lower-case words a name may hold by right: the name particles persons are matched without (`von`, `bint`) and
# the Italian articles (`della`); a longer lower-case word is a misread capital (`ludin` for `Iudin`) or a piece of
# another word.
_PARTICLES = PARTICLES | {"DELLA", "DELLE", "DEGLI", "DELLO"}
_WORD = re.compile(r"[^\W\d_]+")
# Two printings of one name that differ in one letter are two readings that disagree; a shorter word differs
# from too many others (`Hans`, `Haus`) by one letter for that to say anything.
_TWIN_MIN_LENGTH = 5
# No file number scheme of the German offices (Aktenzeichen, BG-Nummer, Kundennummer, AZR-Nummer) runs more
# than twelve digits without a separator or a letter: a longer run has lost one that OCR read as a digit.
_LONGEST_DIGIT_RUN = 12


# The label of a calculation table's total row (`Gesamtbetrag`, `Gesamtanspruch`, `Summe`), at most three
# words before the amount: in a sentence (`Sie erhalten monatlich insgesamt 1.114,00 €`) the lines above
# need not be the parts of the amount.
_TOTAL = re.compile(r"^\W*(?:gesamt|summe|insgesamt)\w*(?:\s+\S+){0,2}\W*$", re.IGNORECASE)
_TOTAL_WORD = re.compile(r"gesamt|summe|insgesamt", re.IGNORECASE)
_MONEY = re.compile(r"\d[\d.]*,\d{2}\s*(?:€|EUR|Euro)|(?:€|EUR)\s*\d[\d.]*,\d{2}", re.IGNORECASE)


def _other_reading(a: str, b: str) -> bool:
    """Two spellings of one word as OCR misreads it: one letter apart, alike but for diacritics, or but for
    an `rn` read as `m` (`Herrmann`, `Hermann`)."""
    if a == b:
        return False
    if len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return True
    return fold(a) == fold(b) or a.replace("rn", "m") == b.replace("rn", "m")


def recipient_doubt(text: DocumentText, name: str) -> str | None:
    """Why a recipient's name read off the page may be misread, or None."""
    if not_the_recipient(text, name):
        return "the name is a label or the contact person's"
    if label_word(name):
        return "a word of the name is a label"
    words = _WORD.findall(name)
    if any(w[0].islower() and len(w) > 3 and w.upper() not in _PARTICLES for w in words):
        return "a word of the name starts in lower case"
    page = {w for w in _WORD.findall(text.text) if w[0].isupper()}
    for word in words:
        if len(word) >= _TWIN_MIN_LENGTH and any(_other_reading(word, other) for other in page):
            return "the page spells the name another way too"
    return None


def file_number_doubt(number: str) -> str | None:
    """Why a file number read off the page may be misread, or None."""
    if any(len(run) > _LONGEST_DIGIT_RUN for run in re.findall(r"\d+", number)):
        return "a run of digits longer than any file number has"
    return None


def amount_doubt(text: DocumentText, found: Found) -> str | None:
    """Why an amount read from a table's total row may be misread: it is not the sum of the rows above it
    (`Gesamtanspruch 724,00 €` under rows of 506, 357, 471 and 390 €: a digit lost)."""
    index = text.line_at(found.start)
    line = text.lines[index]
    if not _TOTAL.search(line.text[: max(0, found.start - line.start)]):
        return None
    rows = []
    for above in reversed(text.lines[:index]):
        amounts = _MONEY.findall(above.text)
        if above.page != line.page or len(amounts) != 1 or _TOTAL_WORD.search(above.text):
            break
        rows.append(normalise_amount(amounts[0]))
    if len(rows) < 2 or None in rows:
        return None
    total = sum(round(float(row) * 100) for row in rows if row is not None)
    if isinstance(found.value, str) and round(float(found.value) * 100) != total:
        return "the total is not the sum of the rows above it"
    return None


# An office decides shortly before the period it grants (weeks, at most months ahead), and grants at most a
# few years at once (a residence permit: three; benefits: a year). Dates further apart have a digit misread,
# most often the year's last digit.
_DECIDED_AHEAD_DAYS = 366
_LONGEST_PERIOD_DAYS = 5 * 366


def date_doubts(notice_date: object, start: object, end: object) -> dict[str, str]:
    """Doubts about the notice date and the period end when they do not fit the period they frame."""
    days = {}
    for name, value in (("notice_date", notice_date), ("period_start", start), ("period_end", end)):
        try:
            days[name] = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            days[name] = None
    out = {}
    decided, first, last = days["notice_date"], days["period_start"], days["period_end"]
    if decided is not None and first is not None and (first - decided).days > _DECIDED_AHEAD_DAYS:
        out["notice_date"] = "the notice is dated more than a year before the period it grants"
    if first is not None and last is not None and (last - first).days > _LONGEST_PERIOD_DAYS:
        out["period_end"] = "the period runs longer than any notice grants"
    return out


def doubted(found: Found | None, reason: str | None) -> Found | None:
    """The reading made unsure when there is a reason to doubt it."""
    if found is None or reason is None:
        return found
    return replace(found, certainty=min(found.certainty, DOUBT_CERTAINTY))
