"""The CLI speaks one language per output: German for people (names, German types, statuses and labels,
nothing cut), English keys only in --json; inputs that are not scans are skipped, a missing path is an error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dach.cli import app
from dach.commands.progress import select_inputs
from schemas.documents import DocumentType
from tests.storage.conftest import Backend, Filer
from tests.storage.test_cli import env_of

ENGLISH_KEYS = re.compile(r"\b(?:passport|notice|filed|needs_review|birth_date|given_names|document_number)\b")


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_search_and_show_print_german_with_names(backend: Backend, filer: Filer) -> None:
    outcome = filer.file(
        DocumentType.PASSPORT, surname="SYROTENKO", given="OLEKSANDR", born="2005-11-12", text="Reisepass SYROTENKO"
    )
    runner, env = CliRunner(), env_of(backend)
    found = runner.invoke(app, ["search", "Sirotenko 12.11.2005"], env={**env, "COLUMNS": "200"})
    assert found.exit_code == 0, found.output
    assert "SYROTENKO, OLEKSANDR" in found.stdout and "Reisepass" in found.stdout
    assert "Geburtsdatum: 12.11.2005" in found.stdout
    assert outcome.person_id not in found.stdout  # the person by name, not by id
    assert not ENGLISH_KEYS.search(found.stdout), found.stdout
    as_json = json.loads(runner.invoke(app, ["search", "Sirotenko", "--json"], env=env).stdout)
    assert as_json["hits"][0]["type"] == "passport"  # English keys in --json only
    shown = runner.invoke(app, ["show", outcome.document_id], env={**env, "COLUMNS": "200"})
    assert "Reisepass" in shown.stdout and "SYROTENKO, OLEKSANDR" in shown.stdout
    assert "12.11.2005" in shown.stdout and not ENGLISH_KEYS.search(shown.stdout), shown.stdout


def test_inputs_skip_what_is_not_a_scan_and_name_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "scans" / "sub").mkdir(parents=True)
    for name in ("a.pdf", "b.PNG", "sub/c.tif", "0001.truth.json", "notes.txt", ".DS_Store", "Thumbs.db", "d.bin"):
        (tmp_path / "scans" / name).write_bytes(b"x")
    got = select_inputs([tmp_path / "scans", tmp_path / "missing.pdf"])
    assert sorted(p.name for p in got.files) == ["a.pdf", "b.PNG", "c.tif", "d.bin"]  # d.bin: sniffed, quarantined
    assert sorted(p.name for p, _ in got.skipped) == [".DS_Store", "0001.truth.json", "Thumbs.db", "notes.txt"]
    assert got.missing == [tmp_path / "missing.pdf"]


def test_extract_and_intake_refuse_a_missing_path_without_quarantining_it(tmp_path: Path) -> None:
    env = {"DACH_DATA_DIR": str(tmp_path / "var"), "DACH_CONFIG": "/nonexistent/dach.toml"}
    runner = CliRunner()
    for command in ("extract", "intake"):
        answer = runner.invoke(app, [command, str(tmp_path / "gibt-es-nicht"), "--json"], env=env)
        assert answer.exit_code == 2, answer.output
        assert "gibt es nicht" in answer.output
    listed = runner.invoke(app, ["quarantine", "list", "--json"], env=env)
    assert json.loads(listed.stdout or "[]") == []


def test_a_folder_of_sidecars_is_skipped_with_a_note_not_quarantined(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "0001.truth.json").write_text("{}")
    (tmp_path / "in" / ".hidden.pdf").write_bytes(b"%PDF-")
    answer = CliRunner().invoke(app, ["extract", str(tmp_path / "in")], env={"DACH_DATA_DIR": str(tmp_path / "v")})
    assert answer.exit_code == 0, answer.output
    assert "übersprungen" in answer.output and "0001.truth.json" in answer.output
    quiet = CliRunner().invoke(
        app, ["extract", str(tmp_path / "in"), "--json"], env={"DACH_DATA_DIR": str(tmp_path / "v")}
    )
    assert json.loads(quiet.stdout) == {"results": []}
