"""The department inbox (Postkorb): reading tasks, acting on them, follow-ups (Wiedervorlagen) and visits.

Every function checks who may do it and writes its audit entry in the caller's transaction. A user works on
the tasks of their own department; the console (archive administration) may list every department's. What
a task shows is cut to the department's need-to-know: a task about a document type the department may not
read names the fact and what to do, never the type, the fields or the text (see `schemas/tasks.py`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from schemas.documents import DocumentType
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.record import Actor, Department, Role
from schemas.tasks import (
    FollowUpRequest,
    TaskAction,
    TaskChange,
    TaskCounts,
    TaskEntry,
    TaskStatus,
    TaskView,
    VisitRequest,
    VisitView,
)
from storage import audit, persons
from storage.dispatch import create_task, new_task
from storage.models import ContactPerson, Document, Person, Record, Task, TaskTally, User, Visit
from storage.policy import Policy, ReadScope

#: Roles that may list every department's tasks (the archive administration, the console).
_ALL_DEPARTMENTS = {Role.ARCHIVE_ADMIN}
_ACTIVE = (TaskStatus.OPEN.value, TaskStatus.CLAIMED.value)


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _visible_today(today: date) -> object:
    """Follow-ups appear on their date; every other task at once."""
    return or_(Task.kind != "follow_up", Task.due_sort <= today.isoformat())


def _departments(actor: Actor, department: Department | None, every: bool) -> list[str] | None:
    """Which departments' tasks the actor asks for; None: all. Others than one's own are refused."""
    if every or (department is not None and department != actor.department):
        if actor.role not in _ALL_DEPARTMENTS:
            raise AccessDenied(f"{actor.name} sees the tasks of {actor.department.value} only.")
        return None if every else [department.value] if department else None
    return [actor.department.value]


def _people(
    session: Session, policy: Policy, actor: Actor, person_ids: set[str]
) -> dict[str, tuple[str | None, str | None]]:
    """Name and contact team per person of a page of tasks, in three queries.

    The name only where the department reads at least one live document of the person: a name read off a
    birth certificate is not the job centre's business."""
    if not person_ids:
        return {}
    ids = sorted(person_ids)
    rows = session.execute(select(ContactPerson.person_id, ContactPerson.team).where(ContactPerson.person_id.in_(ids)))
    teams = {person_id: team for person_id, team in rows}
    readable = policy.readable_types(actor)
    known: set[str] = set()
    if policy.read_scope(actor) is ReadScope.DEPARTMENT and readable:
        known = set(
            session.scalars(
                select(Record.person_id)
                .join(Document, Document.record_id == Record.id)
                .where(Record.person_id.in_(ids), Document.type.in_([t.value for t in readable]))
                .where(Document.status.not_in(("withdrawn", "deleted")))
                .distinct()
            )
        )
    names = {
        p.id: f"{p.surname}, {p.given_names}".strip(", ")
        for p in session.scalars(select(Person).where(Person.id.in_(sorted(known))))
    }
    return {pid: (names.get(pid), teams.get(pid)) for pid in ids}


def _view(
    session: Session,
    policy: Policy,
    task: Task,
    actor: Actor,
    today: date,
    people: dict[str, tuple[str | None, str | None]] | None = None,
    readable_types: frozenset[DocumentType] | None = None,
) -> TaskView:
    if readable_types is None:
        readable_types = policy.readable_types(actor)
    doc_type = DocumentType(task.document_type) if task.document_type else None
    readable = doc_type is not None and doc_type in readable_types
    name = team = None
    if task.person_id is not None:
        if people is None:
            people = _people(session, policy, actor, {task.person_id})
        name, team = people.get(task.person_id, (None, None))
    due = date.fromisoformat(task.due_date) if task.due_date else None
    entries = tuple(TaskEntry.model_validate(e) for e in task.history.get("entries", []))
    return TaskView(
        id=task.id,
        department=Department(task.department),
        rule=task.rule,
        kind=task.kind,
        title=task.title,
        document_id=task.document_id,
        document_type=doc_type if readable else None,
        document_readable=readable,
        person_id=task.person_id,
        person_name=name,
        contact_team=team,
        due_date=due,
        status=TaskStatus(task.status),
        assignee=task.assignee,
        note=task.note,
        overdue=due is not None and due < today and task.status != TaskStatus.DONE.value,
        created_at=_as_utc(task.created_at),
        history=entries,
    )


