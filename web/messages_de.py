"""German for the sentences other rooms write in English: review notes, person-match reasons, error details.

The classifiers and storage write their notes and reasons in English for the result contract (`dach extract
--json`, the API), where they are part of the interface. The screens show them through these functions: each
known sentence has a German form in `schemas/strings_de.py`, with field names as German labels, types as German
type names and dates as German dates. A sentence with no German form is replaced by a general German hint
(and logged), so English never reaches a clerk's screen.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from schemas.strings_de import T, german_date, label

log = logging.getLogger(__name__)

_IDENTIFIER = {"document number": "field.document_number", "file number": "field.file_number",
               "personal number": "field.personal_number", "certificate number": "field.certificate_number",
               "registration number": "field.registration_number"}  # fmt: skip
_WHAT = {"surname": "match.surname", "given name": "match.given_name", "name": "match.name",
         "second surname": "match.second_surname", "second given name": "match.second_given_name"}  # fmt: skip


def _fields(names: str) -> str:
    return ", ".join(label("field", n.strip()) for n in names.split(",") if n.strip())


def _percent(fraction: str) -> str:
    return str(round(float(fraction) * 100))


def _identifier(kind: str) -> str:
    key = _IDENTIFIER.get(kind.strip())
    return T.get(key, kind) if key else T["match.identifier"]


def _dates(a: str, b: str) -> str:
    return f"{german_date(a)}/{german_date(b)}"


Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

NOTES: list[Rule] = [
    (re.compile(r"^(\w+) read with low confidence \(([\d.]+)\); please check it$"),
     lambda m: T["note.low_confidence"].format(field=label("field", m[1]), percent=_percent(m[2]))),
    (re.compile(r"^(\w+) not found or not valid; please enter it$"),
     lambda m: T["note.missing"].format(field=label("field", m[1]))),
    (re.compile(r"^MRZ check digits fail \((.*)\): the fields are the best reading, check them by eye$"),
     lambda m: T["note.mrz_checks"].format(fields=_fields(m[1]) if m[1] != "layout" else T["note.mrz_layout"])),
    (re.compile(r"^the readings of the MRZ disagree on the name \(.*\): check it$"),
     lambda m: T["note.mrz_name"]),
    (re.compile(r"^the readings of the MRZ do not settle (.*) \(no check digit can tell the readings apart\): "
                r"check them by eye$"),
     lambda m: T["note.mrz_unsettled"].format(fields=_fields(m[1]))),
    (re.compile(r"^the printed data disagrees with the MRZ on: (.*)$"),
     lambda m: T["note.viz_mismatch"].format(fields=_fields(m[1]))),
    (re.compile(r"^the visual zone does not confirm (.*): the MRZ form may lack diacritics or letters cut off; "
                r"check the printed name$"),
     lambda m: T["note.viz_unconfirmed"].format(fields=" und ".join(label("field", n) for n in m[1].split(" and ")))),
    (re.compile(r"^an unreadable machine-readable zone was ignored: the text reads as (\w+)$"),
     lambda m: T["note.mrz_ignored"].format(type=label("type", m[1]))),
    (re.compile(r"^type unsure: best guess (\w+) \(([\d.]+)\); please choose the type$"),
     lambda m: T["note.type_unsure"].format(type=label("type", m[1]), percent=_percent(m[2]))),
    (re.compile(r"^no readable machine-readable zone; please check the document and enter its data$"),
     lambda m: T["note.no_mrz"]),
    (re.compile(r"^no text found on the page; is it blank or upside down\?$"), lambda m: T["note.no_text"]),
    (re.compile(r"^no OCR text is stored for these pages: .*$"), lambda m: T["note.no_stored_text"]),
]  # fmt: skip

REASONS: list[Rule] = [
    (re.compile(r"^names \+ birth date match$"), lambda m: T["match.names_birth"]),
    (re.compile(r"^birth date matches$"), lambda m: T["match.birth"]),
    (re.compile(r"^same document number and birth date$"), lambda m: T["match.number_birth"]),
    (re.compile(r"^(.+) \+ birth date( \+ nationality)? match$"),
     lambda m: T["match.id_birth_nat" if m[2] else "match.id_birth"].format(id=_identifier(m[1]))),
    (re.compile(r"^(.+) matches, no birth date to compare$"),
     lambda m: T["match.id_no_birth"].format(id=_identifier(m[1]))),
    (re.compile(r"^birth dates differ \((.*)/(.*)\)$"),
     lambda m: T["match.birth_differs"].format(dates=_dates(m[1], m[2]))),
    (re.compile(r"^nationalities differ \((.*)/(.*)\)$"), lambda m: T["match.nat_differs"].format(a=m[1], b=m[2])),
    (re.compile(r"^names do not match$"), lambda m: T["match.names_differ"]),
    (re.compile(r"^no birth date to compare$"), lambda m: T["match.no_birth"]),
    (re.compile(r"^given names and surname swapped$"), lambda m: T["match.swapped"]),
    (re.compile(r"^(surname|given name|name) variants \((.*)\)$"),
     lambda m: T["match.variants"].format(what=T[_WHAT[m[1]]], names=m[2])),
    (re.compile(r"^(surname|given name|name) matches across transliteration \((.*)\)$"),
     lambda m: T["match.transliteration"].format(what=T[_WHAT[m[1]]], names=m[2])),
    (re.compile(r"^(surname|given name|name) spelt slightly differently \((.*)\)$"),
     lambda m: T["match.spelling"].format(what=T[_WHAT[m[1]]], names=m[2])),
    (re.compile(r"^(second surname|second given name|name) (.+) missing on one side$"),
     lambda m: T["match.missing"].format(what=T[_WHAT[m[1]]], name=m[2])),
    (re.compile(r"^(.+) matches$"), lambda m: T["match.id"].format(id=_identifier(m[1]))),
    (re.compile(r"^(.+)s differ$"), lambda m: T["match.id_differs"].format(id=_identifier(m[1]))),
]  # fmt: skip


AUDIT_PROBLEMS: list[Rule] = [
    (re.compile(r"^entries (\d+)\.\.(\d+) are missing \(deleted\)$"),
     lambda m: T["verify.missing"].format(first=m[1], last=m[2])),
    (re.compile(r"^entry (\d+) does not follow the entry before it \(.*\)$"),
     lambda m: T["verify.not_following"].format(seq=m[1])),
    (re.compile(r"^entry (\d+) was changed after it was written \(hash mismatch\)$"),
     lambda m: T["verify.changed"].format(seq=m[1])),
    (re.compile(r"^the chain head row says (\S+), the entries end at (\S+) \(.*\)$"),
     lambda m: T["verify.head"].format(head=m[1], last=m[2])),
    (re.compile(r"^anchor (\S+) in the object store is unreadable$"),
     lambda m: T["verify.anchor_unreadable"].format(anchor=m[1])),
    (re.compile(r"^the object store anchors entry (\d+) but the trail ends at (\S+) \(truncated\)$"),
     lambda m: T["verify.truncated"].format(seq=m[1], last=m[2])),
    (re.compile(r"^entry (\d+) differs from its anchor in the object store \(the chain was rewritten\)$"),
     lambda m: T["verify.rewritten"].format(seq=m[1])),
]  # fmt: skip


def _translate(text: str, rules: list[Rule], fallback: str) -> str:
    for pattern, render in rules:
        m = pattern.match(text.strip())
        if m:
            try:
                return render(m)
            except KeyError:
                break
    log.info("no German form for %r; a general hint is shown", text)
    return T[fallback]


def note_de(text: str) -> str:
    """A review note of the classifiers in German."""
    return _translate(text, NOTES, "note.other")


def audit_problem_de(text: str) -> str:
    """A finding of the audit-chain check in German."""
    return _translate(text, AUDIT_PROBLEMS, "verify.other")


def reason_de(text: str) -> str:
    """A reason of the person matcher in German."""
    return _translate(text, REASONS, "match.other")


def version_reason_de(reason: str, kind: str) -> str:
    """The reason of a version: the clerk's own words, or the German name of what the system did."""
    if kind == "intake" and reason in ("intake", ""):
        return T["version.reason_intake"]
    return reason


_SYSTEM_ACTORS = {"intake": "version.author_intake", "console": "version.author_console",
                  "retention-sweep": "actor.retention_sweep"}  # fmt: skip


def author_de(author: str) -> str:
    """Who did something, as a clerk reads it: the German name of a system actor (the intake, the console and
    who sat at it, a department's notifications, the retention sweep), a user's login name as it stands."""
    if author in _SYSTEM_ACTORS:
        return T[_SYSTEM_ACTORS[author]]
    kind, _, who = author.partition(":")
    if kind == "console" and who:
        return T["actor.console_user"].format(user=who)
    if kind == "notify" and who:
        return T["actor.notify"].format(department=label("department", who))
    return author


def actor_de(name: str, role: str, department: str) -> str:
    """An actor of the audit trail in German: a system actor by what it is, a user by login name with role
    and department (`abh – Sachbearbeitung, Ausländerbehörde`)."""
    shown = author_de(name)
    if shown != name or role == "system":
        return shown
    return T["actor.user"].format(user=name, role=label("role", role), department=label("department", department))
