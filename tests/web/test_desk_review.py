"""The front desk on the review screen of a document it scanned that awaits review: it corrects fields and
the type (issue 18: every action ended in 403/400); another front desk user gets nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from schemas.record import Department, Role
from schemas.strings_de import T
from tests.web.conftest import PASSWORD, World


def test_the_desk_corrects_fields_and_type_of_what_it_scanned(world: World, login: Callable[[str], TestClient]) -> None:
    desk = login("empfang")
    page = desk.get(f"/documents/{world.pending_id}/review")
    assert page.status_code == 200 and 'id="retype"' in page.text
    token = desk.csrf  # type: ignore[attr-defined]
    answer = desk.post(
        f"/documents/{world.pending_id}/correct",
        data={"csrf_token": token, "field.subject": "Leistungsbescheid", "reason": "vom Blatt abgelesen"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    answer = desk.post(
        f"/documents/{world.pending_id}/type",
        data={"csrf_token": token, "doc_type": "other", "reason": "kein Bescheid, ein Begleitschreiben"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    shown = desk.get(answer.headers["location"]).text
    assert T["review.type_saved"] in shown

    world.archive.add_user("empfang3", PASSWORD, Role.FRONT_DESK, Department.FRONT_DESK)  # type: ignore[attr-defined]
    other = login("empfang3")
    for path, data in (
        (f"/documents/{world.pending_id}/correct", {"field.subject": "fremd", "reason": "x"}),
        (f"/documents/{world.pending_id}/type", {"doc_type": "notice", "reason": "x"}),
    ):
        answer = other.post(path, data={"csrf_token": other.csrf, **data}, follow_redirects=False)  # type: ignore[attr-defined]
        assert answer.status_code == 403, (path, answer.status_code)
