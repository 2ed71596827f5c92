"""Regression tests for how the reader relies on the tesseract gateway."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr import tesseract
from tests.ocr.pagegen import FONT


def test_orientation_of_a_page_with_too_few_characters_is_unknown_not_an_error():
    """OSD answers "Too few characters" through pytesseract's TesseractError, a RuntimeError subclass that
    the gateway once let through unconverted, crashing the reader's second look at ID-card photos."""
    image = Image.new("L", (1200, 800), 255)
    ImageDraw.Draw(image).text((100, 350), "Nr. 7", font=ImageFont.truetype(FONT, 60), fill=0)
    assert tesseract.detect_orientation(np.asarray(image), timeout=30) is None


def test_a_tesseract_killed_by_a_signal_is_a_transient_error_and_the_page_is_tried_again(tmp_path, monkeypatch):
    """A tesseract killed from outside (the out-of-memory killer, an operator) is not the scan's fault: the
    reader tries the page once more, and if it is killed again the error stays transient, so the intake
    gives the file back to the queue instead of quarantining a good scan as `program_failed`."""
    import pytesseract
    import pytest

    from ocr.reader import ReadOptions, _recognise
    from schemas.errors import ProgramKilled, TransientError
    from schemas.settings import Settings

    real = pytesseract.pytesseract.tesseract_cmd
    calls = tmp_path / "calls"
    dies_once = tmp_path / "dies-once"
    dies_once.write_text(
        f'#!/bin/sh\necho x >> {calls}\n[ "$(wc -l < {calls})" -gt 1 ] && exec {real} "$@"\nkill -9 $$\n'
    )
    dies_once.chmod(0o755)
    image = np.full((200, 600), 255, dtype=np.uint8)
    options = ReadOptions.from_settings(Settings(data_dir=tmp_path))
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(dies_once))
    _recognise(image, "eng", 300, options)  # killed once, read on the second try
    assert calls.read_text().count("x") == 2

    always = tmp_path / "always-dies"
    always.write_text("#!/bin/sh\nkill -9 $$\n")
    always.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(always))
    with pytest.raises(ProgramKilled) as caught:
        _recognise(image, "eng", 300, options)
    assert isinstance(caught.value, TransientError) and "signal 9" in caught.value.message


def test_a_tesseract_that_hangs_when_probed_is_a_timeout_not_a_wait_forever(tmp_path, monkeypatch):
    """The fault series stopped the `tesseract --list-langs` of the start-up probe: `dach intake` waited 30
    minutes (the probe had no timeout; the page timeout starts later)."""
    import time

    import pytesseract
    import pytest

    from schemas.errors import ProgramTimeout

    hangs = tmp_path / "tesseract"
    hangs.write_text("#!/bin/sh\nexec sleep 120\n")
    hangs.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(hangs))
    started = time.monotonic()
    with pytest.raises(ProgramTimeout, match="did not answer within 1 s"):
        tesseract.probe.__wrapped__(timeout=1.0)
    assert time.monotonic() - started < 10


def test_the_probe_reads_the_version_and_the_installed_languages():
    version, languages = tesseract.probe.__wrapped__()
    assert version[0].isdigit() and "." in version
    assert {"deu", "eng", "osd"} <= languages


def test_a_probe_killed_by_a_signal_is_transient_not_a_missing_install(tmp_path, monkeypatch):
    """The fault series killed the probe's tesseract: `dach intake` exited 4 ("install tesseract")."""
    import pytesseract
    import pytest

    from schemas.errors import ProgramKilled

    killed = tmp_path / "tesseract"
    killed.write_text("#!/bin/sh\nkill -9 $$\n")
    killed.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(killed))
    with pytest.raises(ProgramKilled, match="signal 9"):
        tesseract.probe.__wrapped__()
