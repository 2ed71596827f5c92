"""A missing tesseract language pack is reported when `dach extract`, `intake` or `serve` starts, with the
Debian package to install, not on the first page of a rarer script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ocr import tesseract
from ocr.reader import ReadOptions, require_tesseract
from schemas.errors import MissingDependency

REPO = Path(__file__).resolve().parents[2]


def _tessdata() -> Path:
    version, _ = tesseract.probe()
    for folder in (Path(f"/usr/share/tesseract-ocr/{version.split('.')[0]}/tessdata"), Path("/usr/share/tessdata")):
        if (folder / "eng.traineddata").is_file():
            return folder
    pytest.skip("tesseract's language folder is not where Debian puts it")


@pytest.fixture
def only_english(tmp_path: Path) -> Path:
    """A tessdata folder with English and OSD only: as on a machine where the other packs were never installed."""
    source = _tessdata()
    for name in ("eng.traineddata", "osd.traineddata"):
        (tmp_path / name).symlink_to(source / name)
    return tmp_path


def test_the_reader_needs_every_language_it_may_switch_to() -> None:
    needed = ReadOptions(languages="deu+eng").languages_needed()
    assert {"deu", "eng", "ukr", "rus", "ara", "fas", "tur", "osd"} <= needed
    assert {"pol", "ces", "slk", "ron", "fra", "spa", "nor"} <= needed  # the holders' alphabets (`ocr.visual_zone`)


def test_this_machine_has_every_pack() -> None:
    assert require_tesseract(ReadOptions())  # the version string


def test_a_missing_pack_names_the_package_to_install(monkeypatch, only_english: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TESSDATA_PREFIX", str(only_english))
    tesseract.probe.cache_clear()
    try:
        with pytest.raises(MissingDependency) as caught:
            require_tesseract(ReadOptions())
    finally:
        tesseract.probe.cache_clear()
    assert "ukr" in caught.value.message
    assert "apt-get install" in caught.value.message and "tesseract-ocr-ukr" in caught.value.message
    assert "tesseract-ocr-eng" not in caught.value.message


@pytest.mark.parametrize("command", ["extract", "intake", "serve"])
def test_commands_that_read_pages_stop_at_start_up(command: str, only_english: Path, tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"not read: the check comes first")
    env = {**os.environ, "TESSDATA_PREFIX": str(only_english), "DACH_DATA_DIR": str(tmp_path / "var")}
    args = {"extract": [str(scan)], "intake": [str(scan)], "serve": ["--port", "1"]}[command]
    dach = [sys.executable, "-c", "from dach.cli import app; app()", command]
    result = subprocess.run([*dach, *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert result.returncode == 4, result.stderr[-2000:]
    assert "tesseract-ocr-ukr" in " ".join(result.stderr.split())
    assert not (tmp_path / "var").exists()  # nothing was started or written
    helped = subprocess.run([*dach, "--help"], capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    assert helped.returncode == 0  # asking how to use it needs no tesseract
