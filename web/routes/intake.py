"""Front desk: hand in a stack (drag and drop or file picker) and watch it being read and filed.

The upload goes through the intake door and answers at once with the batch's panel; the workers read the
files. The panel asks `/intake/batches/<id>?seen=<version>` again and again until the batch is done (a long
poll: each request is answered as soon as the batch's state in the record changed, or after LONG_POLL_S with
the same panel), so each document appears soon after it is filed. A batch is visible only to the user who
uploaded it.
"""

from __future__ import annotations

import asyncio
import time
from typing import cast

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from schemas.errors import InvalidRequest
from schemas.intake import IntakeChannel
from schemas.record import Actor
from schemas.strings_de import T
from web.batches import Batch, BatchDesk, BatchStatus
from web.deps import render, require
from web.inbox_port import inbox
from web.policy import Capability

router = APIRouter(prefix="/intake")
MAX_FILES_PER_UPLOAD = 200
LONG_POLL_S = 20.0  # the longest a panel request is held when nothing changes
LONG_POLL_STEP_S = 0.25  # how often a held request looks at its batch in the database


class TooManyFiles(InvalidRequest):
    code = "too_many_files"


def desk(request: Request) -> BatchDesk:
    return cast(BatchDesk, request.app.state.batches)


async def own_batch(request: Request, batch_id: str, actor: Actor) -> Batch:
    """The batch from the record; storage refuses someone else's (AccessDenied) and an unknown one."""
    return await run_in_threadpool(desk(request).get, batch_id, actor)


async def read_uploads(request: Request) -> list[tuple[str, bytes]]:
    """The uploaded files as (display name, bytes); the browser's file name is only ever displayed."""
    form = await request.form(max_files=MAX_FILES_PER_UPLOAD)
    values = form.getlist("files")
    if len(values) > MAX_FILES_PER_UPLOAD:  # the form may have been parsed before (CSRF check) without this limit
        raise TooManyFiles(f"at most {MAX_FILES_PER_UPLOAD} files per upload; split the stack")
    uploads: list[tuple[str, bytes]] = []
    for value in values:
        if isinstance(value, UploadFile):
            data = await value.read()
            if data or value.filename:
                uploads.append(((value.filename or "")[:200], data))
    return uploads


@router.get("")
async def intake_page(
    request: Request, visit: str = Query("", max_length=40), actor: Actor = Depends(require(Capability.INTAKE))
) -> Response:
    """The upload page; opened from a visit (`?visit=<id>`), its uploads are filed under the visit's batch."""
    batches = await run_in_threadpool(desk(request).recent, actor)
    max_mib = request.app.state.settings.limits.max_file_bytes // (1024 * 1024)
    moved = T["move.withdrawn_filed"] if request.query_params.get("moved") else None
    return render(
        request,
        "intake.html",
        batches=batches,
        max_mib=max_mib,
        error=None,
        message=moved,
        Status=BatchStatus,
        visit=visit,
    )


async def visit_batch(request: Request, actor: Actor) -> str | None:
    """The batch of the visit the upload was made from (storage checks the visit is the uploader's), or None."""
    visit_id = str((await request.form(max_files=MAX_FILES_PER_UPLOAD)).get("visit_id") or "")[:40]
    if not visit_id:
        return None
    return await run_in_threadpool(inbox(request).visit_batch, visit_id, actor)


@router.post("/upload")
async def upload(request: Request, actor: Actor = Depends(require(Capability.INTAKE))) -> Response:
    htmx = request.headers.get("hx-request") == "true"
    uploads = await read_uploads(request)
    if not uploads:
        status = 200 if htmx else 400  # htmx swaps only 2xx answers; the fragment itself shows the error
        return render(request, "_batch.html", status_code=status, batch=None, error=T["intake.no_files"])
    under_visit = await visit_batch(request, actor)
    batch = await run_in_threadpool(desk(request).admit, actor, uploads, IntakeChannel.WEB, under_visit)
    status = 200 if batch.files or htmx else 415
    if htmx:
        return render(request, "_batch.html", status_code=status, batch=batch, error=None, Status=BatchStatus)
    max_mib = request.app.state.settings.limits.max_file_bytes // (1024 * 1024)
    return render(
        request,
        "intake.html",
        status_code=status,
        batches=[batch],
        max_mib=max_mib,
        error=None,
        Status=BatchStatus,
    )


async def changed(request: Request, batch: Batch, actor: Actor, seen: int, timeout: float) -> Batch:
    """The batch once its version differs from `seen`, it is finished, or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while batch.version == seen and not batch.finished and time.monotonic() < deadline:
        await asyncio.sleep(LONG_POLL_STEP_S)
        batch = await own_batch(request, batch.id, actor)
    return batch


@router.get("/batches/{batch_id}")
async def batch_panel(
    request: Request,
    batch_id: str,
    seen: int | None = Query(None, ge=0, description="the version the page shows: answer when it changed"),
    actor: Actor = Depends(require(Capability.INTAKE)),
) -> Response:
    batch = await own_batch(request, batch_id, actor)
    if seen is not None:
        batch = await changed(request, batch, actor, seen, LONG_POLL_S)
    return render(request, "_batch.html", batch=batch, error=None, Status=BatchStatus)


@router.get("/batches/{batch_id}/files/{file_index}/pages/{page}.png")
async def batch_thumbnail(
    request: Request,
    batch_id: str,
    file_index: int,
    page: int,
    actor: Actor = Depends(require(Capability.INTAKE)),
) -> Response:
    png = await run_in_threadpool(desk(request).thumbnail, batch_id, actor, file_index, page)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
