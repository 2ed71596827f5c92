"""Shapes of the work that moves between departments: tasks in a department's inbox (Postkorb), follow-ups
(Wiedervorlagen), visits (Vorsprachen), contact persons and the dispatcher's report.

A `TaskView` is what a department sees of a task. Need-to-know holds here too: a task about a document of a
type the department may not read says that such a task exists and what to do, never the document's type,
fields or text (`document_readable` is False and `document_type` is None then).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field, computed_field

from schemas.documents import DocumentType, Frozen
from schemas.record import Department

#: How an undated task sorts in the inbox (after every dated one); `storage` stores it as `due_sort`.
UNDATED = "9999-12-31"


class MergeOutcome(Frozen):
    """What merging a duplicate record into the kept one moved (`Archive.merge_persons`)."""

    person_id: str
    merged_person_id: str
    documents: tuple[str, ...]
    matters_moved: int
    matters_absorbed: int


class TaskStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"


class TaskEntry(Frozen):
    """One step in a task's life (created, claimed, assigned, forwarded, done), with its note."""

    at: datetime
    actor: str
    action: str
    note: str = ""
    department: Department | None = None


class TaskView(Frozen):
    id: str
    department: Department
    rule: str
    kind: str
    title: str
    document_id: str | None = None
    document_type: DocumentType | None = Field(default=None, description="None if the department may not read it")
    document_readable: bool = False
    person_id: str | None = None
    person_name: str | None = Field(default=None, description="only for departments that read a document of it")
    contact_team: str | None = None
    due_date: date | None = None
    status: TaskStatus
    assignee: str | None = None
    note: str = ""
    overdue: bool = False
    created_at: datetime
    history: tuple[TaskEntry, ...] = ()

    @computed_field  # type: ignore[prop-decorator]  # in the API's JSON too, for its `after`
    @property
    def cursor(self) -> str:
        """Where this task stands in the inbox order (`due_sort/id`): pass it as `after` for the next page."""
        return f"{self.due_date.isoformat() if self.due_date else UNDATED}/{self.id}"

    def to_contract(self) -> dict[str, object]:
        """The shape of `dach tasks --json`."""
        return {
            "id": self.id,
            "department": self.department.value,
            "rule": self.rule,
            "kind": self.kind,
            "title": self.title,
            "document_id": self.document_id,
            "person_id": self.person_id,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "status": self.status.value,
        }


class TaskCounts(Frozen):
    """For the header: open and claimed tasks of the department, those due today or earlier, mine."""

    open: int = 0
    due: int = 0
    mine: int = 0


class TaskAction(StrEnum):
    CLAIM = "claim"
    ASSIGN = "assign"
    FORWARD = "forward"
    DONE = "done"
    REOPEN = "reopen"


class TaskChange(Frozen):
    action: TaskAction
    note: str = Field(default="", max_length=2000)
    assignee: str | None = Field(default=None, max_length=120, description="assign: the colleague's user name")
    department: Department | None = Field(default=None, description="forward: the department it goes to")


class FollowUpRequest(Frozen):
    """A Wiedervorlage: look at this document or person again on a date."""

    document_id: str | None = None
    person_id: str | None = None
    due_date: date
    note: str = Field(min_length=1, max_length=2000)


class VisitConcern(Frozen):
    department: Department
    note: str = Field(min_length=1, max_length=2000)


class VisitRequest(Frozen):
    person_id: str
    concerns: tuple[VisitConcern, ...] = Field(min_length=1, max_length=20)


class VisitView(Frozen):
    id: str
    person_id: str
    opened_by: str
    opened_at: datetime
    tasks: tuple[str, ...] = ()


class ContactPersonView(Frozen):
    """The one contact person (zentrale Ansprechperson) of a person: a team (Sozialraum)."""

    person_id: str
    team: str
    reason: str
    assigned_by: str
    assigned_at: datetime


class DispatchReport(Frozen):
    events: int = Field(description="events dispatched in this run")
    tasks: int = Field(description="tasks created")
    pending: int = Field(description="events still pending afterwards")
    closed: int = Field(default=0, description="review tasks closed because their review was done")
