"""Keyset paging of the inbox: the next page starts after the last task shown (`after=<cursor>`), in the
inbox's order (due date, undated last, then id), and the pages together hold every task exactly once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from schemas.errors import InvalidRequest
from schemas.record import Department
from storage import Archive
from storage.models import Task
from tests.storage.test_dispatch import clerk


def test_pages_after_the_last_cursor_hold_every_task_once_in_order(archive: Archive) -> None:
    today, now = date.today(), datetime.now(UTC)
    rows = []
    for i in range(57):
        due = (today + timedelta(days=i % 7 - 2)).isoformat() if i % 5 else None
        rows.append(
            {
                "id": f"tsk_page{i:04d}", "source": f"page:{i}", "rule": "bench", "department": "jobcentre",
                "kind": "handover", "title": "t", "document_id": None, "document_type": None, "person_id": None,
                "due_date": due, "due_sort": due or "9999-12-31", "status": "open", "active": True,
                "assignee": None, "note": "", "history": {"entries": []}, "created_by": "bench",
                "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    with archive.engine.begin() as conn:
        conn.execute(insert(Task), rows)
    actor = clerk(Department.JOBCENTRE)
    everything = archive.list_tasks(actor, limit=100)
    pages, after = [], None
    while True:
        page = archive.list_tasks(actor, limit=10, after=after)
        pages.extend(page)
        if len(page) < 10:
            break
        after = page[-1].cursor
    assert [t.id for t in pages] == [t.id for t in everything] and len(pages) == 57
    assert everything[-1].due_date is None, "undated tasks come last"
    with pytest.raises(InvalidRequest):
        archive.list_tasks(actor, after="no-cursor")
