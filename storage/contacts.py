"""The one contact person (zentrale Ansprechperson) of each person: a team (Sozialraum).

A person gets one when the dispatcher first sees them (right after the record is created), by the
postcode or municipality of their address and the shipped mapping (`storage/teams.yaml`, or
`Settings.teams_file`; validated strictly). Clerks may change it with a reason; every change is audited.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.errors import AccessDenied, ConfigError, InvalidRequest, NotFound
from schemas.record import Actor, Role
from schemas.tasks import ContactPersonView
from storage import audit, handover
from storage.models import ContactPerson, Document, Person, Record
from storage.policy import Policy, ReadScope

SHIPPED_TEAMS = Path(__file__).with_name("teams.yaml")
_CHANGERS = {Role.CLERK, Role.LEAD}


class Teams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1, le=1)
    default: str = Field(min_length=1)
    teams: tuple[str, ...] = Field(min_length=1)
    by_postcode: dict[str, str] = Field(default_factory=dict)
    by_municipality: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_teams(self) -> Teams:
        named = {self.default, *self.by_postcode.values(), *self.by_municipality.values()}
        unknown = sorted(named - set(self.teams))
        if unknown:
            raise ValueError(f"teams {unknown} are used but not listed under `teams`")
        bad = sorted(p for p in self.by_postcode if not re.fullmatch(r"\d{1,5}", p))
        if bad:
            raise ValueError(f"postcodes {bad} are not 1-5 digits")
        return self

    @classmethod
    def load(cls, path: Path | None = None) -> Teams:
        source = path or SHIPPED_TEAMS
        try:
            return cls.model_validate(yaml.safe_load(source.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise ConfigError(
                f"the team mapping {source} is not valid: {exc}; fix it or unset DACH_TEAMS_FILE."
            ) from exc

    def team_for(self, address: str | None) -> tuple[str, str]:
        """The team for a normalised address ("street, 12345 town"), and why."""
        if address:
            found = re.search(r"(\d{5}) (\S+)$", address)
            if found:
                postcode, town = found.groups()
                for length in range(5, 0, -1):
                    team = self.by_postcode.get(postcode[:length])
                    if team:
                        return team, f"Postleitzahl {postcode}"
                team = self.by_municipality.get(town.lower())
                if team:
                    return team, f"Gemeinde {town}"
        return self.default, "keine Anschrift bekannt" if not address else "Anschrift ohne Zuordnung"


def _address_of(session: Session, person_id: str) -> str | None:
    from storage.dispatch import document_text  # the dispatcher owns how document text is read

    record = session.scalar(select(Record).where(Record.person_id == person_id))
    if record is None:
        return None
    docs = session.scalars(
        select(Document)
        .where(Document.record_id == record.id, Document.type == "registration_certificate")
        .where(Document.status.not_in(("withdrawn", "deleted")))
        .order_by(Document.created_at.desc())
    )
    for doc in docs:
        address = handover.address_in(document_text(session, doc))
        if address:
            return address
    return None


def assign_missing(session: Session, teams: Teams) -> int:
    """Give every person without a contact person one (run by the dispatcher; cheap when none is missing)."""
    missing = session.scalars(
        select(Person.id)
        .outerjoin(ContactPerson, ContactPerson.person_id == Person.id)
        .where(ContactPerson.person_id.is_(None))
        .limit(500)
    )
    count = 0
    for person_id in list(missing):
        team, why = teams.team_for(_address_of(session, person_id))
        session.add(
            ContactPerson(
                person_id=person_id,
                team=team,
                reason=f"automatisch: {why}",
                assigned_by="dispatcher",
                assigned_at=datetime.now(UTC),
            )
        )
        count += 1
    session.flush()
    return count


def _view(row: ContactPerson) -> ContactPersonView:
    at = row.assigned_at if row.assigned_at.tzinfo else row.assigned_at.replace(tzinfo=UTC)
    return ContactPersonView(
        person_id=row.person_id, team=row.team, reason=row.reason, assigned_by=row.assigned_by, assigned_at=at
    )


def view(session: Session, policy: Policy, person_id: str, actor: Actor) -> ContactPersonView | None:
    if session.get(Person, person_id) is None:
        raise NotFound(f"person {person_id} does not exist.")
    if policy.read_scope(actor) is not ReadScope.DEPARTMENT or not policy.readable_types(actor):
        audit.append(session, actor, "read_denied", "contact_person", person_id, person_id=person_id)
        raise AccessDenied(f"{actor.name} reads no records, so sees no contact person.")
    row = session.get(ContactPerson, person_id)
    audit.append(session, actor, "read", "contact_person", person_id, person_id=person_id)
    return _view(row) if row is not None else None


def change(
    session: Session, policy: Policy, teams: Teams, person_id: str, team: str, reason: str, actor: Actor
) -> ContactPersonView:
    if actor.role not in _CHANGERS or policy.read_scope(actor) is not ReadScope.DEPARTMENT:
        audit.append(session, actor, "contact_denied", "contact_person", person_id, person_id=person_id)
        raise AccessDenied(f"{actor.name} ({actor.role.value}) may not change contact persons.")
    if team not in teams.teams:
        raise InvalidRequest(f"there is no team {team!r}; teams are {list(teams.teams)}.")
    if not reason.strip():
        raise InvalidRequest("changing the contact person needs a reason.")
    if session.get(Person, person_id) is None:
        raise NotFound(f"person {person_id} does not exist.")
    row = session.get(ContactPerson, person_id)
    before = row.team if row else None
    if row is None:
        row = ContactPerson(person_id=person_id, team=team, reason="", assigned_by="", assigned_at=datetime.now(UTC))
        session.add(row)
    row.team, row.reason, row.assigned_by, row.assigned_at = team, reason.strip(), actor.name, datetime.now(UTC)
    audit.append(
        session,
        actor,
        "contact_change",
        "contact_person",
        person_id,
        person_id=person_id,
        details={"before": before, "team": team, "reason": reason.strip()},
    )
    session.flush()
    return _view(row)
