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
    entries = json.loads(log.stdout)["entries"]
    assert [e["action"] for e in entries][:2] == ["search", "create"]
    assert entries[0]["actor"].startswith("console:") and entries[0]["actor"] != "console:", "a named operator"
    named = runner.invoke(app, ["search", "kovalenko"], env={**env, "DACH_OPERATOR": "m.mustermann"})
    assert named.exit_code == 0
    newest = json.loads(runner.invoke(app, ["audit", "log", "--json", "--limit", "2"], env=env).stdout)["entries"]
    assert newest[0]["actor"] == "console:m.mustermann" and newest[0]["action"] == "search"
    people = runner.invoke(app, ["audit", "log", "--limit", "2"], env=env).stdout  # German for people
    assert "Kommandozeile (m.mustermann): Gesucht" in people and "search" not in people
    from sqlalchemy import text

    with backend.archive.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 1"))
    broken = runner.invoke(app, ["audit", "verify"], env=env)
    assert broken.exit_code == 7
    assert "PROTOKOLLKETTE BESCHÄDIGT" in broken.stdout and "nachträglich geändert" in broken.stdout


def test_deactivating_a_user_a_new_password_and_revoke_each_end_their_sessions(backend: Backend) -> None:
    runner = CliRunner()
    env = env_of(backend)
    archive = backend.archive
    command = ["users", "add", "olga", "--role", "clerk", "--department", "jobcentre"]
    added = runner.invoke(app, command, input="erstes-passwort-1\n", env=env)
    assert added.exit_code == 0, added.output
    first = archive.sign_in("olga", "erstes-passwort-1")
    assert first is not None and first.actor.user_id is not None
    assert archive.signed_in_actor(first.actor.user_id, first.credentials_version) == first.actor

    assert runner.invoke(app, ["users", "revoke", "olga"], env=env).exit_code == 0
    assert archive.signed_in_actor(first.actor.user_id, first.credentials_version) is None, "revoke ends sessions"
    second = archive.sign_in("olga", "erstes-passwort-1")
    assert second is not None and archive.signed_in_actor(second.actor.user_id or "", second.credentials_version)

    assert runner.invoke(app, ["users", "deactivate", "olga"], env=env).exit_code == 0
    assert "olga\tclerk\tjobcentre (disabled)" in runner.invoke(app, ["users", "list"], env=env).stdout
    assert archive.signed_in_actor(second.actor.user_id or "", second.credentials_version) is None
    assert archive.sign_in("olga", "erstes-passwort-1") is None
    as_olga = runner.invoke(app, ["search", "x", "--user", "olga"], input="erstes-passwort-1\n", env=env)
    assert as_olga.exit_code == 6

    assert runner.invoke(app, ["users", "activate", "olga"], env=env).exit_code == 0
    assert archive.signed_in_actor(second.actor.user_id or "", second.credentials_version) is None, "stays ended"
    third = archive.sign_in("olga", "erstes-passwort-1")
    assert third is not None

    changed = runner.invoke(app, ["users", "password", "olga"], input="zweites-passwort-2\n", env=env)
    assert changed.exit_code == 0, changed.output
    assert archive.signed_in_actor(third.actor.user_id or "", third.credentials_version) is None
    assert archive.sign_in("olga", "erstes-passwort-1") is None
    assert archive.sign_in("olga", "zweites-passwort-2") is not None
    assert runner.invoke(app, ["users", "password", "olga"], input="kurz\n", env=env).exit_code != 0
    assert runner.invoke(app, ["users", "deactivate", "niemand"], env=env).exit_code == 5

    log = runner.invoke(app, ["audit", "log", "--json", "--limit", "20"], env=env)
    about_olga = [e["action"] for e in json.loads(log.stdout)["entries"] if e["object_id"] == "olga"]
    assert about_olga == ["password", "activate", "deactivate", "revoke_sessions", "create"]
