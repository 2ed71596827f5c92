"""Front desk: hand in a stack (drag and drop or file picker) and watch it being read and filed.

The upload answers at once with the batch's panel; the panel asks `/intake/batches/<id>?seen=<version>` again
and again until the batch is done (a long poll: each request is answered as soon as something changed, or
after LONG_POLL_S with the same panel), so each document appears the moment it is filed. A batch is visible
only to the user who uploaded it.
"""

from __future__ import annotations

import asyncio
import time
from typing import cast

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.record import Actor
from web.batches import Batch, BatchRunner, BatchStatus
from web.deps import render, require
from web.policy import Capability
from web.strings_de import T

router = APIRouter(prefix="/intake")
MAX_FILES_PER_UPLOAD = 200
LONG_POLL_S = 20.0  # the longest a panel request is held when nothing changes
LONG_POLL_STEP_S = 0.05  # how often a held request looks at its batch (cheap: no database)


class TooManyFiles(InvalidRequest):
    code = "too_many_files"


def runner(request: Request) -> BatchRunner:
    return cast(BatchRunner, request.app.state.batches)


def own_batch(request: Request, batch_id: str, actor: Actor) -> Batch:
    batch = runner(request).get(batch_id)
    if batch is None:
        raise NotFound(f"there is no batch {batch_id} (batches are kept until the server restarts)")
    if batch.owner != actor.name:
        raise AccessDenied(f"batch {batch_id} belongs to another user")
    return batch


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
async def intake_page(request: Request, actor: Actor = Depends(require(Capability.INTAKE))) -> Response:
    batches = runner(request).recent(actor.name)
    max_mib = request.app.state.settings.limits.max_file_bytes // (1024 * 1024)
    moved = T["move.withdrawn_filed"] if request.query_params.get("moved") else None
    return render(
        request, "intake.html", batches=batches, max_mib=max_mib, error=None, message=moved, Status=BatchStatus
    )


@router.post("/upload")
async def upload(request: Request, actor: Actor = Depends(require(Capability.INTAKE))) -> Response:
    htmx = request.headers.get("hx-request") == "true"
    uploads = await read_uploads(request)
    if not uploads:
        status = 200 if htmx else 400  # htmx swaps only 2xx answers; the fragment itself shows the error
        return render(request, "_batch.html", status_code=status, batch=None, error=T["intake.no_files"])
    batch = await run_in_threadpool(runner(request).admit, actor, uploads)
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


async def changed(batch: Batch, seen: int, timeout: float) -> None:
    """Return once the batch is past version `seen`, is finished, or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while batch.version <= seen and not batch.finished and time.monotonic() < deadline:
        await asyncio.sleep(LONG_POLL_STEP_S)


@router.get("/batches/{batch_id}")
async def batch_panel(
    request: Request,
    batch_id: str,
    seen: int | None = Query(None, ge=0, description="the version the page shows: answer when it changed"),
    actor: Actor = Depends(require(Capability.INTAKE)),
) -> Response:
    batch = own_batch(request, batch_id, actor)
    if seen is not None:
        await changed(batch, seen, LONG_POLL_S)
    return render(request, "_batch.html", batch=batch, error=None, Status=BatchStatus)


@router.get("/batches/{batch_id}/files/{file_index}/pages/{page}.png")
async def batch_thumbnail(
    request: Request,
    batch_id: str,
    file_index: int,
    page: int,
    actor: Actor = Depends(require(Capability.INTAKE)),
) -> Response:
    batch = own_batch(request, batch_id, actor)
    if not 0 <= file_index < len(batch.files) or page not in batch.files[file_index].thumbnails:
        raise NotFound(f"batch {batch_id} has no thumbnail of page {page} of file {file_index + 1}")
    png = batch.files[file_index].thumbnails[page]
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
