"""The watched folder: where the front-desk scanner drops files, picked up by a scheduled Prefect flow.

A file is taken only once its size has stopped changing (the scanner may still be writing), moved into a
per-batch working folder under a generated name (the scanner's file name is never used as a path), filed by
the intake flow, and then moved to `done/` (or left in the working folder if the run failed, so nothing is
lost and the next run can be inspected).
"""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path

from prefect import flow

from flows.intake import intake_files
from schemas.intake import BatchReport
from schemas.settings import Settings

log = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0


def inbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "inbox"


def take_settled_files(inbox: Path, batch_id: str, *, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """Move files that have not changed for `settle_seconds` into `inbox/.work/<batch>/`."""
    now = time.time()
    work = inbox / ".work" / batch_id
    taken: list[Path] = []
    for index, path in enumerate(sorted(p for p in inbox.iterdir() if p.is_file() and not p.name.startswith("."))):
        if now - path.stat().st_mtime < settle_seconds:
            continue
        work.mkdir(parents=True, exist_ok=True)
        target = work / f"{index:05d}{path.suffix.lower()[:8] if path.suffix.isascii() else ''}"
        path.rename(target)
        (work / f".{target.name}.name").write_text(path.name, encoding="utf-8")  # display name for people
        taken.append(target)
    return taken


@flow(name="dach-watch-inbox", validate_parameters=False)
def watch_inbox(settle_seconds: float = SETTLE_SECONDS) -> BatchReport | None:
    """Scheduled: file whatever the scanner has dropped into the inbox since the last run."""
    settings = Settings()  # deployments start here: this flow is a shell, like the CLI
    inbox = inbox_dir(settings)
    inbox.mkdir(parents=True, exist_ok=True)
    batch_id = uuid.uuid4().hex[:12]
    files = take_settled_files(inbox, batch_id, settle_seconds=settle_seconds)
    if not files:
        return None
    report = intake_files(files, settings, batch_id=batch_id)
    done = inbox / "done"
    done.mkdir(exist_ok=True)
    (inbox / ".work" / batch_id).rename(done / batch_id)
    log.info("inbox batch %s: %d results", batch_id, len(report.items))
    return report


@flow(name="dach-intake-paths", validate_parameters=True)
def intake_paths(paths: list[str]) -> BatchReport:
    """Deployment entry point for other systems: file the given paths (as seen by the worker)."""
    return intake_files([Path(p) for p in paths], Settings())
