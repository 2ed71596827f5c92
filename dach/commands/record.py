"""`dach search` and `dach show`: read the shared record from the command line.

Commands run as the console operator (`storage.CONSOLE_ACTOR`: the archive department, which reads every
document type), audited under the operator's name (`console:<OS user>`, or `DACH_OPERATOR`), or as a named
user with `--user NAME` (password from the first line of stdin). Either way every read is authorised and
audited inside `storage/`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from dach.commands.common import err_console, load_settings

if TYPE_CHECKING:
    from schemas.record import Actor
    from storage import Archive

USER_OPTION = typer.Option(None, "--user", "-u", help="act as this user (password from stdin)")


@contextmanager
def open_record() -> Iterator[Archive]:
    """Open the archive; a dach error ends the command with its message and exit code, never a traceback."""
    from schemas.errors import DachError
    from storage import open_archive

    settings = load_settings()
    try:
        archive = open_archive(settings)
        try:
            yield archive
        finally:
            archive.close()
    except DachError as exc:
        err_console.print(f"[red]Fehler[/red] ({exc.code}): {exc.message}")
        raise typer.Exit(code=int(exc.exit_code)) from exc


def operator_name() -> str:
    """Who is at the console, for the audit trail: `DACH_OPERATOR` if set (a shared service account says
    which person runs it), else the operating-system user — never an anonymous "console"."""
    import getpass
    import os

    try:
        who = os.environ.get("DACH_OPERATOR") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (a bare container)
        who = f"uid{os.getuid()}"
    cleaned = "".join(ch for ch in who if ch.isalnum() or ch in "._-@")[:80] or "unknown"
    return f"console:{cleaned}"


def actor_for(archive: Archive, user: str | None) -> Actor:
    """The console operator, or the named user after checking the password read from stdin."""
    from schemas.errors import ExitCode
    from storage import CONSOLE_ACTOR

    if user is None:
        return CONSOLE_ACTOR.model_copy(update={"name": operator_name()})
    password = sys.stdin.readline().rstrip("\n")
    actor = archive.authenticate(user, password)
    if actor is None:
        err_console.print(f"[red]Anmeldung fehlgeschlagen[/red] für {user}: Name oder Passwort falsch.")
        raise typer.Exit(code=int(ExitCode.ACCESS_DENIED))
    return actor.model_copy(update={"purpose": "command line"})


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        query: str = typer.Argument(..., help="names, numbers or words from the documents"),
        as_json: bool = typer.Option(False, "--json", help="print machine-readable hits"),
        limit: int = typer.Option(20, "--limit", min=1, max=500),
        user: str | None = USER_OPTION,
    ) -> None:
        """Search names, fields and OCR text of the documents you may read."""
        with open_record() as archive:
            hits = archive.search(query, actor_for(archive, user), limit=limit)
        if as_json:
            typer.echo(json.dumps({"hits": [h.model_dump(mode="json") for h in hits]}, ensure_ascii=False, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"Suche: {query} ({len(hits)} Treffer)", title_justify="left")
        table.add_column("Dokument", no_wrap=True)  # the id is what `dach show` needs: never cut it
        for column in ("Typ", "Status", "Person", "Ausschnitt"):
            table.add_column(column)
        for hit in hits:
            table.add_row(
                hit.document_id,
                hit.type.value,
                hit.status,
                f"{hit.person_name}\n{hit.person_id}" if hit.person_id else "–",
                hit.snippet[:80],
            )
        Console().print(table)

    @app.command()
    def show(
        item_id: str = typer.Argument(..., metavar="ID", help="a document id (doc_…) or a person id (per_…)"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable view"),
        user: str | None = USER_OPTION,
    ) -> None:
        """Show a document (fields, versions, files) or a person's record (Akte)."""
        with open_record() as archive:
            actor = actor_for(archive, user)
            if item_id.startswith("per_"):
                record = archive.get_person_record(item_id, actor)
                payload: dict[str, object] = record.model_dump(mode="json")
            else:
                payload = archive.get_document(item_id, actor).to_contract()
        if as_json:
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        _print_view(payload)


def _value(value: object) -> str:
    if isinstance(value, list):
        return " / ".join(map(str, value))
    return "" if value is None else str(value)


def _print_view(payload: dict[str, object]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    person = payload.get("person")
    if isinstance(person, dict):
        console.print(
            f"[bold]Akte {payload['file_number']}[/bold]  {person['surname']}, {person['given_names']}  "
            f"geb. {person.get('birth_date') or '–'}  {person.get('nationality') or ''}"
        )
        table = Table(title="Dokumente", title_justify="left")
        for column in ("Dokument", "Typ", "Status", "Abgelegt"):
            table.add_column(column)
        for d in payload.get("documents") or []:  # type: ignore[attr-defined]
            table.add_row(d["id"], d["type"], d["status"], str(d["filed_at"])[:19])
        console.print(table)
        return
    console.print(f"[bold]{payload['id']}[/bold]  {payload['type']}  {payload['status']}  v{payload['version']}")
    console.print(f"Person: {payload.get('person_id') or '–'}  Seiten: {payload['pages']}")
    table = Table(title="Felder", title_justify="left")
    for column in ("Feld", "Wert", "Seite", "Quelle", "Sicherheit"):
        table.add_column(column)
    for name, field in (payload.get("fields") or {}).items():  # type: ignore[attr-defined]
        table.add_row(name, _value(field["value"]), _value(field["page"]), field["source"], str(field["confidence"]))
    console.print(table)
    for v in payload.get("versions") or []:  # type: ignore[attr-defined]
        console.print(f"  v{v['version']} {v['created_at'][:19]} {v['author']}: {v['reason']} {v['changed']}")
    for f in payload.get("files") or []:  # type: ignore[attr-defined]
        console.print(f"  {f['kind']}: {f['key']}")
