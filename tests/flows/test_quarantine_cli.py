"""A rejected file is kept byte for byte and can be listed and taken back out from the command line."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.bad_inputs import encrypted_pdf

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")


@pytest.mark.slow
def test_a_quarantined_file_is_listed_with_its_reason_and_comes_back_unchanged(tmp_path: Path) -> None:
    env = {**os.environ, "DACH_DATA_DIR": str(tmp_path / "var")}
    locked = tmp_path / "Bescheid gesperrt.pdf"
    locked.write_bytes(encrypted_pdf())

    def dach(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([DACH, *args], env=env, capture_output=True, text=True, timeout=600)

    intake = dach("intake", "--json", str(locked))
    assert intake.returncode == 1, "a quarantined file makes intake exit 1"
    (item,) = json.loads(intake.stdout)["items"]
    assert item["status"] == "quarantined" and item["error"]["code"] == "encrypted_pdf"

    (entry,) = json.loads(dach("quarantine", "list", "--json").stdout)
    assert entry["id"] == item["quarantine_id"]
    assert entry["original_name"] == locked.name and "password" in entry["error_message"].lower()

    back = tmp_path / "back.pdf"
    assert dach("quarantine", "get", entry["id"], str(back)).returncode == 0
    assert back.read_bytes() == locked.read_bytes()
