"""The shipped type model loads, classifies, refuses the wrong format version, and is reproducible."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifiers import analyse
from classifiers.model import DEFAULT_MODEL_DIR, FORMAT_VERSION, META_FILE, build_pipeline, load_model
from classifiers.text import page_from_lines
from dach.cli import app
from lab.samples.content import make_document
from schemas.documents import DocumentType, TextSource
from schemas.errors import ModelError


def generated_pages(doc_type: DocumentType, seed: int):  # type: ignore[no-untyped-def]
    content = make_document(random.Random(seed), doc_type)
    pages = [
        page_from_lines(i + 1, [line.text for line in lines], source=TextSource.OCR)
        for i, lines in enumerate(content.pages)
    ]
    return content, pages


def test_the_shipped_model_is_small_and_versioned() -> None:
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.rglob("*") if p.is_file())
    assert size < 5 * 2**20
    meta = json.loads((DEFAULT_MODEL_DIR / META_FILE).read_text(encoding="utf-8"))
    assert meta["format_version"] == FORMAT_VERSION
    assert (DEFAULT_MODEL_DIR / "config.cfg").is_file()


@pytest.mark.parametrize("doc_type", [DocumentType.NOTICE, DocumentType.BIRTH_CERTIFICATE])
def test_the_shipped_model_classifies_a_generated_document(doc_type: DocumentType) -> None:
    # seeds from 100000 on were never used for training
    content, pages = generated_pages(doc_type, 100_017)
    analysis = analyse(pages, review_threshold=0.8)
    assert [d.type for d in analysis.documents] == [doc_type]
    document = analysis.documents[0]
    assert document.confidence >= 0.8
    values = document.field_values()
    for name in ("birth_date", "issue_date") if doc_type is DocumentType.BIRTH_CERTIFICATE else ("notice_date",):
        assert values[name] == content.fields[name]


def test_a_model_of_another_format_version_gives_a_model_error(tmp_path: Path) -> None:
    copy = tmp_path / "doctype"
    shutil.copytree(DEFAULT_MODEL_DIR, copy)
    meta = json.loads((copy / META_FILE).read_text(encoding="utf-8"))
    meta["format_version"] = FORMAT_VERSION + 1
    (copy / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="dach train"):
        load_model(copy)


def test_a_missing_model_gives_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="dach train"):
        load_model(tmp_path / "nothing")


def test_unknown_component_config_keys_fail() -> None:
    nlp = build_pipeline()
    with pytest.raises(Exception, match="colour"):  # spaCy's config validation error
        nlp.add_pipe("dach_notice_fields_v1", name="again", config={"colour": "blue"})


def test_below_the_threshold_the_type_is_other_with_review() -> None:
    pages = [page_from_lines(1, ["Lorem ipsum dolor sit amet"])]
    document = analyse(pages, review_threshold=0.99).documents[0]
    assert (document.type, document.review) == (DocumentType.OTHER, True)
    assert "type unsure" in document.notes[0]


@pytest.mark.slow
def test_dach_train_gives_the_same_model_from_the_same_seed(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            app,
            ["train", "--seed", "5", "--out", str(tmp_path / name), "--docs-per-type", "6", "--epochs", "1"],
        )
        assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert not (tmp_path / "a.part").exists()
    assert load_model(tmp_path / "a").predict("Geburtsurkunde").scores
