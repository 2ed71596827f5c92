"""The generated corpus keeps its promises: truth agrees with the files, MRZs verify, seeds reproduce."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from lab.samples import generate
from lab.samples.generate import FORMATS
from schemas.documents import MRZ_TYPES, DocumentType, fields_for


def _digit(field: str) -> str:
    """ICAO 9303 check digit, written again here so the test does not trust the generator's own."""
    values = {**{str(d): d for d in range(10)}, **{chr(65 + i): 10 + i for i in range(26)}, "<": 0}
    return str(sum(values[c] * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def _mrz_check_digits_hold(lines: list[str]) -> bool:
    if len(lines) == 3:  # TD1
        l1, l2, _ = lines
        number_ok = _digit(l1[5:14]) == l1[14] if l1[14] != "<" else True
        composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
        return number_ok and _digit(l2[0:6]) == l2[6] and _digit(l2[8:14]) == l2[14] and _digit(composite) == l2[29]
    l1, l2 = lines
    basic = _digit(l2[0:9]) == l2[9] and _digit(l2[13:19]) == l2[19] and _digit(l2[21:27]) == l2[27]
    if l1[0] == "V":  # MRV-A / MRV-B: no composite check digit
        return basic
    if len(l2) == 36:  # TD2: composite over number, birth date, expiry and optional data
        return basic and _digit(l2[0:10] + l2[13:20] + l2[21:35]) == l2[35]
    optional_ok = l2[42] == _digit(l2[28:42]) or (l2[42] == "<" and set(l2[28:42]) == {"<"})
    return basic and optional_ok and _digit(l2[0:10] + l2[13:20] + l2[21:43]) == l2[43]


def _page_count(path: Path) -> int:
    if path.suffix == ".pdf":
        return len(pdfium.PdfDocument(str(path)))
    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def _truths(paths: list[Path]) -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.with_name(f"{p.stem}.truth.json").read_text(encoding="utf-8"))) for p in paths]


def test_every_file_has_truth_whose_pages_agree_with_the_file(mixed_samples: tuple[Path, list[Path]]) -> None:
    out, paths = mixed_samples
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["file"] for f in manifest["files"]] == [p.name for p in paths]
    for path, truth in _truths(paths):
        assert truth["file"] == path.name
        assert len(truth["pages"]) == _page_count(path), path.name
        assert [p["page"] for p in truth["pages"]] == list(range(1, len(truth["pages"]) + 1))
        for index, doc in enumerate(truth["documents"]):
            content_pages = [p["page"] for p in truth["pages"] if p["document"] == index]
            assert doc["pages"] == content_pages and content_pages, path.name
        for page in truth["pages"]:
            assert (page["role"] == "content") == (page["document"] is not None)
            assert page["rotation"] in (0, 90, 180, 270)


def test_fields_are_present_per_type_and_normalised(mixed_samples: tuple[Path, list[Path]]) -> None:
    _, paths = mixed_samples
    seen: set[str] = set()
    for path, truth in _truths(paths):
        for doc in truth["documents"]:
            doc_type = DocumentType(doc["type"])
            seen.add(doc_type.value)
            assert set(doc["fields"]) == set(fields_for(doc_type)), (path.name, doc_type)
            for name, value in doc["fields"].items():
                if name.endswith("_date") or name in ("period_start", "period_end"):
                    date.fromisoformat(value)
            if doc_type is DocumentType.NOTICE:
                assert re.fullmatch(r"\d+\.\d\d", doc["fields"]["amount_eur"])
                assert doc["extra"]["legal_basis"]
    assert len(seen) >= 6, f"a mixed run of 18 should cover many types, got {sorted(seen)}"


def test_every_mrz_check_digit_verifies(mixed_samples: tuple[Path, list[Path]]) -> None:
    _, paths = mixed_samples
    checked = 0
    for path, truth in _truths(paths):
        for doc in truth["documents"]:
            if DocumentType(doc["type"]) in MRZ_TYPES:
                fields = doc["fields"]
                assert fields["mrz_valid"] is True
                assert _mrz_check_digits_hold(fields["mrz"]), (path.name, fields["mrz"])
                assert fields["sex"] in ("M", "F", "X")
                assert fields["surname"].replace(" ", "<") in fields["mrz"][-1 if len(fields["mrz"]) == 3 else 0]
                checked += 1
    assert checked >= 3


def test_the_same_seed_gives_identical_bytes_and_truth(tmp_path: Path) -> None:
    def make(folder: Path) -> dict[str, str]:
        generate(folder / "scans", count=4, seed=77, difficulty="hard")
        generate(folder / "pdfs", count=2, seed=77, kinds=["notice"], formats=["pdf-text", "pdf-mixed"])
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    first = make(tmp_path / "a")
    assert len(first) == 2 * (4 + 2) + 2  # samples, their truth files and two manifests
    assert make(tmp_path / "b") == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_written_and_opens(tmp_path: Path, fmt: str) -> None:
    kinds = ["notice"] if fmt in ("pdf-text", "pdf-mixed") else ["passport", "birth_certificate"]
    paths = generate(tmp_path, count=2, seed=11, formats=[fmt], kinds=kinds)
    for path, truth in _truths(paths):
        assert truth["format"] == fmt
        assert _page_count(path) == len(truth["pages"])
        if fmt.startswith("pdf"):
            flags = [p["text_layer"] for p in truth["pages"]]
            assert all(flags) if fmt == "pdf-text" else (not all(flags))
        else:
            with Image.open(path) as image:
                image.load()


def test_unknown_kinds_and_formats_are_refused_with_the_valid_choices(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="stack"):
        generate(tmp_path, count=1, seed=1, kinds=["bescheid"])
    with pytest.raises(ValueError, match="pdf-text"):
        generate(tmp_path, count=1, seed=1, formats=["docx"])


def test_stacks_put_separators_between_documents_and_blanks_carry_no_document(tmp_path: Path) -> None:
    paths = generate(tmp_path, count=5, seed=6, kinds=["stack"], formats=["pdf-image", "tiff"])
    with_separators = 0
    for path, truth in _truths(paths):
        assert len(truth["documents"]) >= 2, path.name
        content = [p for p in truth["pages"] if p["role"] == "content"]
        assert [p["document"] for p in content] == sorted(p["document"] for p in content)
        if truth["stack"]["separators"]:
            with_separators += 1
            separators = [p["page"] for p in truth["pages"] if p["role"] == "separator"]
            assert len(separators) == len(truth["documents"]) - 1
            for page_number in separators:
                before = [p["document"] for p in content if p["page"] < page_number]
                after = [p["document"] for p in content if p["page"] > page_number]
                assert max(before) < min(after)
        for page in truth["pages"]:
            if page["role"] != "content":
                assert page["document"] is None
    assert with_separators >= 1
