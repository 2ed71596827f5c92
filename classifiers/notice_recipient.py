"""The recipient of a notice: the addressee in the address window (DIN 5008), or the name the salutation gives.

The address window sits top left, above the subject; the information block (date, file number, contact person,
telephone) sits at the right, at the same height. OCR often interleaves the two, so a line under a title
(`Frau`, `Herrn`) or above a street may be the information block's. The address lines share one left edge: a
name is only taken from the address window's column, and never where it is a label of any label table
(`Ansprechpartner`, `Datum:`) or the contact person's line (`Ansprechpartner: Ortrun Schäfer`): the contact
person is a clerk of the office, never the person the notice is for.
"""

from __future__ import annotations

import re
from functools import cache

from classifiers.extract import Found, group_text, groups
from classifiers.label_tables import CERTIFICATE_LABELS, EXTRA_LABELS, KEY_VALUE_LABELS, NOTICE_LABELS
from classifiers.lexicon import fold
from classifiers.normalise import normalise_name
from classifiers.text import DocumentText, Line
from schemas.documents import Word

# "Herrn" is often read "Herm" (rn → m), the commonest OCR slip in an address block.
ADDRESS_TITLES = frozenset({"Frau", "Herrn", "Herr", "Herm", "Hern", "An Frau", "An Herrn", "Familie"})
POSTCODE_TOWN = re.compile(r"^(?:D-)?\d{5}\s+[^\d\s]")
_SALUTATION = re.compile(r"Sehr geehrte[r]?\s+(?:Frau|Herr|Herrn)\s+([^\s,]+)\s*,")
_NAME_TOKEN = re.compile(r"^[A-ZÄÖÜÀ-ÝĀ-ſ][\w'’-]*$")
# The lines of an address window start at one left edge; OCR's boxes of one column differ by a few pixels, the
# information block beside it starts a third of the page further right.
_COLUMN_TOLERANCE = 0.03
# An address line's name and the lines a reader skips for it: the information block's lines OCR put between
# the title and the name, or between the name and the street.
_LINES_SKIPPED = 2

Group = list[tuple[int, int, Word]]


def _squeeze(text: str) -> str:
    """A label or a name's text folded to lower case without diacritics, punctuation and spaces."""
    return re.sub(r"[\W_]+", "", fold(text).casefold())


@cache
def _labels() -> frozenset[str]:
    """Every label of every label table, squeezed: a name that is one of them is a label read as a name."""
    tables = (NOTICE_LABELS, CERTIFICATE_LABELS, KEY_VALUE_LABELS, EXTRA_LABELS)
    return frozenset(_squeeze(label) for table in tables for labels in table.values() for label in labels)


@cache
def _one_word_labels() -> frozenset[str]:
    """The labels of one word of four letters or more (`Ansprechpartner`, `Bearbeiter`, `Datum`): a name holding
    one has a label run into it. (A word of a longer label, `Grund` of `auf Grund`, is also a surname.)"""
    return frozenset(label for label in _labels() if len(label) >= 4 and label.isalpha())


@cache
def _contact_labels() -> frozenset[str]:
    """The labels of persons other than the one a document is for (`Ansprechpartner`, `Bearbeiter`, parents,
    translators), squeezed."""
    return frozenset(_squeeze(label) for label in KEY_VALUE_LABELS["other_person"])


# No contact label is longer than four words (`Name of the father`).
_LONGEST_CONTACT_LABEL = 4


def _contact_label_length(words: list[str]) -> int:
    """How many of `words`, from the first, are a contact (other person's) label; 0 if they start with none. Whole
    words only: `Vatermann` is a surname, not `Vater` and more."""
    for count in range(min(len(words), _LONGEST_CONTACT_LABEL), 0, -1):
        if _squeeze(" ".join(words[:count])) in _contact_labels():
            return count
    return 0


def is_label(text: str) -> bool:
    """Whether `text` is a label of a label table rather than a value (`Ansprechpartner:`, `Name`)."""
    return _squeeze(text) in _labels()


