"""The department inbox (Postkorb) in the browser: my department's tasks by due date, a task with its
history and actions, follow-ups (Wiedervorlagen), visits (Vorsprachen) and the contact person.

What a task shows is cut by `storage` to the department's need-to-know; the pages add presentation only.
Every action goes through `storage`, which checks it and writes the audit entry.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from schemas.errors import InvalidRequest
from schemas.record import Actor, Department, Role
from schemas.strings_de import T
from schemas.tasks import FollowUpRequest, TaskAction, TaskChange, VisitConcern, VisitRequest
from web.deps import render, require
from web.inbox_port import inbox
from web.policy import Capability

router = APIRouter()
PAGE_SIZE = 100
#: Departments a task may be forwarded to or a concern noted for (those that work on cases).
CASE_DEPARTMENTS = (
    Department.FOREIGNERS_AUTHORITY,
    Department.SOCIAL_WELFARE,
    Department.JOBCENTRE,
    Department.YOUTH_OFFICE,
    Department.INTEGRATION,
)


@router.get("/inbox")
def inbox_page(
    request: Request,
    done: bool = Query(False),
    after: str = Query("", max_length=60),
    actor: Actor = Depends(require(Capability.TASKS)),
) -> Response:
    """One page of the inbox; "weiter" carries the last task's position (`after`), so a deep page costs what
    the first does (an offset would walk every task before it)."""
    port = inbox(request)
    found = port.list_tasks(actor, include_done=done, limit=PAGE_SIZE, after=after or None)
    counts = port.task_counts(actor)
    following = found[-1].cursor if len(found) == PAGE_SIZE else None
    return render(request, "inbox.html", tasks=found, counts=counts, done=done, following=following)


@router.get("/inbox/counts")
def inbox_counts(request: Request, actor: Actor = Depends(require(Capability.TASKS))) -> Response:
    counts = inbox(request).task_counts(actor)
    text = T["inbox.counts"].format(open=counts.open, due=counts.due, mine=counts.mine)
    return Response(f'<span class="counts" data-open="{counts.open}">{text}</span>', media_type="text/html")


@router.get("/tasks/{task_id}")
def task_page(request: Request, task_id: str, actor: Actor = Depends(require(Capability.TASKS))) -> Response:
    task = inbox(request).get_task(task_id, actor)
    others = [d for d in CASE_DEPARTMENTS if d != task.department]
    return render(request, "task.html", task=task, departments=others, saved=request.query_params.get("saved"))


@router.post("/tasks/{task_id}")
def task_action(
    request: Request,
    task_id: str,
    action: TaskAction = Form(),
    note: str = Form("", max_length=2000),
    assignee: str = Form("", max_length=120),
    department: str = Form("", max_length=40),
    actor: Actor = Depends(require(Capability.TASKS)),
) -> Response:
    try:
        target = Department(department) if department else None
    except ValueError as exc:
        raise InvalidRequest(f"no department {department!r}") from exc
    change = TaskChange(action=action, note=note, assignee=assignee or None, department=target)
    task = inbox(request).change_task(task_id, change, actor)
    if task.department != actor.department:  # forwarded: it is no longer ours to look at
        return RedirectResponse("/inbox", status_code=303)
    return RedirectResponse(f"/tasks/{task_id}?saved=1", status_code=303)


@router.post("/follow-ups")
def follow_up(
    request: Request,
    due_date: date = Form(),
    note: str = Form(min_length=1, max_length=2000),
    document_id: str = Form("", max_length=64),
    person_id: str = Form("", max_length=64),
    actor: Actor = Depends(require(Capability.TASKS)),
) -> Response:
    follow = FollowUpRequest(document_id=document_id or None, person_id=person_id or None, due_date=due_date, note=note)
    task = inbox(request).add_follow_up(follow, actor)
    return RedirectResponse(f"/tasks/{task.id}?saved=1", status_code=303)


@router.get("/visits/new")
def visit_form(
    request: Request,
    person_id: str = Query("", max_length=64),
    actor: Actor = Depends(require(Capability.VISIT)),
) -> Response:
    return render(request, "visit.html", person_id=person_id, departments=CASE_DEPARTMENTS, saved=None, visit_id=None)


@router.post("/visits")
async def visit_open(request: Request, actor: Actor = Depends(require(Capability.VISIT))) -> Response:
    form = await request.form()
    person_id = str(form.get("person_id", ""))[:64]
    concerns = []
    for department in CASE_DEPARTMENTS:
        note = str(form.get(f"concern.{department.value}", "")).strip()[:2000]
        if note:
            concerns.append(VisitConcern(department=department, note=note))
    if not concerns:
        raise InvalidRequest("a visit needs at least one concern (what the person came for, per department).")
    from starlette.concurrency import run_in_threadpool

    visit = await run_in_threadpool(
        inbox(request).open_visit, VisitRequest(person_id=person_id, concerns=tuple(concerns)), actor
    )
    saved = T["visit.saved"].format(count=len(visit.tasks))
    return render(
        request, "visit.html", person_id=person_id, departments=CASE_DEPARTMENTS, saved=saved, visit_id=visit.id
    )


@router.get("/persons/{person_id}/work")
def person_work(request: Request, person_id: str, actor: Actor = Depends(require(Capability.TASKS))) -> Response:
    """The record page's fragment: the contact person (changeable with a reason) and a follow-up form."""
    port = inbox(request)
    contact = port.contact_person(person_id, actor)
    teams = port.contact_teams() if actor.role in (Role.CLERK, Role.LEAD) else ()
    return render(
        request,
        "_person_work.html",
        person_id=person_id,
        document_id=None,
        contact=contact,
        teams=teams,
        today=date.today().isoformat(),
    )


@router.get("/documents/{document_id}/work")
def document_work(request: Request, document_id: str, actor: Actor = Depends(require(Capability.TASKS))) -> Response:
    """The document page's fragment: a follow-up form (storage checks the document may be read on submit)."""
    return render(
        request,
        "_person_work.html",
        person_id=None,
        document_id=document_id,
        contact=None,
        teams=(),
        today=date.today().isoformat(),
    )


@router.post("/persons/{person_id}/merge")
def merge(
    request: Request,
    person_id: str,
    duplicate_id: str = Form(min_length=1, max_length=64),
    reason: str = Form(min_length=1, max_length=500),
    actor: Actor = Depends(require(Capability.TASKS)),
) -> Response:
    """Merge the duplicate record into this person's (storage checks the actor reads both, and audits)."""
    inbox(request).merge_persons(duplicate_id.strip(), person_id, reason.strip(), actor)
    return RedirectResponse(f"/persons/{person_id}?merged=1", status_code=303)


@router.post("/persons/{person_id}/contact")
def contact_change(
    request: Request,
    person_id: str,
    team: str = Form(max_length=80),
    reason: str = Form("", max_length=500),
    actor: Actor = Depends(require(Capability.TASKS)),
) -> Response:
    inbox(request).set_contact_person(person_id, team, reason, actor)
    return RedirectResponse(f"/persons/{person_id}", status_code=303)