def list_tasks(
    session: Session,
    policy: Policy,
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
    """The inbox: open and claimed tasks (done ones too on request) by due date, undated last.

    `after` is the `TaskView.cursor` of the last task of the previous page (keyset paging): the next page
    starts right after it in the index, however deep, where an offset walks every task before it."""
    today = today or date.today()
    departments = _departments(actor, department, every)
    query = select(Task).where(_visible_today(today))  # type: ignore[arg-type]
    if departments is not None:
        query = query.where(Task.department.in_(departments))
    if not include_done:
        query = query.where(Task.active.is_(True))
    if after is not None:
        due_sort, _, task_id = after.partition("/")
        if not task_id:
            raise InvalidRequest(f"{after!r} is no inbox position; pass the `cursor` of the last task shown.")
        query = query.where(tuple_(Task.due_sort, Task.id) > tuple_(due_sort, task_id))
    query = query.order_by(Task.due_sort, Task.id).offset(offset)
    rows = list(session.scalars(query.limit(limit)))
    audit.append(
        session,
        actor,
        "read",
        "tasks",
        None,
        details={"departments": departments or "all", "count": len(rows), "offset": offset, "after": after},
    )
    people = _people(session, policy, actor, {t.person_id for t in rows if t.person_id})
    readable = policy.readable_types(actor)
    return [_view(session, policy, t, actor, today, people, readable) for t in rows]


def counts(session: Session, actor: Actor, today: date | None = None) -> TaskCounts:
    """Counts for the header (not audited: they show no task).

    Summed from `task_tallies` (one row per due date, follow-up or not, and assignee, kept by triggers on
    `tasks`): counting the tasks walked a department's 100,000 index entries three times, most of an inbox
    page's time (issue 18). Follow-ups count from their date on, as they appear in the list."""
    today = today or date.today()
    day = today.isoformat()
    query = select(
        func.coalesce(func.sum(TaskTally.n), 0),
        func.coalesce(func.sum(case((TaskTally.due_sort <= day, TaskTally.n), else_=0)), 0),
        func.coalesce(func.sum(case((TaskTally.assignee == actor.name, TaskTally.n), else_=0)), 0),
    ).where(
        TaskTally.department == actor.department.value,
        or_(TaskTally.follow_up.is_(False), TaskTally.due_sort <= day),
    )
    open_, due, mine = session.execute(query).one()
    return TaskCounts(open=int(open_), due=int(due), mine=int(mine))


def _load(session: Session, task_id: str, actor: Actor) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"task {task_id} does not exist; see the inbox (`dach tasks`).")
    if task.department != actor.department.value and actor.role not in _ALL_DEPARTMENTS:
        audit.append(session, actor, "task_denied", "task", task.id, details={"department": task.department})
        raise AccessDenied(f"task {task_id} belongs to another department.")
    return task


def get_task(session: Session, policy: Policy, task_id: str, actor: Actor, today: date | None = None) -> TaskView:
    task = _load(session, task_id, actor)
    audit.append(session, actor, "read", "task", task.id, person_id=task.person_id)
    return _view(session, policy, task, actor, today or date.today())


