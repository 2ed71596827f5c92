"""The scanner share: where the front-desk scanner (or any system that can write a folder) drops files.

One long-lived, cheap process watches it (`dach watch`): every few seconds it lists the folder, takes the
files whose size and time have stopped changing (the scanner may still be writing), hands each one to the
intake door (`Archive.admit`, channel `scanner`) and only then moves it to `done/<batch>/`. The scanner's
file name is kept as the original name in the record (bytes that are not UTF-8 included) and is never used
as a path or object key there. A file the door rejects is quarantined in the record and moved to `done/` too:
nothing stays to be taken twice, nothing is lost. The workers read the admitted files from the object store,
so they need no access to this folder.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from pathlib import Path

from schemas.errors import DachError
from schemas.intake import BatchAdmission, IntakeChannel, Upload
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from storage import Archive

log = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0
MAX_FILES_PER_BATCH = 50


def inbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "inbox"


def settled_files(inbox: Path, *, settle_seconds: float = SETTLE_SECONDS) -> list[Path]:
    """Visible top-level files that have not changed for `settle_seconds`, oldest first."""
    now = time.time()
    found: list[tuple[float, Path]] = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            mtime = entry.stat(follow_symlinks=False).st_mtime
            if now - mtime >= settle_seconds:
                found.append((mtime, Path(entry.path)))
    return [path for _, path in sorted(found)][:MAX_FILES_PER_BATCH]


def admit_settled(archive: Archive, inbox: Path, *, settle_seconds: float = SETTLE_SECONDS) -> BatchAdmission | None:
    """Hand the settled files to the intake door as one batch, then move them to `done/<batch>/`."""
    files = settled_files(inbox, settle_seconds=settle_seconds)
    if not files:
        return None
    batch_id = uuid.uuid4().hex[:16]
    uploads = [Upload.from_os_name(path.name, path.read_bytes()) for path in files]
    admission = archive.admit(uploads, IntakeChannel.SCANNER, SYSTEM_ACTOR, batch_id=batch_id)
    done = inbox / "done" / batch_id
    done.mkdir(parents=True, exist_ok=True)
    for path in files:  # admitted: the share's copy is no longer the only one
        path.rename(done / path.name)
    log.info("scanner share: batch %s, %d files admitted", batch_id, len(files))
    return admission


def watch(
    archive: Archive,
    inbox: Path,
    stop: threading.Event,
    *,
    every_s: float = 2.0,
    settle_seconds: float = SETTLE_SECONDS,
) -> None:
    """Watch the share until `stop` is set (`dach watch`): a folder listing every `every_s` seconds."""
    inbox.mkdir(parents=True, exist_ok=True)
    while not stop.is_set():
        try:
            admit_settled(archive, inbox, settle_seconds=settle_seconds)
        except (OSError, DachError) as exc:  # the share or the record is briefly away: the next look tries again
            log.warning("scanner share %s: %s", inbox, exc)
        stop.wait(every_s)
