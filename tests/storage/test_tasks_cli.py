"""`dach dispatch` and `dach tasks --json`: the CLI contract of the department inbox, on both backends."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dach.cli import app
from schemas.documents import DocumentType
from storage import Archive
from tests.storage.conftest import Backend, Filer
from tests.storage.test_cli import env_of
from tests.storage.test_dispatch import PERMIT_TEXT, person_with_asylblg_matter

KEYS = {"id", "department", "rule", "kind", "title", "document_id", "person_id", "due_date", "status"}


def test_dispatch_then_tasks_per_department(backend: Backend, archive: Archive, filer: Filer) -> None:
    person_id = person_with_asylblg_matter(archive, filer)
    permit = filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    runner = CliRunner()
    env = env_of(backend)
    ran = runner.invoke(app, ["dispatch"], env=env)
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.stdout)["tasks"] == 2
    again = runner.invoke(app, ["dispatch"], env=env)
    assert json.loads(again.stdout)["tasks"] == 0 and json.loads(again.stdout)["events"] == 0

    listed = runner.invoke(app, ["tasks", "--department", "jobcentre", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    (task,) = json.loads(listed.stdout)["tasks"]
    assert set(task) == KEYS
    assert task["department"] == "jobcentre" and task["status"] == "open" and task["kind"] == "handover"
    assert task["document_id"] == permit.document_id and task["person_id"] == person_id
    assert task["title"] == "Leistungen nach SGB II prüfen"
    assert len(task["due_date"]) == 10

    every = json.loads(runner.invoke(app, ["tasks", "--all", "--json"], env=env).stdout)["tasks"]
    assert sorted(t["department"] for t in every) == ["jobcentre", "social_welfare"]
    none = json.loads(runner.invoke(app, ["tasks", "--department", "youth_office", "--json"], env=env).stdout)
    assert none == {"tasks": []}
    wrong = runner.invoke(app, ["tasks", "--department", "jobcenter", "--json"], env=env)
    assert wrong.exit_code == 2


def test_a_clerk_sees_only_their_department(backend: Backend, archive: Archive, filer: Filer) -> None:
    person_with_asylblg_matter(archive, filer)
    filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    runner = CliRunner()
    env = env_of(backend)
    runner.invoke(app, ["dispatch"], env=env)
    added = runner.invoke(
        app,
        ["users", "add", "jana", "--role", "clerk", "--department", "jobcentre"],
        input="ein-langes-passwort\n",
        env=env,
    )
    assert added.exit_code == 0, added.output
    own = runner.invoke(app, ["tasks", "--json", "--user", "jana"], input="ein-langes-passwort\n", env=env)
    assert own.exit_code == 0, own.output
    assert [t["department"] for t in json.loads(own.stdout)["tasks"]] == ["jobcentre"]
    other = runner.invoke(app, ["tasks", "--all", "--json", "--user", "jana"], input="ein-langes-passwort\n", env=env)
    assert other.exit_code != 0