def _colleague(session: Session, name: str, department: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active or user.department != department:
        raise InvalidRequest(f"{name!r} is no active colleague in {department}; choose a user of the department.")
    return user


def change_task(session: Session, policy: Policy, task_id: str, change: TaskChange, actor: Actor) -> TaskView:
    """Claim, assign to a colleague, forward to another department, mark done or reopen; audited."""
    if actor.role in (Role.AUDITOR, Role.SYSTEM):
        raise AccessDenied(f"the role {actor.role.value} does not work on tasks.")
    task = _load(session, task_id, actor)
    now = datetime.now(UTC)
    note = change.note.strip()
    before = {"status": task.status, "department": task.department, "assignee": task.assignee}
    if change.action is TaskAction.CLAIM:
        if task.status == TaskStatus.DONE.value:
            raise InvalidRequest(f"task {task.id} is done; reopen it first.")
        task.status, task.assignee = TaskStatus.CLAIMED.value, actor.name
    elif change.action is TaskAction.ASSIGN:
        if not change.assignee:
            raise InvalidRequest("assigning a task needs the colleague's user name.")
        _colleague(session, change.assignee, task.department)
        task.status, task.assignee = TaskStatus.CLAIMED.value, change.assignee
    elif change.action is TaskAction.FORWARD:
        if change.department is None or change.department.value == task.department:
            raise InvalidRequest("forwarding a task needs another department.")
        if not note:
            raise InvalidRequest("forwarding a task needs a note for the other department (why it is theirs).")
        task.department, task.status, task.assignee = change.department.value, TaskStatus.OPEN.value, None
    elif change.action is TaskAction.DONE:
        task.status = TaskStatus.DONE.value
    elif change.action is TaskAction.REOPEN:
        task.status, task.assignee = TaskStatus.OPEN.value, None
    task.active = task.status != TaskStatus.DONE.value
    if note:
        task.note = note
    entry = {
        "at": now.isoformat(),
        "actor": actor.name,
        "action": change.action.value,
        "note": note,
        "department": change.department.value if change.department else None,
    }
    task.history = {"entries": [*task.history.get("entries", []), entry]}
    task.updated_at = now
    audit.append(
        session,
        actor,
        f"task_{change.action.value}",
        "task",
        task.id,
        person_id=task.person_id,
        details={"before": before, "assignee": task.assignee, "department": task.department, "note": note},
    )
    session.flush()
    return _view(session, policy, task, actor, date.today())


def _readable_document(session: Session, policy: Policy, document_id: str, actor: Actor) -> Document:
    doc = session.get(Document, document_id)
    if doc is None or doc.status == "deleted":
        raise NotFound(f"document {document_id} does not exist.")
    if not policy.can_read(actor, DocumentType(doc.type), filed_by_user_id=doc.filed_by_user_id, status=doc.status):
        audit.append(session, actor, "follow_up_denied", "document", doc.id)
        raise AccessDenied(f"{actor.name} may not read document {document_id}, so sets no follow-up on it.")
    return doc


def _person_record(session: Session, person_id: str) -> Record:
    record = session.scalar(select(Record).where(Record.person_id == person_id))
    if record is None:
        raise NotFound(f"person {person_id} does not exist; find persons with `dach search NAME`.")
    return record


def add_follow_up(session: Session, policy: Policy, request: FollowUpRequest, actor: Actor) -> TaskView:
    """A Wiedervorlage for the actor's department: it appears in the inbox on its date."""
    if (request.document_id is None) == (request.person_id is None):
        raise InvalidRequest("a follow-up is set on one document or one person.")
    if actor.role in (Role.AUDITOR, Role.SYSTEM):
        raise AccessDenied(f"the role {actor.role.value} sets no follow-ups.")
    doc: Document | None = None
    person_id = request.person_id
    if request.document_id is not None:
        doc = _readable_document(session, policy, request.document_id, actor)
        record = session.get(Record, doc.record_id) if doc.record_id else None
        person_id = record.person_id if record else None
    else:
        assert person_id is not None
        _person_record(session, person_id)
        if policy.read_scope(actor) is not ReadScope.DEPARTMENT or not policy.readable_types(actor):
            audit.append(session, actor, "follow_up_denied", "person", person_id)
            raise AccessDenied(f"{actor.name} reads no records, so sets no follow-up on a person.")
    row = new_task(
        source=f"follow_up:{persons.new_id('fu')}",
        rule="follow_up",
        department=actor.department,
        kind="follow_up",
        title="Wiedervorlage",
        created_by=actor.name,
        document=doc,
        person_id=person_id,
        due=request.due_date,
        note=request.note.strip(),
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor,
        "follow_up",
        "task",
        row.id,
        person_id=person_id,
        details={"due_date": request.due_date.isoformat(), "document_id": request.document_id},
    )
    return _view(session, policy, row, actor, date.today())


def open_visit(session: Session, policy: Policy, request: VisitRequest, actor: Actor) -> VisitView:
    """A visit (Vorsprache): each concern the person brought becomes a task for its department."""
    if not policy.can_file(actor) or actor.role is Role.SYSTEM:
        raise AccessDenied(f"{actor.name} ({actor.role.value}) does not receive visitors.")
    _person_record(session, request.person_id)
    now = datetime.now(UTC)
    visit = Visit(id=persons.new_id("vis"), person_id=request.person_id, opened_by=actor.name, opened_at=now)
    session.add(visit)
    created: list[str] = []
    for number, concern in enumerate(request.concerns, start=1):
        row = new_task(
            source=f"visit:{visit.id}:{number}",
            rule="visit_concern",
            department=concern.department,
            kind="concern",
            title="Anliegen aus Vorsprache",
            created_by=actor.name,
            person_id=request.person_id,
            due=now.date(),
            note=concern.note.strip(),
        )
        if create_task(session, row):
            created.append(row.id)
    session.flush()
    audit.append(
        session,
        actor,
        "visit",
        "visit",
        visit.id,
        person_id=request.person_id,
        details={"concerns": [c.department.value for c in request.concerns], "tasks": created},
    )
    return VisitView(id=visit.id, person_id=visit.person_id, opened_by=actor.name, opened_at=now, tasks=tuple(created))


def visit_batch(session: Session, policy: Policy, visit_id: str, actor: Actor) -> str:
    """The intake batch the stack of a visit is scanned under (one per visit, reserved on first use and kept in
    `visits.batch_id`): every upload made from the visit goes into it, so the visit shows what the person
    brought. Only the one who opened the visit scans under it (a batch is its uploader's); audited."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(f"visit {visit_id} does not exist; open a visit first.")
    if not policy.can_file(actor) or actor.role is Role.SYSTEM or visit.opened_by != actor.name:
        audit.append(session, actor, "visit_batch_denied", "visit", visit.id, person_id=visit.person_id)
        raise AccessDenied(f"visit {visit_id} was opened by someone else; scan under a visit of your own.")
    if visit.batch_id is None:
        visit.batch_id = uuid.uuid4().hex[:16]  # the intake door's batch id format
        audit.append(
            session,
            actor,
            "visit_batch",
            "visit",
            visit.id,
            person_id=visit.person_id,
            details={"batch": visit.batch_id},
        )
    return visit.batch_id
