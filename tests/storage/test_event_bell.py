"""The record's event bell (issue 12: an idle installation should cost next to nothing, and a change should
reach the departments at once). On PostgreSQL every written record event rings `dach_events` when its
transaction commits, and `dach scheduler`'s follower dispatches it within seconds, without a scheduled run; a
burst of changes is one dispatch. On SQLite there is no bell: the follower says so at once and the scheduled
dispatcher does the work."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from schemas.documents import DocumentType
from storage.db import transaction
from storage.models import RecordEvent
from tests.storage.conftest import Backend, Filer


def _undispatched(backend: Backend) -> int:
    with transaction(backend.archive._sessions) as session:
        return len(list(session.scalars(select(RecordEvent.seq).where(RecordEvent.dispatched_at.is_(None)))))


def test_a_written_event_is_dispatched_at_once_where_the_record_has_a_bell(backend: Backend) -> None:
    from flows import dispatch

    filer = Filer(backend.archive)
    stop = threading.Event()
    followed: list[bool] = []
    follower = threading.Thread(
        target=lambda: followed.append(dispatch.follow_events(backend.settings, stop, settle_s=0.2, look_s=1.0)),
        daemon=True,
    )
    follower.start()
    try:
        if backend.archive.event_bell() is None:  # SQLite
            follower.join(10)
            assert followed == [False], "without a bell the follower must hand the work back to the schedule"
            filer.file(DocumentType.PASSPORT)
            time.sleep(1.0)
            assert _undispatched(backend) == 1, "nothing but a dispatcher run may dispatch on SQLite"
            return
        time.sleep(1.0)  # the follower listens (its first look finds nothing pending)
        for _ in range(3):  # a burst: three documents filed one after the other
            filer.file(DocumentType.PASSPORT)
        deadline = time.monotonic() + 15
        while _undispatched(backend) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _undispatched(backend) == 0, "the bell did not bring the events to the dispatcher"
        with transaction(backend.archive._sessions) as session:
            events = list(session.scalars(select(RecordEvent)))
        assert len(events) == 3 and all(e.dispatched_at is not None for e in events)
    finally:
        stop.set()
        follower.join(5)  # a waiting follower notices the stop at its next look
        assert not follower.is_alive(), "the follower did not stop when asked"


def test_only_a_postgresql_record_rings_bells_whatever_its_driver() -> None:
    from storage.bells import heard_on

    assert heard_on("postgresql://dach@127.0.0.1:5432/dach")
    assert heard_on("postgresql+psycopg://dach@db/dach")
    assert not heard_on("sqlite:////var/lib/dach/dach.sqlite")
    assert not heard_on("sqlite://")
