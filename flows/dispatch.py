"""The dispatcher flows: hand every change of the record over to the departments it concerns.

`dispatch_events` runs the dispatcher once (after each intake batch, on a schedule, and from `dach dispatch`);
`daily_checks` runs the daily work (follow-ups before expiry dates, the e-mail digest). Both are thin: the
work is `storage`'s (`Archive.dispatch`, `Archive.check_expiry`), which is idempotent, so running a flow
twice, or two workers at once, creates no task twice. `follow_events` (in `dach scheduler`, PostgreSQL) hands
each change over the moment the record rings its event bell, so there the scheduled run is only the backstop
for a bell lost with a dropped connection; `watch` keeps dispatching every few seconds where there is no bell.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from prefect import flow

from flows.runtime import archive_for
from schemas.errors import DachError
from schemas.settings import Settings
from schemas.tasks import DispatchReport
from storage import Archive

log = logging.getLogger(__name__)

FOLLOW_LOOK_S = 60.0  # the longest wait for the event bell: how soon `follow_events` notices a stop


def _dispatch(archive: Archive) -> DispatchReport:
    report = archive.dispatch()
    if report.events:
        log.info("dispatched %d events into %d tasks", report.events, report.tasks)
    return report


@flow(name="dach-dispatch", validate_parameters=False)
def dispatch_events(settings: Settings | None = None) -> DispatchReport:
    """Turn pending record events into department tasks (scheduled and after every intake batch), then
    deliver the webhooks that are due (if any are configured, see `flows/notify.py`)."""
    from flows.notify import Notifications, deliver_webhooks

    settings = settings or Settings()
    config = Notifications.load(settings.notifications_file)
    # The process's open archive, not a new one per run: `dach scheduler` runs this on a schedule, and each run
    # opened the record anew (policy, engine and pool, schema check, bucket: 0.03 CPU-s and new connections).
    archive = archive_for(settings)
    report = _dispatch(archive)
    if config.webhooks:
        deliver_webhooks(archive, config)
    return report


@flow(name="dach-daily-checks", validate_parameters=False)
def daily_checks(settings: Settings | None = None, today: date | None = None) -> int:
    """Once a day: follow-ups for identity documents and permits before they expire, and expired ones; then
    the e-mail digest of each department's inbox (if configured, see `flows/notify.py`)."""
    from flows.notify import Notifications, send_digests

    settings = settings or Settings()
    config = Notifications.load(settings.notifications_file)
    archive = archive_for(settings)
    created = archive.check_expiry(today or date.today())
    _dispatch(archive)
    sent = send_digests(archive, config, today or date.today())
    log.info("daily checks: %d expiry tasks created, %d digests sent", created, sent)
    return created


def dispatch_after_intake(archive: Archive) -> None:
    """Called when an intake batch ends. A failure here loses nothing (the events stay pending for the
    scheduled run), so it is logged and the batch's report still goes out."""
    try:
        _dispatch(archive)
    except DachError as exc:
        log.warning("dispatch after intake failed (%s); the scheduled dispatcher will retry", exc.code)


def follow_events(
    settings: Settings, stop: threading.Event, *, settle_s: float = 1.0, look_s: float = FOLLOW_LOOK_S
) -> bool:
    """Dispatch whenever the record rings its event bell, until `stop` is set (`dach scheduler`, in a thread
    of its own). A burst of changes (a clerk assigning a stack) rings many times: after a bell it waits
    `settle_s` and then dispatches everything pending at once. With webhooks configured it also delivers the
    retries that fell due, as often as the shortest back-off; without, an idle record costs a wake-up every
    `look_s` (how soon a stop is noticed).
    False at once where the record has no bell (SQLite): the scheduled runs do the work there."""
    from flows.notify import Notifications, deliver_webhooks

    while True:  # the record may still be starting with the scheduler (compose starts them together)
        try:
            archive = archive_for(settings)
            break
        except DachError as exc:
            log.warning("event follower: the record is not there yet (%s); trying again", exc.code)
            if stop.wait(look_s):
                return True
    bell = archive.event_bell()
    if bell is None:
        return False
    config = Notifications.load(settings.notifications_file)
    timeout = min([look_s, *(hook.backoff_s for hook in config.webhooks if hook.backoff_s > 0)])
    try:
        while not stop.is_set():
            rang = bell.wait(timeout=timeout)
            if stop.is_set():
                break
            try:
                if rang:
                    stop.wait(settle_s)
                    _dispatch(archive)
                if config.webhooks and (rang or timeout < look_s):
                    deliver_webhooks(archive, config)
            except DachError as exc:  # the record is away for a moment: the next bell or look tries again
                log.warning("dispatch after a record event failed (%s): %s", exc.code, exc.message)
    finally:
        bell.close()
    return True


def watch(archive: Archive, interval: float, stop: threading.Event) -> None:
    """Dispatch every `interval` seconds until `stop` is set (one cheap indexed query when idle)."""
    while not stop.is_set():
        try:
            _dispatch(archive)
        except DachError as exc:
            log.warning("dispatch failed (%s): %s; retrying", exc.code, exc.message)
        stop.wait(interval)
