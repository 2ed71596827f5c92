"""Fields of a German notice (Bescheid): who decided, under which file number, when, for whom, about what,
for which period, how much, and on which legal basis.

The labels come from the `dach.notice_fields.v1` component; the values are read after them and validated.
Where a notice has no label (the authority in the letterhead, the recipient in the address block, a subject
printed as a bold heading) the letter's layout conventions (DIN 5008) locate the value instead.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from typing import Any

from classifiers.extract import FIELD_REVIEW_CONFIDENCE, FieldSet, Found, group_text, groups, value_after
from classifiers.fields import label_spans
from classifiers.geometry import value_near
from classifiers.label_tables import KEY_VALUE_LABELS, NOTICE_LABELS
from classifiers.lexicon import fold, repair_legal
from classifiers.normalise import (
    find_dates,
    normalise_amount,
    normalise_date,
    normalise_file_number,
)

# AUTHORITY_WORDS and clean_authority are read from here by the type cues and the certificate extractor
from classifiers.notice_authority import AUTHORITY_WORDS as AUTHORITY_WORDS
from classifiers.notice_authority import authority
from classifiers.notice_authority import clean_authority as clean_authority
from classifiers.notice_doubts import (
    DOUBT_CERTAINTY,
    amount_doubt,
    date_doubts,
    doubted,
    file_number_doubt,
    recipient_doubt,
)
from classifiers.notice_recipient import ADDRESS_TITLES, POSTCODE_TOWN, first_page, is_label, opens_with_contact_label
from classifiers.notice_recipient import recipient as recipient_of
from classifiers.text import DocumentText, Line
from classifiers.value_shapes import shape_doubts
from schemas.documents import NOTICE_FIELDS

_STREET_END = re.compile(r"\s\d{1,4}\s?[a-zA-Z]?$")
_DATE_LINE = re.compile(r"^[A-ZÄÖÜ][^\d,]{1,40},\s*(?:den\s+)?(?=\d)")
_SUBJECT_STOP = re.compile(
    r"^(Ihr Antrag|Ihr Schreiben|Sehr geehrte|auf Ihren|hiermit|Guten Tag|Begründung)", re.IGNORECASE
)
_SUBJECT_WORDS = re.compile(
    r"Bescheid|Bewilligung|Erteilung|Verlängerung|Leistungen|Gewährung|Festsetzung|Ablehnung|Aufhebung|"
    r"Rückforderung|Anhörung|Aufenthalt|Bürgergeld|Gebühr",
    re.IGNORECASE,
)
# Words of the reference block (DIN 5008 "Bezugszeichen"), which a subject never contains.
_REFERENCE_ROW = re.compile(r"\b(?:Aktenzeichen|Geschäftszeichen|Bearbeiter|Telefon|Sachbearbeit|Az\.:?)(?=\W|$)")
# A reference line printed next to the subject (`Bezug: Ihr Antrag vom …`, `Kundennummer 123D456789`): it
# belongs to neither the subject above it nor the one below it.
_REFERENCE_LINE = re.compile(
    r"^(?:Bezug|Ihr(?:e)? (?:Zeichen|Nachricht|Antrag|Schreiben)|Unser Zeichen|Kunden-?(?:nummer|Nr)|BG-Nummer|"
    r"Nummer der Bedarfsgemeinschaft|Vorgangsnummer|Aktenzeichen|Geschäftszeichen|Az\b)",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"(?:vom|Zeitraum|Zeit vom|Bewilligungszeitraum|Leistungszeitraum)\s*:?\s*(\S{6,12})\s*"
    r"(?:bis(?:\s+zum|\s+einschließlich)?|[-–—]+)\s*(\S{6,12})",
    re.IGNORECASE,
)
# The labels of a table's total row in the label tables (`Gesamtbetrag`, `Gesamtanspruch`, `monatlicher
# Gesamtbetrag`, `Summe`): the amount beside or under one is the notice's, not a row's above it.
_TOTAL_LABEL = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(label)
        for label in sorted(
            {
                label
                for label in (*NOTICE_LABELS["amount_eur"], *KEY_VALUE_LABELS["amount_eur"])
                if re.search(r"\bgesamt|^summe$", label, re.IGNORECASE)
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)
_GUESS_UNDER_TOTAL = FIELD_REVIEW_CONFIDENCE - 0.05
_AMOUNT_LEAD = re.compile(rf"{_TOTAL_LABEL.pattern}|in Höhe von|Betrag von|Zahlbetrag|insgesamt", re.IGNORECASE)
# A sum of money on one line: the spaces in it are no line breaks (`31.05.2024` at a line's end is no amount of
# the `EUR 502,00` under it).
_MONEY = re.compile(
    r"(?:EUR|€)[ \t]*\d[\d., \t]*\d|\d[\d. \t]*(?:,\d{2}|,-|\.\d{2})?[ \t]*(?:EUR|€|Euro)", re.IGNORECASE
)
_LAW = re.compile(
    r"(§§?\s*\d+[a-z]?(?:\s*,\s*\d+[a-z]?)*(?:\s*Abs\.\s*\d+)?(?:\s*(?:S\.|Satz)\s*\d+)?(?:\s*Nr\.\s*\d+)?)\s*"
    r"(?:des\s+|der\s+)?(AufenthG|Aufenthaltsgesetz(?:es)?(?:\s*\(AufenthG\))?|AsylbLG|AsylG|SGB\s*[IVX]+)"
    r"|nach\s+dem\s+(AsylbLG|SGB\s*[IVX]+|Asylbewerberleistungsgesetz|AufenthG)"
    r"|(SGB\s*[IVX]+|AsylbLG)",
)


def _no_label(_: str) -> bool:
    return False  # the notice normalisers reject what is not a value (a label holds no digit, no date)


def _file_number(text: DocumentText, labels: dict[str, list[Any]]) -> Found | None:
    spans = labels.get("file_number", [])
    for span in spans:
        found = value_after(text, span.end_char, normalise_file_number, next_line=False)
        if found is not None:
            return found
    # DIN 5008 reference row: the labels side by side ("Aktenzeichen  Bearbeiter/in  Telefon  Datum"), each
    # value under its label, which a text layer (and often OCR) gives as two lines of text.
    for span in spans:
        found = value_near(text, span.start_char, span.end_char, normalise_file_number, _no_label)
        if found is not None:
            return found
    return None


def _notice_date(text: DocumentText, labels: dict[str, list[Any]]) -> Found | None:
    for span in labels.get("notice_date", []):
        line = text.lines[text.line_at(span.start_char)]
        if "antrag" in line.text.lower() or span.text.lower() == "vom":
            continue
        rest = text.text[span.end_char : line.end]
        dates = find_dates(rest)
        if dates and len(rest[: dates[0][1]].strip(" :")) <= 3:
            iso, start, end = dates[0]
            return Found(iso, span.end_char + start, span.end_char + end)
        if span.text.lower() == "datum":  # the date column of a DIN 5008 reference row
            found = value_near(text, span.start_char, span.end_char, normalise_date, _no_label)
            if found is not None:
                return found
    for line in text.lines:
        if line.page != text.lines[0].page:
            break
        # a reference row whose labels OCR did not read: its values in one line, the date last
        if _REFERENCE_ROW.match(line.text) and (dates := find_dates(line.text)):
            iso, start, end = dates[-1]
            return Found(iso, line.start + start, line.start + end, 0.8)
        for group in groups(line):
            words = group_text(group)
            match = _DATE_LINE.match(words)
            if match:
                dates = find_dates(words[match.end() :])
                if dates:
                    return Found(dates[0][0], group[0][0], group[-1][1], 0.9)
    return None


# The information block's column starts right of the page's middle, and the block ends above the subject.
_INFO_BLOCK_LEFT = 0.5
_INFO_BLOCK_BOTTOM = 0.4
_DATE_LABELS = frozenset(fold(label).casefold() for label in NOTICE_LABELS["notice_date"])


def info_block_date(text: DocumentText) -> Found | None:
    """The letter date whose caption OCR garbled (`Danan:` for `Datum:`, `[om` for `vom`): a date alone in its
    column of the information block under a one-word caption that is no other field's label. Only a guess, so
    doubted: the information block may hold another day (`Eingang:`)."""
    lines = first_page(text)
    for line in lines:
        columns = groups(line)
        for index, group in enumerate(columns):
            box = group[0][2].bbox
            if box.x0 < _INFO_BLOCK_LEFT or box.y0 > _INFO_BLOCK_BOTTOM:
                continue
            words = group_text(group)
            dates = find_dates(words)
            if len(dates) != 1 or words[dates[0][2] :].strip(" .,"):
                continue
            iso, start, end = dates[0]
            caption = words[:start].strip() or (group_text(columns[index - 1]) if index else "")
            if len(caption.split()) != 1 or (
                is_label(caption) and fold(caption).strip(":").casefold() not in _DATE_LABELS
            ):
                continue
            first = group[0][0]
            return Found(iso, first + start, first + end, DOUBT_CERTAINTY)
    return None


def _is_subject_boundary(line: Line) -> bool:
    """A line that cannot be part of the subject: date, address, meta label, salutation, body start."""
    words = line.text.split()
    return (
        not words
        or bool(_SUBJECT_STOP.match(line.text))
        or bool(find_dates(line.text))
        or bool(POSTCODE_TOWN.match(line.text))
        or bool(_STREET_END.search(line.text))
        or any(w.endswith(":") for w in words[:2])
        or opens_with_contact_label(words)  # its colon lost: `Ansprechpartner Rigo Mosemann`
        or words[0].strip(",.") in ADDRESS_TITLES
        or bool(_REFERENCE_ROW.search(line.text))
        or bool(_REFERENCE_LINE.match(line.text))
    )


def _join_subject(lines: list[Line], begin: int) -> Found | None:
    subject = " ".join(" ".join(line.text for line in lines)[begin - lines[0].start :].split()).strip(" :")
    subject = re.sub(r"(\w)- (\w)", r"\1\2", subject)  # a word hyphenated at the line end
    if not subject or not _SUBJECT_WORDS.search(subject):
        return None
    return Found(subject, begin, lines[-1].end, 0.85)


def _subject(text: DocumentText, labels: dict[str, list[Any]]) -> Found | None:
    """The Betreff: after its label (and the lines it wraps onto), else the heading above the salutation."""
    first_page = [line for line in text.lines if line.page == text.lines[0].page]
    for span in labels.get("subject", []):
        index = next((i for i, line in enumerate(first_page) if line.start <= span.start_char < line.end + 1), None)
        if index is None:
            continue
        lines = [first_page[index]]
        for following in first_page[index + 1 : index + 3]:
            if _is_subject_boundary(following):
                break
            lines.append(following)
        begin = span.end_char
        while begin < lines[0].end and text.text[begin] in ": ":
            begin += 1
        found = _join_subject(lines, begin)
        if found is not None:
            return found
    body = next((i for i, line in enumerate(first_page) if _SUBJECT_STOP.match(line.text)), None)
    if body is None:
        return None
    index = body - 1
    while index >= 0 and _REFERENCE_LINE.match(first_page[index].text):
        index -= 1
    lines = []
    while index >= 0 and len(lines) < 3 and not _is_subject_boundary(first_page[index]):
        lines.insert(0, first_page[index])
        index -= 1
    return _join_subject(lines, lines[0].start) if lines else None


def _period(text: DocumentText) -> tuple[Found, Found] | None:
    """The period: `vom … bis …` after its label, else a table's `von | bis` columns or a labelled row with two
    dates, else the months it runs through (`für die Monate Januar bis Juni 2025`)."""
    for match in _PERIOD.finditer(text.text):
        start_dates, end_dates = find_dates(match.group(1)), find_dates(match.group(2))
        if start_dates and end_dates and start_dates[0][0] <= end_dates[0][0]:
            return (
                Found(start_dates[0][0], match.start(1), match.end(1)),
                Found(end_dates[0][0], match.start(2), match.end(2)),
            )
    return _period_of_dates(text) or _period_in_table(text) or _period_in_months(text)


# Two dates joined as a span (`01.04.2025 – 31.03.2026`, `1. April 2025 bis zum 31. März 2026`), and the words
# that open a period before the first (`vom`, `ab dem`, `Zeitraum:`, `Geltungsdauer:`, `gültig`).
_SPAN_JOIN = re.compile(r"\s*(?:bis(?:\s+(?:zum|einschließlich|einschl\.|Ende))?|[-–—]+)\s*", re.IGNORECASE)
_SPAN_LEAD = re.compile(
    r"(?:\bvo[mn]|\bab(?:\s+de[mn])?|zeitraum|Zeit|Geltungsdauer|gültig|gilt)\s*:?\s*$", re.IGNORECASE
)


def _period_of_dates(text: DocumentText) -> tuple[Found, Found] | None:
    """Two dates written as a span, the first opened by a period word; else the first span without one."""
    dates = find_dates(text.text)
    spans = []
    for (first, a, b), (last, c, d) in itertools.pairwise(dates):
        if first <= last and _SPAN_JOIN.fullmatch(text.text[b:c]):
            lead = bool(_SPAN_LEAD.search(text.text[max(0, a - 30) : a]))
            spans.append((not lead, Found(first, a, b, 0.9 if lead else 0.7), Found(last, c, d, 0.9 if lead else 0.7)))
    if not spans:
        return None
    _, start, end = min(spans, key=lambda span: (span[0], span[1].start))
    return start, end


_PERIOD_LABEL = re.compile(r"(?:Bewilligungs|Leistungs)?zeitraum\b", re.IGNORECASE)
_FROM_TO_HEADER = re.compile(r"(?:^|\s)(?:von|ab|Beginn)\s+(?:\S+\s+){0,3}?(?:bis|Ende)(?:\s|$)", re.IGNORECASE)


def _date_pair(text: DocumentText, line: Line) -> tuple[Found, Found] | None:
    dates = find_dates(line.text)
    if len(dates) >= 2 and dates[0][0] <= dates[1][0]:
        (first, a, b), (last, c, d) = dates[:2]
        return Found(first, line.start + a, line.start + b, 0.85), Found(last, line.start + c, line.start + d, 0.85)
    return None


def _period_in_table(text: DocumentText) -> tuple[Found, Found] | None:
    """A calculation table's period: a row labelled `Bewilligungszeitraum` holding two dates, or a header row
    `… von … bis …` (no digits) with the dates in the first row under it that holds two."""
    lines = text.lines
    for index, line in enumerate(lines):
        if _PERIOD_LABEL.search(line.text) and (pair := _date_pair(text, line)):
            return pair
        header = len(line.text.split()) <= 8 and not any(ch.isdigit() for ch in line.text)  # a table's, not prose
        if header and _FROM_TO_HEADER.search(line.text):
            for below in lines[index + 1 : index + 4]:
                if below.page == line.page and (pair := _date_pair(text, below)):
                    return pair
    return None


_DE_MONTHS = (
    ("Januar", "Jänner"),
    ("Februar",),
    ("März", "Marz", "Maerz"),
    ("April",),
    ("Mai",),
    ("Juni",),
    ("Juli",),
    ("August",),
    ("September",),
    ("Oktober",),
    ("November",),
    ("Dezember",),
)
_MONTH_NUMBER = {name.lower(): number for number, names in enumerate(_DE_MONTHS, start=1) for name in names}
_MONTH = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_MONTH_SPAN = re.compile(
    rf"(?:Monate?|Zeit\s+von|zeitraum:?|von|ab)\s+({_MONTH})(?:\s+((?:19|20)\d\d))?\s*"
    rf"(?:bis(?:\s+einschließlich|\s+einschl\.|\s+zum|\s+Ende)?|[-–—])\s*({_MONTH})\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _period_in_months(text: DocumentText) -> tuple[Found, Found] | None:
    """`für die Monate Januar bis Juni 2025`, `Zeitraum: Juli 2025 – Dezember 2025`: from the first day of the
    first month to the last day of the last. A year given only once is the last month's (and the year before
    for a first month later in the year than the last)."""
    import calendar

    match = _MONTH_SPAN.search(text.text)
    if match is None:
        return None
    first, last = _MONTH_NUMBER[match.group(1).lower()], _MONTH_NUMBER[match.group(3).lower()]
    end_year = int(match.group(4))
    start_year = int(match.group(2)) if match.group(2) else end_year - (first > last)
    if (start_year, first) > (end_year, last):
        return None
    end_day = calendar.monthrange(end_year, last)[1]
    return (
        Found(
            f"{start_year:04d}-{first:02d}-01", match.start(1), match.end(2) if match.group(2) else match.end(1), 0.8
        ),
        Found(f"{end_year:04d}-{last:02d}-{end_day:02d}", match.start(3), match.end(4), 0.8),
    )


def _amount(text: DocumentText) -> Found | None:
    # The monthly total of the calculation table, found by position: OCR often reads such a table column
    # by column, so the amount is not the next text after its label.
    for total in _TOTAL_LABEL.finditer(text.text):
        found = value_near(text, total.start(), total.end(), normalise_amount, lambda _: False)
        if found is not None:
            return found
    best: Found | None = None
    for lead in _AMOUNT_LEAD.finditer(text.text):
        window = text.text[lead.end() : lead.end() + 40]
        money = _MONEY.search(window)
        value = normalise_amount(money.group(0)) if money else None
        if money and value:
            found = Found(value, lead.end() + money.start(), lead.end() + money.end())
            if _TOTAL_LABEL.fullmatch(lead.group(0)):
                return found
            best = best or found
    if best is None:
        money = next((m for m in _MONEY.finditer(text.text) if normalise_amount(m.group(0))), None)
        value = normalise_amount(money.group(0)) if money else None
        if money and value:
            # the first sum of money on the page is a guess; where a total row is printed but its amount could
            # not be read, it is a row's amount above the total: shown to a clerk
            guess = _GUESS_UNDER_TOTAL if _TOTAL_LABEL.search(text.text) else 0.5
            best = Found(value, money.start(), money.end(), guess)
    return best


def legal_basis(text: str) -> str | None:
    """The law a notice rests on, as `AufenthG § 25 Abs. 2`, `AsylbLG`, `SGB II`."""
    for match in _LAW.finditer(text):
        if match.group(1):
            law = match.group(2)
            law = "AufenthG" if law.startswith(("Aufenthaltsgesetz", "AufenthG")) else re.sub(r"\s+", " ", law)
            if law == "AufenthG":
                return f"AufenthG {' '.join(match.group(1).split())}"
            continue
        law = match.group(3) or match.group(4)
        if law:
            law = "AsylbLG" if law.startswith("Asylbewerber") else " ".join(law.replace("SGB", "SGB ").split())
            return law
    return None


# Shapes of a value misread or cut (see `classifiers.value_shapes`): rare in the tuning families, so the review
# model has no examples to weigh them by. The rule that read the value is made unsure instead, below the floor
# under which a field is always shown to a clerk: a value that shows a slip is never filed as certain.
_SLIPS = ("dangling_end", "roman_slip", "umlaut_lost", "reference_words")
_SLIP_CERTAINTY = FIELD_REVIEW_CONFIDENCE - 0.05


def _doubted(name: str, found: Found | None) -> Found | None:
    if found is None or not isinstance(found.value, str):
        return found
    doubts = shape_doubts(name, found.value, None, ())
    if any(doubts.get(slip) for slip in _SLIPS):
        return replace(found, certainty=min(found.certainty, _SLIP_CERTAINTY))
    return found


def extract_notice(text: DocumentText, doc: Any) -> FieldSet:
    """The notice fields of a document, each with provenance; missing or invalid ones are noted."""
    labels = label_spans(doc, "notice")
    out = FieldSet(text=text, fields={}, notes=[])
    out.put("authority", _doubted("authority", authority(text)))
    number = _file_number(text, labels)
    number_doubt = file_number_doubt(str(number.value)) if number is not None else None
    out.put("file_number", doubted(number, number_doubt))
    decided, period = _notice_date(text, labels), _period(text)
    first, last = period if period is not None else (None, None)
    dates = date_doubts(*(found.value if found else None for found in (decided, first, last)))
    out.put("notice_date", doubted(decided, dates.get("notice_date")))
    recipient = recipient_of(text)
    name_doubt = recipient_doubt(text, str(recipient.value)) if recipient is not None else None
    out.put("recipient_name", doubted(recipient, name_doubt))
    out.put("subject", _doubted("subject", _subject(text, labels)))
    out.put("period_start", first)
    out.put("period_end", doubted(last, dates.get("period_end")))
    amount = _amount(text)
    money_doubt = amount_doubt(text, amount) if amount is not None else None
    out.put("amount_eur", doubted(amount, money_doubt))
    doubts = {"file_number": number_doubt, "recipient_name": name_doubt, "amount_eur": money_doubt, **dates}
    out.notes.extend(f"{name}: {reason}; please check it" for name, reason in doubts.items() if reason)
    basis = legal_basis(repair_legal(text.text))
    if basis:
        match = text.text.find(basis.split()[0])
        out.put("legal_basis", Found(basis, max(0, match), max(0, match) + len(basis), 0.9))
    out.require(NOTICE_FIELDS)
    return out
