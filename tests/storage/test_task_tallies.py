"""The inbox header counts come from `task_tallies`, kept by triggers on `tasks`: after any mix of task
changes (dispatch, claim, assign, forward, done, reopen, follow-ups past and future, a bulk load, a delete)
they equal the counts taken from the tasks themselves, on both backends.
"""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, func, insert, or_, select

from schemas.documents import DocumentType
from schemas.errors import InvalidRequest
from schemas.record import Actor, Department, Role
from schemas.tasks import FollowUpRequest, TaskAction, TaskChange, TaskCounts
from storage import Archive
from storage.db import transaction
from storage.models import Task, User
from tests.storage.conftest import Filer
from tests.storage.test_dispatch import clerk

DEPARTMENTS = (Department.INTEGRATION, Department.JOBCENTRE, Department.SOCIAL_WELFARE)


def counted(archive: Archive, actor: Actor, today: date) -> TaskCounts:
    """The counts as the tasks themselves give them (what the tallies must equal)."""
    day = today.isoformat()
    with transaction(archive._sessions) as session:
        base = (
            select(func.count())
            .select_from(Task)
            .where(
                Task.department == actor.department.value,
                Task.active.is_(True),
                or_(Task.kind != "follow_up", Task.due_sort <= day),
            )
        )
        return TaskCounts(
            open=session.scalar(base) or 0,
            due=session.scalar(base.where(Task.due_sort <= day)) or 0,
            mine=session.scalar(base.where(Task.assignee == actor.name)) or 0,
        )


def test_tallies_equal_the_counted_tasks_after_every_kind_of_change(archive: Archive, filer: Filer) -> None:
    rng = random.Random(18)
    today = date.today()
    staff = {d: [clerk(d, f"{d.value}-{i}") for i in range(2)] for d in DEPARTMENTS}
    for actors in staff.values():
        for a in actors:
            archive.add_user(a.name, "tally-password-123456", Role.CLERK, a.department)
    with transaction(archive._sessions) as session:  # the actors act under their stored user ids
        ids = {u.name: u.id for u in session.scalars(select(User))}
    staff = {d: [a.model_copy(update={"user_id": ids[a.name]}) for a in actors] for d, actors in staff.items()}
    for n in range(6):
        filer.file(DocumentType.DEGREE_CERTIFICATE, number=f"T-{n}", surname=f"TALLY{chr(65 + n)}")
    archive.dispatch()
    # a bulk load straight into the table (as the benchmark does) is tallied too
    now = datetime.now(UTC)
    rows = [
        {
            "id": f"tsk_tally{i:06d}", "source": f"tally:{i}", "rule": "bench",
            "department": rng.choice(DEPARTMENTS).value, "kind": "handover", "title": "t",
            "document_id": None, "document_type": None, "person_id": None,
            "due_date": (due := (today + timedelta(days=rng.randint(-5, 5))).isoformat()), "due_sort": due,
            "status": "open", "active": True, "assignee": None, "note": "", "history": {"entries": []},
            "created_by": "bench", "created_at": now, "updated_at": now,
        }
        for i in range(60)
    ]  # fmt: skip
    with archive.engine.begin() as conn:
        conn.execute(insert(Task), rows)
    for step in range(120):
        department = rng.choice(DEPARTMENTS)
        actor = rng.choice(staff[department])
        tasks = archive.list_tasks(actor, include_done=True, limit=200)
        if not tasks or rng.random() < 0.1:
            person = filer.file(DocumentType.PASSPORT, number=f"FU{step}", surname=f"FOLGE{step}").person_id
            due = today + timedelta(days=rng.choice((-1, 0, 2)))
            if person is not None:
                archive.add_follow_up(FollowUpRequest(person_id=person, due_date=due, note="Wiedervorlage"), actor)
            continue
        task = rng.choice(tasks)
        action = rng.choice(list(TaskAction))
        change = TaskChange(
            action=action,
            note="weiter" if action is TaskAction.FORWARD else "",
            assignee=rng.choice(staff[department]).name if action is TaskAction.ASSIGN else None,
            department=rng.choice([d for d in DEPARTMENTS if d != department])
            if action is TaskAction.FORWARD
            else None,
        )
        with contextlib.suppress(InvalidRequest):  # an action that does not apply (claiming a done task)
            archive.change_task(task.id, change, actor)
    with archive.engine.begin() as conn:  # and a delete
        conn.execute(delete(Task).where(Task.id.in_([r["id"] for r in rows[:10]])))
    for actors in staff.values():
        for actor in actors:
            assert archive.task_counts(actor) == counted(archive, actor, today), actor.name
