"""The scanner share: only settled files are taken, their names kept for display only, nothing lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

from schemas.intake import AdmissionStatus, FileState
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from tests.web.conftest import pdf_page


def test_the_watcher_admits_settled_files_under_their_own_names_and_moves_them_only_after(tmp_path: Path) -> None:
    from flows.inbox import admit_settled
    from storage import open_archive

    archive = open_archive(Settings(data_dir=tmp_path / "var"))
    inbox = tmp_path / "share"
    inbox.mkdir()
    odd = os.fsdecode(b"Scan \xe4rger 01.pdf")  # a Latin-1 name from an old scanner: not UTF-8
    notice = pdf_page(["Bescheid"])
    (inbox / odd).write_bytes(notice)
    (inbox / "Scan 0002.pdf").write_bytes(b"not a scan at all")
    (inbox / "still-writing.pdf").write_bytes(b"%PDF-1.7 growing")
    for name in (odd, "Scan 0002.pdf"):
        os.utime(inbox / name, (time.time() - 60, time.time() - 60))
    (inbox / ".scanner-lock").write_text("x")
    os.utime(inbox / ".scanner-lock", (0, 0))

    admission = admit_settled(archive, inbox, settle_seconds=5)

    assert admission is not None
    assert [f.status for f in admission.files] == [AdmissionStatus.QUEUED, AdmissionStatus.REJECTED]
    progress = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert progress.channel == "scanner"
    assert progress.files[0].file == "Scan \ufffdrger 01.pdf", "the name is kept for display, undecodable bytes marked"
    assert [f.status for f in progress.files] == [FileState.QUEUED, FileState.QUARANTINED]
    assert sorted(p.name for p in inbox.iterdir()) == [".scanner-lock", "done", "still-writing.pdf"]
    assert len(list((inbox / "done" / admission.batch_id).iterdir())) == 2, "kept on the share after admission"
    assert admit_settled(archive, inbox, settle_seconds=5) is None, "nothing is taken twice"
    (inbox / "again.pdf").write_bytes(notice)
    os.utime(inbox / "again.pdf", (time.time() - 60, time.time() - 60))
    again = admit_settled(archive, inbox, settle_seconds=5)
    assert again is not None and [f.status for f in again.files] == [AdmissionStatus.DUPLICATE]
