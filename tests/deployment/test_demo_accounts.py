"""`make demo` ends with logins a newcomer can use; running it again creates nothing twice."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from schemas.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")


def test_demo_accounts_are_created_once_and_their_passwords_log_in(tmp_path: Path) -> None:
    env = {**os.environ, "DACH_DATA_DIR": str(tmp_path / "var")}
    first = subprocess.run([DACH, "demo-accounts"], env=env, capture_output=True, text=True, timeout=120)
    again = subprocess.run([DACH, "demo-accounts"], env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert first.stdout == again.stdout, "the second run prints the same logins and creates none"
    assert "http://127.0.0.1:8000/" in first.stdout

    from storage import open_archive

    archive = open_archive(Settings(data_dir=tmp_path / "var"))
    try:
        for line in (tmp_path / "var" / "demo-logins.txt").read_text().splitlines():
            name, password = line.split("\t")
            assert archive.authenticate(name, password) is not None, name
            assert archive.authenticate(name, password + "x") is None
    finally:
        archive.close()
    assert oct((tmp_path / "var" / "demo-logins.txt").stat().st_mode & 0o777) == "0o600"
