"""Hand-over rules (Rechtskreisübergänge): which department must act when the record changes.

The rules live in a versioned file shipped with dach (`storage/handover_rules.yaml`, or
`Settings.handover_rules_file`), validated strictly like the access policy: an unknown key, department,
document type or event stops dach at start-up instead of silently dropping a hand-over. Each rule has a
trigger (record event + document type + conditions on the document and its person), the departments it
concerns, what they are asked to do (zur Kenntnis / zur Bearbeitung), a due-date rule and the dates between
which it is law. Laws change on fixed days, so a rule applies when the *change of the record* happened on a
day inside its validity, whatever day the dispatcher runs.

Evaluation is pure: `matches(rule, facts)` looks at `Facts`, which the dispatcher gathers from the record.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from schemas.documents import DocumentType
from schemas.errors import ConfigError
from schemas.record import Department, LegalArea

SHIPPED_RULES = Path(__file__).with_name("handover_rules.yaml")

#: Record events a rule may be triggered by, and the scheduled expiry check.
RULE_EVENTS = frozenset(
    {
        "document_filed",
        "document_corrected",
        "document_moved",
        "person_assigned",
        "persons_merged",  # record-wide: the rules look at every document of the merged record
        "expiry",  # the daily check of expiry dates (see `expiry_stage`)
    }
)


class Action(StrEnum):
    """What the department is asked to do."""

    FOR_INFORMATION = "zur_kenntnis"
    FOR_ACTION = "zur_bearbeitung"


class TaskKind(StrEnum):
    HANDOVER = "handover"  # zur Bearbeitung
    INFO = "info"  # zur Kenntnis
    REVIEW = "review"  # a document awaits review
    EXPIRY = "expiry"  # an identity document or permit expires
    FOLLOW_UP = "follow_up"  # Wiedervorlage set by a clerk
    CONCERN = "concern"  # a concern noted at a visit (Vorsprache)


class Targets(StrEnum):
    """Departments found on the record rather than named in the rule."""

    MATTER = "matter"  # the department whose matter the document goes to
    OPEN_MATTERS = "open_matters"  # every department with a matter of the person


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Trigger(_Strict):
    events: frozenset[str] = Field(min_length=1)
    document_types: frozenset[DocumentType] = frozenset()  # empty: any type
    status: Literal["filed", "needs_review"] | None = "filed"
    text_matches: tuple[str, ...] = Field(default=(), description="regular expressions; one must match")
    person_has_matter: frozenset[LegalArea] = frozenset()  # one of them
    person_lacks_matter: frozenset[LegalArea] = frozenset()  # none of them
    person_age_under: int | None = Field(default=None, ge=1, le=130)
    issued_after: date | None = None
    issued_on_or_before: date | None = None
    first_of_kind: bool = Field(default=False, description="no earlier document of the person matched the rule")
    new_address: bool = False
    expiry_days_before: int | None = Field(default=None, ge=0, le=3650, description="0: expired")

    @field_validator("events")
    @classmethod
    def _known_events(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = sorted(value - RULE_EVENTS)
        if unknown:
            raise ValueError(f"unknown events {unknown}; known: {sorted(RULE_EVENTS)}")
        return value

    @field_validator("text_matches")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            re.compile(pattern)
        return value

    @model_validator(mode="after")
    def _expiry_alone(self) -> Trigger:
        if ("expiry" in self.events) != (self.expiry_days_before is not None):
            raise ValueError("expiry_days_before goes with the event `expiry`, and only with it")
        return self


class Due(_Strict):
    end_of_month: bool = False
    days: int | None = Field(default=None, ge=0, le=3650)

    @model_validator(mode="after")
    def _one(self) -> Due:
        if self.end_of_month and self.days is not None:
            raise ValueError("a due rule is either end_of_month or days, not both")
        return self


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]{3,80}$")
    title: str = Field(min_length=3, max_length=300)
    description: str = ""
    valid_from: date
    valid_until: date | None = None
    trigger: Trigger
    departments: frozenset[Department] = frozenset()
    departments_of: Targets | None = None
    action: Action
    kind: TaskKind | None = Field(default=None, description="default: handover or info by the action")
    due: Due = Due()
    once_per: Literal["event", "document", "person"] = "event"

    @model_validator(mode="after")
    def _targets(self) -> Rule:
        if not self.departments and self.departments_of is None:
            raise ValueError(f"rule {self.id} concerns no department; set departments or departments_of")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"rule {self.id} ends before it starts")
        return self

    @property
    def task_kind(self) -> TaskKind:
        if self.kind is not None:
            return self.kind
        return TaskKind.HANDOVER if self.action is Action.FOR_ACTION else TaskKind.INFO

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class HandoverRules(_Strict):
    version: int = Field(ge=1, le=1)
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> HandoverRules:
        ids = [r.id for r in self.rules]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"rule ids used twice: {twice}")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> HandoverRules:
        source = path or SHIPPED_RULES
        try:
            return cls.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError, re.error) as exc:
            raise ConfigError(
                f"the hand-over rules {source} are not valid: {exc}; fix them or unset DACH_HANDOVER_RULES_FILE."
            ) from exc

    def for_event(self, event: str) -> list[Rule]:
        return [r for r in self.rules if event in r.trigger.events]

    def expiry_thresholds(self) -> list[int]:
        """Days before expiry at which rules ask for a follow-up (0: expired), largest first."""
        days = {r.trigger.expiry_days_before for r in self.rules if r.trigger.expiry_days_before is not None}
        return sorted(days, reverse=True)


# --- facts and matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the dispatcher knows about one change: the document as it is now and its person's record."""

    event: str
    day: date = field(metadata={"doc": "the day the change happened (validity is judged on it)"})
    document_type: DocumentType | None = None
    status: str | None = None
    text: str = ""
    issue_date: date | None = None
    person_birth_date: date | None = None
    person_legal_areas: frozenset[LegalArea] = frozenset()
    earlier_documents: tuple[tuple[DocumentType, str], ...] = ()  # type and text of the person's earlier ones
    address: str | None = None
    earlier_addresses: frozenset[str] = frozenset()
    expiry_days_before: int | None = None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _text_matches(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _earlier_match(trigger: Trigger, kind: DocumentType, text: str) -> bool:
    same_type = not trigger.document_types or kind in trigger.document_types
    return same_type and (not trigger.text_matches or _text_matches(trigger.text_matches, text))


def matches(rule: Rule, facts: Facts) -> bool:
    """Whether the rule applies to this change (validity judged on the day of the change)."""
    t = rule.trigger
    checks = (
        lambda: facts.event in t.events and rule.valid_on(facts.day),
        lambda: not t.document_types or facts.document_type in t.document_types,
        lambda: t.status is None or facts.status == t.status,
        lambda: not t.text_matches or _text_matches(t.text_matches, facts.text),
        lambda: not t.person_has_matter or bool(t.person_has_matter & facts.person_legal_areas),
        lambda: not (t.person_lacks_matter & facts.person_legal_areas),
        lambda: (
            t.person_age_under is None
            or (facts.person_birth_date is not None and age_on(facts.person_birth_date, facts.day) < t.person_age_under)
        ),
        lambda: t.issued_after is None or (facts.issue_date is not None and facts.issue_date > t.issued_after),
        lambda: (
            t.issued_on_or_before is None
            or (facts.issue_date is not None and facts.issue_date <= t.issued_on_or_before)
        ),
        lambda: not t.first_of_kind or not any(_earlier_match(t, kind, text) for kind, text in facts.earlier_documents),
        lambda: not t.new_address or (facts.address is not None and facts.address not in facts.earlier_addresses),
        lambda: t.expiry_days_before is None or facts.expiry_days_before == t.expiry_days_before,
    )
    return all(check() for check in checks)


def due_date(rule: Rule, day: date, *, expiry: date | None = None) -> date | None:
    """When the task is due: end of the month of the change, some days after it, or the follow-up date."""
    if rule.trigger.expiry_days_before is not None and expiry is not None:
        return max(day, expiry - timedelta(days=rule.trigger.expiry_days_before))
    if rule.due.end_of_month:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if rule.due.days is not None:
        return day + timedelta(days=rule.due.days)
    return None


def expiry_stage(thresholds: list[int], expiry: date, today: date) -> int | None:
    """The most urgent threshold crossed today: 0 once expired, else the smallest N with expiry - N <= today."""
    if expiry < today:
        return 0 if 0 in thresholds else None
    crossed = [n for n in thresholds if n > 0 and expiry - timedelta(days=n) <= today]
    return min(crossed) if crossed else None


# --- reading dates and addresses out of text -------------------------------------------------------------

_DATE = r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})|(\d{4})-(\d{2})-(\d{2})"
_ISSUED = re.compile(
    r"(?:ausgestellt\s+am|Ausstellungsdatum|Datum\s+der\s+Ausstellung|erteilt\s+am|date\s+of\s+issue)\s*:?\s*(?:"
    + _DATE
    + ")",
    re.IGNORECASE,
)
_SUFFIX = r"(?i:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer)"
_STREET = rf"(?:[A-ZÄÖÜ][\wäöüß\-]*{_SUFFIX}|[A-ZÄÖÜ][\wäöüß\-]+\s{_SUFFIX})"
_ADDRESS = re.compile(rf"({_STREET})\s*(\d+\s?[a-zA-Z]?)\b[,\s]+(\d{{5}})\s+([A-ZÄÖÜ][\wäöüß\-]+)")


def parse_day(value: object) -> date | None:
    """A date as ISO (2031-05-14) or German (14.05.2031); None if it is neither."""
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def issue_date_in(text: str) -> date | None:
    """The issue date printed after a label such as "ausgestellt am" (the MRZ carries none)."""
    found = _ISSUED.search(text)
    if found is None:
        return None
    g = found.groups()
    try:
        if g[0]:
            return date(int(g[2]), int(g[1]), int(g[0]))
        return date(int(g[3]), int(g[4]), int(g[5]))
    except ValueError:
        return None


def address_in(text: str) -> str | None:
    """The postal address (street and number, postcode, town), normalised for comparison; None if none."""
    found = _ADDRESS.search(text)
    if found is None:
        return None
    street, number, postcode, town = found.groups()
    street = re.sub(r"\s+", " ", street.strip().lower())
    street = re.sub(r"(straße|strasse|str\.)$", "str", street)
    return f"{street} {number.replace(' ', '').lower()}, {postcode} {town.lower()}"
