"""Which role may reach which kind of endpoint: the web layer's half of authorisation.

Every route declares one `Capability` through `deps.require`. This table decides whether the caller's role
may use it at all; which *documents* the caller may see (department × document type) is decided again
inside `storage/`, whose `AccessDenied` the app turns into 403. Deny by default: a role missing here may do
nothing but log in and out.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from schemas.record import Role


class Capability(StrEnum):
    INTAKE = "intake"  # upload stacks, follow batches
    REVIEW = "review"  # correct fields, confirm the person
    SEARCH = "search"  # search persons, documents and full text
    READ = "read"  # open a record, a document, its page images
    DOWNLOAD = "download"  # the original and the searchable PDF
    ARCHIVE = "archive"  # retention, legal hold, deletion requests, integrity
    AUDIT = "audit"  # read the audit log and verify the chain
    TASKS = "tasks"  # the department inbox: tasks, follow-ups, contact persons
    VISIT = "visit"  # open a visit (Vorsprache) and pass its concerns to the departments


ROLE_CAPABILITIES: Mapping[Role, frozenset[Capability]] = {
    # Front desk reads only what it filed and still awaits review (storage enforces the "what").
    Role.FRONT_DESK: frozenset(
        {Capability.INTAKE, Capability.REVIEW, Capability.READ, Capability.TASKS, Capability.VISIT}
    ),
    Role.CLERK: frozenset(
        {Capability.SEARCH, Capability.READ, Capability.DOWNLOAD, Capability.REVIEW, Capability.TASKS}
    ),
    Role.LEAD: frozenset(
        {Capability.SEARCH, Capability.READ, Capability.DOWNLOAD, Capability.REVIEW, Capability.TASKS}
    ),
    # The archive reads every type (to find what to hold or delete) but downloads nothing.
    Role.ARCHIVE_ADMIN: frozenset({Capability.ARCHIVE, Capability.AUDIT, Capability.SEARCH, Capability.READ}),
    Role.AUDITOR: frozenset({Capability.AUDIT}),
    # Other systems (through the API with a token): hand in stacks and follow them, nothing else.
    Role.SYSTEM: frozenset({Capability.INTAKE}),
}


def allows(role: Role | str, capability: Capability) -> bool:
    try:
        return capability in ROLE_CAPABILITIES.get(Role(role), frozenset())
    except ValueError:
        return False


def home_for(role: Role | str) -> str:
    """Where a user lands after login: the first page their role can use."""
    for capability, path in (
        (Capability.INTAKE, "/intake"),
        (Capability.ARCHIVE, "/admin"),
        (Capability.SEARCH, "/search"),
        (Capability.AUDIT, "/admin/audit"),
    ):
        if allows(role, capability):
            return path
    return "/login"
