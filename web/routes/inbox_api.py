"""The department inbox under `/api/v1`: tasks, their actions, follow-ups, visits and contact persons.

The same operations as the inbox pages, as JSON; `storage` checks and audits each one. Included into the
API application by `web/app.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from schemas.record import Actor, Department
from schemas.tasks import (
    ContactPersonView,
    FollowUpRequest,
    TaskChange,
    TaskCounts,
    TaskView,
    VisitRequest,
    VisitView,
)
from web.api import api_require
from web.inbox_port import inbox
from web.policy import Capability

router = APIRouter()


class MergeRequest(BaseModel):
    duplicate_id: str = Field(min_length=1, max_length=64, description="the record merged into this one")
    reason: str = Field(min_length=1, max_length=500)


class MergeAnswer(BaseModel):
    person_id: str
    merged_person_id: str
    documents: list[str]


class ContactChange(BaseModel):
    team: str = Field(min_length=1, max_length=80)
    reason: str = Field(min_length=1, max_length=500)


@router.get("/tasks", response_model=list[TaskView])
def tasks(
    request: Request,
    department: Department | None = Query(None),
    every: bool = Query(False, alias="all"),
    done: bool = Query(False),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    after: str | None = Query(None, max_length=60, description="the last task's `due_sort/id` (keyset paging)"),
    actor: Actor = Depends(api_require(Capability.TASKS)),
) -> Sequence[TaskView]:
    return inbox(request).list_tasks(
        actor, department=department, every=every, include_done=done, limit=limit, offset=offset, after=after
    )


@router.get("/tasks/counts", response_model=TaskCounts)
def counts(request: Request, actor: Actor = Depends(api_require(Capability.TASKS))) -> TaskCounts:
    return inbox(request).task_counts(actor)


@router.get("/tasks/{task_id}", response_model=TaskView)
def task(request: Request, task_id: str, actor: Actor = Depends(api_require(Capability.TASKS))) -> TaskView:
    return inbox(request).get_task(task_id, actor)


@router.post("/tasks/{task_id}", response_model=TaskView)
def change(
    request: Request,
    task_id: str,
    body: TaskChange = Body(),
    actor: Actor = Depends(api_require(Capability.TASKS)),
) -> TaskView:
    return inbox(request).change_task(task_id, body, actor)


@router.post("/follow-ups", response_model=TaskView, status_code=201)
def follow_up(
    request: Request, body: FollowUpRequest = Body(), actor: Actor = Depends(api_require(Capability.TASKS))
) -> TaskView:
    return inbox(request).add_follow_up(body, actor)


@router.post("/visits", response_model=VisitView, status_code=201)
def visit(
    request: Request, body: VisitRequest = Body(), actor: Actor = Depends(api_require(Capability.VISIT))
) -> VisitView:
    return inbox(request).open_visit(body, actor)


@router.get("/persons/{person_id}/contact", response_model=ContactPersonView | None)
def contact(
    request: Request, person_id: str, actor: Actor = Depends(api_require(Capability.TASKS))
) -> ContactPersonView | None:
    return inbox(request).contact_person(person_id, actor)


@router.post("/persons/{person_id}/contact", response_model=ContactPersonView)
def contact_change(
    request: Request,
    person_id: str,
    body: ContactChange = Body(),
    actor: Actor = Depends(api_require(Capability.TASKS)),
) -> ContactPersonView:
    return inbox(request).set_contact_person(person_id, body.team, body.reason, actor)


@router.post("/persons/{person_id}/merge", response_model=MergeAnswer)
def merge(
    request: Request, person_id: str, body: MergeRequest = Body(), actor: Actor = Depends(api_require(Capability.TASKS))
) -> MergeAnswer:
    """Merge the duplicate record into this person's: audited, a `persons_merged` event for the dispatcher."""
    done = inbox(request).merge_persons(body.duplicate_id, person_id, body.reason, actor)
    return MergeAnswer(person_id=done.person_id, merged_person_id=done.merged_person_id, documents=list(done.documents))


def install(api: FastAPI) -> None:
    """Add the inbox's operations to the API application as its own routes (not a lazily included router),
    so they are listed and checked like every other API route."""
    for route in router.routes:
        assert isinstance(route, APIRoute)
        api.add_api_route(
            route.path,
            route.endpoint,
            methods=sorted(route.methods or ()),
            response_model=route.response_model,
            status_code=route.status_code,
            name=route.name,
        )
