"""Merging a duplicate record from the person's page (and the API): the documents move, the merge is audited
and a `persons_merged` event waits for the dispatcher; the front desk is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from starlette.testclient import TestClient

from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR
from storage.db import transaction
from storage.models import Person, RecordEvent
from tests.web.conftest import World, file_one
from tests.web.test_authz_matrix import api_token


def _person(world: World, surname: str, number: str, birth: str) -> tuple[str, str]:
    doc = file_one(world.archive, DocumentType.PASSPORT, surname, SYSTEM_ACTOR, number=number, birth=birth)
    view = world.archive.get_document(doc, world.actors["abh"])  # type: ignore[attr-defined]
    assert view.person_id is not None, view.notes
    return view.person_id, doc


def test_a_clerk_merges_a_duplicate_from_the_person_page(world: World, login: Callable[[str], TestClient]) -> None:
    kept, _ = _person(world, "Merzdorf", "M01X00T47", "1971-01-01")
    duplicate, moved = _person(world, "Abramowitsch", "M02X00T47", "1985-10-01")
    assert kept != duplicate
    desk = login("empfang")
    data = {"duplicate_id": duplicate, "reason": "gleiche Person"}
    refused = desk.post(f"/persons/{kept}/merge", data={"csrf_token": desk.csrf, **data}, follow_redirects=False)  # type: ignore[attr-defined]
    assert refused.status_code == 403
    clerk = login("abh")
    fragment = clerk.get(f"/persons/{kept}/work").text
    assert 'id="merge"' in fragment
    answer = clerk.post(f"/persons/{kept}/merge", data={"csrf_token": clerk.csrf, **data}, follow_redirects=False)  # type: ignore[attr-defined]
    assert answer.status_code == 303, answer.text[:300]
    record = clerk.get(f"/persons/{kept}").text
    assert f"/documents/{moved}" in record
    with transaction(world.archive._sessions) as session:  # type: ignore[attr-defined]
        assert session.get(Person, duplicate) is None
        kinds = session.scalars(select(RecordEvent.kind).where(RecordEvent.person_id == kept)).all()
        assert "persons_merged" in kinds

    other, _ = _person(world, "Zielinski", "M03X00T47", "1999-11-11")
    answer = clerk.post(
        f"/api/v1/persons/{kept}/merge",
        json={"duplicate_id": other, "reason": "gleiche Person"},
        headers=api_token(clerk, "abh"),
    )
    assert answer.status_code == 200 and answer.json()["merged_person_id"] == other