def opens_with_contact_label(words: list[str]) -> bool:
    """Whether a line of `words` starts with a contact person's label (`Ansprechpartner Rigo Mosemann`, its
    colon lost): a row of the information block, never a heading's words. (Other labels of one word are
    words of a heading too: `nach`, `gemäß`.)"""
    return _contact_label_length(words) > 0


def label_word(name: str) -> str | None:
    """A word of `name` that is a label of one word by itself (`Ansprechpartner`), or None."""
    return next((w for w in name.split() if _squeeze(w) in _one_word_labels()), None)


def first_page(text: DocumentText) -> list[Line]:
    """The lines of a document's first page, where the address window and the information block are."""
    return [line for line in text.lines if line.page == text.lines[0].page] if text.lines else []


def contact_names(text: DocumentText) -> set[str]:
    """The names after a contact person's label (`Ansprechpartner: Ortrun Schäfer`, or the label over the name),
    squeezed: the office's clerks, never the notice's recipient."""
    out: set[str] = set()
    lines = first_page(text)
    for index, line in enumerate(lines):
        for group in groups(line):
            words = [e[2].text for e in group]
            count = _contact_label_length(words)
            if not count:
                continue
            if rest := " ".join(words[count:]).strip(" :"):
                out.add(_squeeze(rest))
            elif below := _aligned_group(lines[index + 1 : index + 2], group):
                out.add(_squeeze(group_text(below)))
    return out


def not_the_recipient(text: DocumentText, name: str) -> bool:
    """Whether `name` cannot be the recipient: it is a label, holds a label's colon, starts with a contact
    person's label, or is the name written after one."""
    return (
        is_label(name)
        or any(word.endswith(":") for word in name.split())
        or _contact_label_length(name.split()) > 0
        or _squeeze(name) in contact_names(text)
    )


def _left(group: Group) -> float:
    return group[0][2].bbox.x0


def _aligned_group(lines: list[Line], anchor: Group) -> Group | None:
    """The first group among `lines` that starts at the left edge of `anchor` (the same column)."""
    for line in lines:
        for group in groups(line):
            if abs(_left(group) - _left(anchor)) <= _COLUMN_TOLERANCE:
                return group
    return None


# The titles an address line may print before the name on the same line (`Herrn Farid Ahmadi`); `Familie` is
# not one: `Familie Ahmadi` names the household, not a person.
_PERSONAL_TITLES = frozenset({"Frau", "Herrn", "Herr", "Herm", "Hern"})


def _name_of(text: DocumentText, group: Group | None) -> tuple[str, Group] | None:
    """The name a group of an address line holds (without a title before it) and its words, or None where it is a
    label or the contact person's."""
    if group and len(group) > 1 and group[0][2].text.strip(",.") in _PERSONAL_TITLES:
        group = group[1:]
    if not group:
        return None
    name = normalise_name(group_text(group))
    if not name or name in ADDRESS_TITLES or not_the_recipient(text, group_text(group)):
        return None
    return name, group


def recipient(text: DocumentText) -> Found | None:
    """The recipient: by the salutation's surname, under a title, over a street and town, over a one-line
    address; else the salutation's surname alone (unsure)."""
    found = (
        _recipient_by_salutation(text)
        or _recipient_after_title(text)
        or _recipient_above_address(text)
        or _recipient_over_one_line_address(text)
    )
    if found is not None:
        return found
    match = _SALUTATION.search(text.text)
    if match:
        return Found(match.group(1), match.start(1), match.end(1), 0.4)
    return None


