"""The work side of the archive facade: dispatching record events, the department inbox, follow-ups,
visits and contact persons. Mixed into `storage.archive.Archive`, so callers keep one facade::

    archive.dispatch() -> DispatchReport                    # pending record events -> tasks (idempotent)
    archive.event_bell() -> Bell | None                     # rings when an event is written (PostgreSQL)
    archive.check_expiry(today) -> int                      # daily: follow-ups before expiry dates
    archive.list_tasks(actor, department=None, every=False) -> list[TaskView]
    archive.task_counts(actor) -> TaskCounts
    archive.get_task(task_id, actor) / change_task(task_id, TaskChange, actor)
    archive.add_follow_up(FollowUpRequest, actor) -> TaskView
    archive.open_visit(VisitRequest, actor) -> VisitView
    archive.visit_batch(visit_id, actor) -> str            # the batch the visit's stack is scanned under
    archive.contact_person(person_id, actor) / set_contact_person(person_id, team, reason, actor)
    archive.retype_document(document_id, type, reason, actor) -> DocumentView   # front desk: own pending
    archive.merge_persons(duplicate_id, kept_id, reason, actor) -> MergeOutcome   # writes `persons_merged`
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import Literal, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from schemas.documents import DocumentType
from schemas.errors import AccessDenied
from schemas.record import Actor, Department, DocumentView
from schemas.tasks import (
    ContactPersonView,
    DispatchReport,
    FollowUpRequest,
    MergeOutcome,
    TaskChange,
    TaskCounts,
    TaskView,
    VisitRequest,
    VisitView,
)
from storage import bells, contacts, dispatch, notify, person_merge, retype, tasks
from storage.contacts import Teams
from storage.handover import HandoverRules
from storage.policy import Policy


class _Facade(Protocol):
    engine: Engine
    policy: Policy
    rules: HandoverRules
    teams: Teams

    def _tx(self) -> AbstractContextManager[Session]: ...

    def get_document(self, document_id: str, actor: Actor) -> DocumentView: ...


class WorkMixin:
    """Methods of `Archive` for the work that moves between departments (see the module docstring)."""

    def dispatch(self: _Facade, *, limit: int = 200) -> DispatchReport:
        """Dispatch pending record events until none is left (each batch one transaction)."""
        total_events = total_tasks = total_closed = 0
        while True:
            with self._tx() as session:
                contacts.assign_missing(session, self.teams)
                report = dispatch.dispatch(session, self.policy, self.rules, limit=limit)
            total_events += report.events
            total_tasks += report.tasks
            total_closed += report.closed
            if report.events < limit:
                return DispatchReport(
                    events=total_events, tasks=total_tasks, pending=report.pending, closed=total_closed
                )

    def event_bell(self: _Facade) -> bells.Bell | None:
        """A waiter for the bell every written record event rings, for a dispatcher that follows the record
        (`dach scheduler`); None where there is none (SQLite): dispatch on a schedule instead."""
        return bells.Bell(self.engine, bells.EVENTS) if bells.heard_on(self.engine.url) else None

    def check_expiry(self: _Facade, today: date | None = None) -> int:
        with self._tx() as session:
            return dispatch.check_expiry(session, self.policy, self.rules, today or date.today())

    def list_tasks(
        self: _Facade,
        actor: Actor,
        *,
        department: Department | None = None,
        every: bool = False,
        include_done: bool = False,
        limit: int = 100,
        offset: int = 0,
        after: str | None = None,
        today: date | None = None,
    ) -> list[TaskView]:
        with self._tx() as session:
            return tasks.list_tasks(
                session,
                self.policy,
                actor,
                department=department,
                every=every,
                include_done=include_done,
                limit=limit,
                offset=offset,
                after=after,
                today=today,
            )

    def task_counts(self: _Facade, actor: Actor) -> TaskCounts:
        with self._tx() as session:
            return tasks.counts(session, actor)

    def get_task(self: _Facade, task_id: str, actor: Actor) -> TaskView:
        with _committed_denial(self) as session:
            return tasks.get_task(session, self.policy, task_id, actor)

    def change_task(self: _Facade, task_id: str, change: TaskChange, actor: Actor) -> TaskView:
        with _committed_denial(self) as session:
            return tasks.change_task(session, self.policy, task_id, change, actor)

    def add_follow_up(self: _Facade, request: FollowUpRequest, actor: Actor) -> TaskView:
        with _committed_denial(self) as session:
            return tasks.add_follow_up(session, self.policy, request, actor)

    def open_visit(self: _Facade, request: VisitRequest, actor: Actor) -> VisitView:
        with self._tx() as session:
            return tasks.open_visit(session, self.policy, request, actor)

    def visit_batch(self: _Facade, visit_id: str, actor: Actor) -> str:
        """The batch id a visit's stack is admitted under (`admit(..., batch_id=...)`); kept on the visit."""
        with _committed_denial(self) as session:
            return tasks.visit_batch(session, self.policy, visit_id, actor)

    def contact_person(self: _Facade, person_id: str, actor: Actor) -> ContactPersonView | None:
        with _committed_denial(self) as session:
            return contacts.view(session, self.policy, person_id, actor)

    def task_digest(self: _Facade, department: Department, day: date) -> notify.Digest:
        """A department's open tasks for its daily e-mail (need-to-know cut, no personal data; audited)."""
        with self._tx() as session:
            return notify.digest(session, self.policy, department, day)

    def due_webhook_deliveries(
        self: _Facade, endpoint: str, department: Department, now: datetime, max_attempts: int
    ) -> list[tuple[int, bytes]]:
        """(delivery id, JSON body) of the webhook deliveries due now for one endpoint."""
        with self._tx() as session:
            out = []
            for delivery, event in notify.due_deliveries(session, endpoint, now, max_attempts=max_attempts):
                body = notify.payload(session, event, self.policy, department, endpoint)
                if body is None:
                    notify.withhold(delivery)
                else:
                    out.append((delivery.id, body.model_dump_json().encode()))
            return out

    def record_webhook_attempt(
        self: _Facade, delivery_id: int, ok: bool, error: str, now: datetime, *, backoff_s: float, max_attempts: int
    ) -> None:
        with self._tx() as session:
            notify.record_attempt(session, delivery_id, ok, error, now, backoff_s=backoff_s, max_attempts=max_attempts)

    def merge_persons(self: _Facade, duplicate_id: str, kept_id: str, reason: str, actor: Actor) -> MergeOutcome:
        """Merge the duplicate record into the kept one (audited; a `persons_merged` event in the same
        transaction, which the dispatcher hands over like any other change)."""
        with _committed_denial(self) as session:
            return person_merge.merge_persons(session, self.policy, duplicate_id, kept_id, reason, actor)

    def retype_document(
        self: _Facade, document_id: str, new_type: DocumentType, reason: str, actor: Actor
    ) -> DocumentView:
        """Give a document read as the wrong type its right one (a new version; the front desk on what it filed
        itself while it awaits review, see `storage/retype.py`)."""
        with self._tx() as session:
            allowed = retype.retype_document(session, self.policy, document_id, new_type, reason, actor)
        if not allowed:
            raise AccessDenied(f"{actor.name} may not change the type of document {document_id} (policy).")
        return self.get_document(document_id, actor)

    def contact_teams(self: _Facade) -> tuple[str, ...]:
        """The teams a contact person may be chosen from (the shipped or configured mapping)."""
        return self.teams.teams

    def set_contact_person(self: _Facade, person_id: str, team: str, reason: str, actor: Actor) -> ContactPersonView:
        with _committed_denial(self) as session:
            return contacts.change(session, self.policy, self.teams, person_id, team, reason, actor)


class _committed_denial:
    """A transaction whose audited denial survives the AccessDenied raised after it.

    Storage functions write the denial in the caller's transaction and then raise; a plain transaction
    would roll the denial back with everything else."""

    def __init__(self, facade: _Facade) -> None:
        self._facade = facade

    def __enter__(self) -> Session:
        self._cm = self._facade._tx()
        return self._cm.__enter__()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Literal[False]:
        if isinstance(exc, AccessDenied):
            self._cm.__exit__(None, None, None)  # commit the denial's audit entry, then let AccessDenied go on
        else:
            self._cm.__exit__(kind, exc, tb)
        return False
