"""The scanner inbox: only settled files are taken, under generated names, and nothing is lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

from flows.inbox import take_settled_files


def test_only_files_the_scanner_has_finished_writing_are_taken(tmp_path: Path) -> None:
    old = tmp_path / "Scan 2025-03-14 (1).PDF"
    old.write_bytes(b"%PDF-1.7 settled")
    os.utime(old, (time.time() - 60, time.time() - 60))
    fresh = tmp_path / "scan-being-written.pdf"
    fresh.write_bytes(b"%PDF-1.7 still growing")

    taken = take_settled_files(tmp_path, "batch1", settle_seconds=5)

    assert [p.read_bytes() for p in taken] == [b"%PDF-1.7 settled"]
    assert taken[0].name == "00000.pdf", "the scanner's file name is never used as a path"
    assert (taken[0].parent / ".00000.pdf.name").read_text() == old.name, "the display name is kept"
    assert fresh.exists() and not old.exists()


def test_hidden_files_and_the_work_folder_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".scanner-lock").write_text("x")
    os.utime(tmp_path / ".scanner-lock", (0, 0))
    assert take_settled_files(tmp_path, "batch2", settle_seconds=0) == []
    assert (tmp_path / ".scanner-lock").exists()