def _recipient_by_salutation(text: DocumentText) -> Found | None:
    """The name in the address block that ends with the surname of the salutation ("Sehr geehrte Frau X,").

    OCR often interleaves the address block with the information block beside it; the salutation names
    the surname reliably, and the address line holding it gives the given names in front of it.
    """
    match = _SALUTATION.search(text.text)
    if not match:
        return None
    surname = match.group(1)
    for line in text.lines:
        if line.start >= match.start():
            break
        words = [entry for entry in line.words if entry[2].text.strip(",.:;") == surname]
        if not words:
            continue
        end_index = line.words.index(words[0])
        start_index = end_index
        while start_index > 0 and end_index - start_index < 3:
            token = line.words[start_index - 1][2].text
            if not _NAME_TOKEN.match(token) or token in ADDRESS_TITLES or is_label(token):
                break
            start_index -= 1
        if start_index == end_index or any(
            _contact_label_length([e[2].text for e in g]) for g in groups(line) if words[0] in g
        ):
            continue  # a surname alone is the salutation's weak fallback; a contact person's line is a clerk's
        first, last = line.words[start_index], line.words[end_index]
        name = normalise_name(" ".join(e[2].text for e in line.words[start_index : end_index + 1]))
        if name and not not_the_recipient(text, name):
            return Found(name, first[0], last[1], 0.9)
    return None


def _recipient_after_title(text: DocumentText) -> Found | None:
    """The name under a title line (`Frau`, `Herrn`): the next line that starts in the title's column."""
    lines = first_page(text)
    for index, line in enumerate(lines[:-1]):
        title = groups(line)[0]
        if group_text(title).strip(" ,.") not in ADDRESS_TITLES:
            continue
        for following in lines[index + 1 : index + 1 + _LINES_SKIPPED]:
            group = _aligned_group([following], title)
            if group is None:
                continue  # the information block's line, between the title and the name
            named = _name_of(text, group)
            if named:
                return Found(named[0], named[1][0][0], named[1][-1][1])
            break
    return None


def _recipient_above_address(text: DocumentText) -> Found | None:
    """DIN 5008 address block: name, street, postcode and town; the name is the line of the town's column two
    above it (lines of the information block in between are skipped)."""
    lines = first_page(text)
    for index, line in enumerate(lines):
        town = groups(line)[0]
        if not POSTCODE_TOWN.match(group_text(town)):
            continue
        above = list(reversed(lines[max(0, index - 1 - 2 * _LINES_SKIPPED) : index]))
        column = [g for g in (_aligned_group([a], town) for a in above) if g is not None]
        if len(column) < 2 or not re.search(r"\d", group_text(column[0])):
            continue
        named = _name_of(text, column[1])
        if named:
            return Found(named[0], named[1][0][0], named[1][-1][1], 0.85)
    return None


# An address on one line (`Beierstr. 110, 06108 Halle (Saale)`), as forms print it under the name.
_ONE_LINE_ADDRESS = re.compile(r"\s\d{1,4}\s?[a-zA-Z]?\s*,\s*(?:D-)?\d{5}\s+[^\d\s]")
_BOX_EDGE = " |[]"
_ADDRESS_LABEL = re.compile(r"^(?:Anschrift|Adresse|Wohnanschrift|Wohnort|Straße|Postanschrift)\b", re.IGNORECASE)


def _recipient_over_one_line_address(text: DocumentText) -> Found | None:
    """The name on the line above a one-line address (lines of a box's border in between are skipped)."""
    lines = first_page(text)
    for index, line in enumerate(lines):
        if not _ONE_LINE_ADDRESS.search(line.text) or index == 0:
            continue
        above = index - 1
        while above > 0 and (
            len(lines[above].text.strip(_BOX_EDGE + "-_L")) <= 2
            or _ADDRESS_LABEL.match(lines[above].text.strip(_BOX_EDGE))
        ):
            above -= 1
        group = [e for e in groups(lines[above])[0] if e[2].text.strip(_BOX_EDGE)]
        named = _name_of(text, group)
        if named and named[0].split()[0] not in ADDRESS_TITLES and len(named[0].split()) <= 5:
            return Found(named[0], named[1][0][0], named[1][-1][1], 0.8)
    return None
