"""Rows never point at missing objects unreported: a scrub finds them, and a re-run of the scan repairs them.

After the S3 peer restarted empty, a re-run reported two documents as `duplicate` although their objects were
gone, and `dach audit verify` passed."""

from __future__ import annotations

from schemas.record import SYSTEM_ACTOR, FilingStatus
from tests.storage.conftest import Backend, Filer


def test_missing_objects_are_reported_with_their_rows_and_a_rerun_repairs_them(backend: Backend) -> None:
    archive = backend.archive
    filer = Filer(archive)
    request = filer.request(original=b"scan of a passport, page 1")
    outcome = archive.file_document(request, SYSTEM_ACTOR)
    assert archive.scrub() == [] and archive.scrub(deep=True) == []

    # The object store loses the document's objects (a restarted, empty S3 peer).
    assert request.text_key is not None
    for key in (request.original_key, request.text_key):
        archive.store.delete(key, bypass_governance=True)  # lost behind dach's back (retained or not)
    problems = {p.key: p for p in archive.scrub()}
    assert set(problems) == {request.original_key, request.text_key}
    assert any(outcome.document_id in row for row in problems[request.text_key].rows)
    assert problems[request.original_key].problem == "missing"

    # The same scan handed in again: its objects are stored anew and the document points at them.
    again = request.model_copy(update={"original_key": archive.put_original(b"scan of a passport, page 1")})
    again = again.model_copy(update={"text_key": archive.put_derived(b'[{"again": 1}]', "application/json")})
    repeated = archive.file_document(again, SYSTEM_ACTOR)
    assert repeated.status is FilingStatus.DUPLICATE and repeated.document_id == outcome.document_id
    assert archive.scrub() == [], "every object of the duplicate exists again"
    assert archive.verify_audit().ok
