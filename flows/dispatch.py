"""The dispatcher flows: hand every change of the record over to the departments it concerns.

`dispatch_events` runs the dispatcher once (after each intake batch, on a schedule, and from `dach dispatch`);
`daily_checks` runs the daily work (follow-ups before expiry dates, the e-mail digest). Both are thin: the
work is `storage`'s (`Archive.dispatch`, `Archive.check_expiry`), which is idempotent, so running a flow
twice, or two workers at once, creates no task twice. `watch` keeps dispatching every few seconds for
installations that want tasks to appear within seconds of filing.
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
    # The process's open archive, not a new one per run: `dach scheduler` runs this every 2 minutes, and each run
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


def watch(archive: Archive, interval: float, stop: threading.Event) -> None:
    """Dispatch every `interval` seconds until `stop` is set (one cheap indexed query when idle)."""
    while not stop.is_set():
        try:
            _dispatch(archive)
        except DachError as exc:
            log.warning("dispatch failed (%s): %s; retrying", exc.code, exc.message)
        stop.wait(interval)
