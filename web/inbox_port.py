"""The part of `storage`'s facade the department inbox calls (tasks, follow-ups, visits, contact persons).

Kept apart from `web/archive.py`'s `ArchivePort` so the inbox pages and API stay one room of their own;
the archive the app opened (`storage.Archive`) offers both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, cast

from fastapi import Request

from schemas.documents import DocumentType
from schemas.record import Actor, Department, DocumentView
from schemas.tasks import (
    ContactPersonView,
    FollowUpRequest,
    MergeOutcome,
    TaskChange,
    TaskCounts,
    TaskView,
    VisitRequest,
    VisitView,
)


class InboxPort(Protocol):
    def list_tasks(
        self,
        actor: Actor,
        *,
        department: Department | None = None,
        every: bool = False,
        include_done: bool = False,
        limit: int = 100,
        offset: int = 0,
        after: str | None = None,
        today: date | None = None,
    ) -> Sequence[TaskView]: ...

    def task_counts(self, actor: Actor) -> TaskCounts: ...

    def get_task(self, task_id: str, actor: Actor) -> TaskView: ...

    def change_task(self, task_id: str, change: TaskChange, actor: Actor) -> TaskView: ...

    def add_follow_up(self, request: FollowUpRequest, actor: Actor) -> TaskView: ...

    def open_visit(self, request: VisitRequest, actor: Actor) -> VisitView: ...

    def visit_batch(self, visit_id: str, actor: Actor) -> str: ...

    def retype_document(self, document_id: str, new_type: DocumentType, reason: str, actor: Actor) -> DocumentView: ...

    def contact_person(self, person_id: str, actor: Actor) -> ContactPersonView | None: ...

    def contact_teams(self) -> tuple[str, ...]: ...

    def merge_persons(self, duplicate_id: str, kept_id: str, reason: str, actor: Actor) -> MergeOutcome: ...

    def set_contact_person(self, person_id: str, team: str, reason: str, actor: Actor) -> ContactPersonView: ...


def inbox(request: Request) -> InboxPort:
    return cast(InboxPort, request.app.state.archive)
