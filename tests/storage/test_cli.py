"""`dach search`, `show`, `users` and `audit` on both backends, configured by DACH_* variables."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dach.cli import app
from schemas.documents import DocumentType
from tests.storage.conftest import Backend, Filer


def env_of(backend: Backend) -> dict[str, str]:
    s = backend.settings
    env = {"DACH_DATA_DIR": str(s.data_dir), "DACH_CONFIG": "/nonexistent/dach.toml"}
    if s.database_url:
        env["DACH_DATABASE_URL"] = s.database_url.replace("postgresql+psycopg://", "postgresql://")
    if s.s3_endpoint and s.s3_secret_key:
        env |= {
            "DACH_S3_ENDPOINT": s.s3_endpoint,
            "DACH_S3_ACCESS_KEY": s.s3_access_key or "",
            "DACH_S3_SECRET_KEY": s.s3_secret_key.get_secret_value(),
            "DACH_S3_BUCKET": s.s3_bucket,
            "DACH_S3_SECURE": "false",
        }
    return env


def test_search_and_show_as_json(backend: Backend, filer: Filer) -> None:
    outcome = filer.file(DocumentType.PASSPORT)
    runner = CliRunner()
    env = env_of(backend)
    found = runner.invoke(app, ["search", "kovalenko", "--json"], env=env)
    assert found.exit_code == 0, found.output
    hits = json.loads(found.stdout)["hits"]
    assert [h["document_id"] for h in hits] == [outcome.document_id]
    shown = runner.invoke(app, ["show", outcome.document_id, "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    view = json.loads(shown.stdout)
    assert view["type"] == "passport" and view["fields"]["surname"]["value"] == "KOVALENKO"
    assert outcome.person_id
    record = runner.invoke(app, ["show", outcome.person_id, "--json"], env=env)
    assert json.loads(record.stdout)["documents"][0]["id"] == outcome.document_id
    missing = runner.invoke(app, ["show", "doc_doesnotexist"], env=env)
    assert missing.exit_code == 5


def test_users_add_list_and_act_as_a_user(backend: Backend, filer: Filer) -> None:
    filer.file(DocumentType.PASSPORT)
    runner = CliRunner()
    env = env_of(backend)
    added = runner.invoke(
        app,
        ["users", "add", "jana", "--role", "clerk", "--department", "jobcentre"],
        input="ein-langes-passwort\n",
        env=env,
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["users", "list"], env=env)
    assert "jana\tclerk\tjobcentre" in listed.stdout
    as_jana = runner.invoke(
        app, ["search", "kovalenko", "--json", "--user", "jana"], input="ein-langes-passwort\n", env=env
    )
    assert as_jana.exit_code == 0, as_jana.output
    assert json.loads(as_jana.stdout)["hits"] == []  # the job centre may not read passports
    wrong = runner.invoke(app, ["search", "x", "--user", "jana"], input="falsch\n", env=env)
    assert wrong.exit_code == 6
    bad_role = runner.invoke(app, ["users", "add", "x", "--role", "king", "--department", "jobcentre"], env=env)
    assert bad_role.exit_code == 2


def test_audit_verify_and_log(backend: Backend, filer: Filer) -> None:
    filer.file(DocumentType.PASSPORT)
    runner = CliRunner()
    env = env_of(backend)
    runner.invoke(app, ["search", "kovalenko"], env=env)
    ok = runner.invoke(app, ["audit", "verify", "--json"], env=env)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["ok"] is True
    log = runner.invoke(app, ["audit", "log", "--json", "--limit", "5"], env=env)
    actions = [e["action"] for e in json.loads(log.stdout)["entries"]]
    assert actions[:2] == ["search", "create"]
    from sqlalchemy import text

    with backend.archive.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1"))
    broken = runner.invoke(app, ["audit", "verify"], env=env)
    assert broken.exit_code == 7
    assert "BROKEN" in broken.stdout
