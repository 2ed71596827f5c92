"""PostgreSQL's bells: a writer rings a channel inside its transaction (`pg_notify`, delivered when it commits,
once per channel however often it rang), and a waiter listens on a connection of its own instead of asking the
database every few seconds. SQLite has no bell: there `ring` does nothing and the waiters poll.

Two channels: `dach_intake` (a file was queued: idle workers take it, `storage.intake`) and `dach_events` (the
record wrote an event: `dach scheduler` dispatches it at once, `storage.events`).
"""

from __future__ import annotations

import logging
import selectors
import time
from typing import Any

from sqlalchemy import URL, Engine, make_url, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

INTAKE = "dach_intake"
EVENTS = "dach_events"
_CHANNELS = (INTAKE, EVENTS)  # LISTEN takes no bind parameter: only these names ever reach its statement


def heard_on(database: str | URL) -> bool:
    """Whether a record database rings bells (PostgreSQL); on any other (SQLite) its waiters poll instead. The
    one place that says so, for the record's waiters and for commands that choose a schedule by it."""
    return make_url(database).get_backend_name() == "postgresql"


def ring(session: Session, channel: str) -> None:
    """Ring `channel` when the session's transaction commits (PostgreSQL only)."""
    if heard_on(session.get_bind().engine.url):
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


class Bell:
    """Waits for one channel's bell on a connection of its own. One per waiting thread; not shared between
    threads. A lost connection is opened again on the next wait.

    The wait is one `poll` of the connection's socket for the whole timeout: psycopg's own `notifies(timeout=)`
    wakes every 100 ms to look (its wait interval), which made each idle worker wake ten times a second."""

    def __init__(self, engine: Engine, channel: str) -> None:
        if channel not in _CHANNELS:
            raise ValueError(f"unknown bell channel {channel!r}")
        self.channel = channel
        self._url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: Any = None

    def wait(self, timeout: float) -> bool:
        """True when the bell rang within `timeout` seconds (or it cannot be heard: look anyway)."""
        import psycopg

        try:
            if self._conn is None:
                self._conn = psycopg.connect(self._url, autocommit=True, connect_timeout=10)
                self._conn.execute(f"LISTEN {self.channel}")
                return True  # notifications sent before LISTEN are not heard: look once
            # Readable within the timeout: a notification, or the server closing the connection, which reading
            # turns into an error. (Nothing else is ever sent on this connection after LISTEN.)
            if not _readable(self._conn, timeout):
                return False
            rang = False
            for _ in self._conn.notifies(timeout=0):  # all that arrived: one look answers them together
                rang = True
            return rang
        except psycopg.Error as exc:
            log.warning("%s bell: %s; looking instead", self.channel, exc)
            self.close()
            time.sleep(min(timeout, 5.0))  # the database is away: do not wake the waiter in a tight loop
            return True

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def _readable(conn: Any, timeout: float) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(conn.fileno(), selectors.EVENT_READ)
        return bool(selector.select(timeout=timeout))
