"""A visit's stack is scanned under the visit: the upload page opened from the visit files everything the
person brought into one batch, kept in `visits.batch_id` (issue 18: the column was never filled).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select
from starlette.testclient import TestClient

from schemas.record import Department, Role
from storage.db import transaction
from storage.models import IntakeFile, Visit
from tests.web.conftest import PASSWORD, StandInReader, World, csrf_of, pdf_page


def _open_visit(client: TestClient, person_id: str) -> str:
    answer = client.post(
        "/visits",
        data={"csrf_token": csrf_of(client, "/visits/new"), "person_id": person_id, "concern.social_welfare": "Antrag"},
    )
    assert answer.status_code == 200, answer.text[:300]
    found = re.search(r'id="visit-scan" href="/intake\?visit=([a-z0-9_]+)"', answer.text)
    assert found, "the saved visit offers to scan its stack"
    return found.group(1)


def _upload(client: TestClient, visit_id: str, text: str) -> str:
    page = client.get(f"/intake?visit={visit_id}").text
    assert f'name="visit_id" value="{visit_id}"' in page
    files = [("files", (f"{text}.pdf", pdf_page([text]), "application/pdf"))]
    answer = client.post(
        "/intake/upload",
        data={"csrf_token": csrf_of(client, "/intake"), "visit_id": visit_id},
        files=files,
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200, answer.text[:300]
    return re.search(r'id="batch-([0-9a-f]+)"', answer.text).group(1)  # type: ignore[union-attr]


def test_a_visits_stack_is_one_batch_kept_on_the_visit(world: World, login: Callable[[str], TestClient]) -> None:
    desk = login("empfang")
    visit_id = _open_visit(desk, world.person_id)
    first = _upload(desk, visit_id, "Bescheid der Vorsprache")
    second = _upload(desk, visit_id, "Zweiter Bescheid der Vorsprache")
    assert first == second, "everything the person brought is one batch"
    with transaction(world.archive._sessions) as session:  # type: ignore[attr-defined]
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.batch_id == first
        assert len(session.scalars(select(IntakeFile).where(IntakeFile.batch_id == first)).all()) == 2
    StandInReader(world.archive).read_all()
    assert "Dokumente aus 2 Dateien verarbeitet." in desk.get(f"/intake/batches/{first}").text


def test_only_the_one_who_opened_the_visit_scans_under_it(world: World, login: Callable[[str], TestClient]) -> None:
    visit_id = _open_visit(login("empfang"), world.person_id)
    world.archive.add_user("empfang2", PASSWORD, Role.FRONT_DESK, Department.FRONT_DESK)  # type: ignore[attr-defined]
    other = login("empfang2")
    files = [("files", ("x.pdf", pdf_page(["fremd"]), "application/pdf"))]
    answer = other.post(
        "/intake/upload", data={"csrf_token": csrf_of(other, "/intake"), "visit_id": visit_id}, files=files
    )
    assert answer.status_code == 403
    with transaction(world.archive._sessions) as session:  # type: ignore[attr-defined]
        assert session.get(Visit, visit_id).batch_id is None  # type: ignore[union-attr]
