"""A card scanned duplex in the intake stack: its front is read again once its back's zone is read
(`flows.stack.Stack.read_front_again`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import stack as stack_module
from flows.stack import Stack
from ocr import reader, visual_zone
from ocr.pages import PageImage
from schemas.intake import IntakeClaim, ReadPage
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from tests.ocr.test_visual_zone import FRONT_WORDS, _copy_sheet, _duplex


class _Archive:
    def __init__(self) -> None:
        self.fetched: list[str] = []

    def get_object(self, key: str) -> bytes:
        self.fetched.append(key)
        return b"scan"


def test_the_front_of_a_duplex_card_is_read_again_when_its_back_joins_the_stack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    archive = _Archive()
    monkeypatch.setattr(stack_module, "archive_for", lambda settings: archive)
    monkeypatch.setattr(reader, "inspect_source_cached", lambda data, limits: None)
    monkeypatch.setattr(
        reader, "page_image", lambda data, info, page, limits: PageImage(gray=_copy_sheet("ERGÜL", back=False), dpi=300)
    )
    claim = IntakeClaim(
        sha256="a" * 64, object_key="k", original_name="scan.tif", batch_id="b", uploader=SYSTEM_ACTOR, attempt=1
    )
    stack = Stack(claim, Settings(data_dir=tmp_path / "var"), lambda item: None)
    front, back = _duplex(FRONT_WORDS)
    stack.pages = [ReadPage(text=front, pdf_key="front.pdf")]
    stack.read_front_again()  # a page alone has no back yet
    stack.pages.append(ReadPage(text=back, pdf_key=None))
    stack.read_front_again()
    assert archive.fetched == ["k"]
    looked = stack.pages[0]
    assert looked.pdf_key == "front.pdf" and stack.pages[1].text == back
    assert "ERGÜL" in [w.text for w in looked.text.words if w.block >= visual_zone.SIDE_BLOCKS]
    # a page after the back is no back: nothing is fetched again
    stack.pages.append(ReadPage(text=front.model_copy(update={"page": 3}), pdf_key=None))
    stack.read_front_again()
    assert archive.fetched == ["k"]
