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
    from schemas.record import Actor, SearchHit
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
        _print_hits(query, hits)

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


def _print_hits(query: str, hits: list[SearchHit]) -> None:
    """Hits for people: German types and statuses, the person's name, matched fields under German labels and
    the passage with the matched words in bold (nothing cut: the table wraps)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from schemas.strings_de import german_date, label

    table = Table(title=f"Suche: {query} ({len(hits)} Treffer)", title_justify="left")
    for column in ("Person", "Art", "Status", "Erfasst", "Treffer"):
        table.add_column(column)
    table.add_column("Dokument (für dach show)", no_wrap=True)  # the id is what `dach show` needs: never cut it
    for hit in hits:
        found = Text()
        for f in hit.fields:
            value = Text(german_date(f.value))
            if german_date(f.value) == f.value:
                for start, end in f.marks:
                    value.stylize("bold", start, end)
            else:
                value.stylize("bold")
            found.append(f"{label('field', f.name)}: ").append(value).append("\n")
        passage = Text(hit.snippet)
        for start, end in hit.marks:
            passage.stylize("bold", start, end)
        found.append(passage)
        table.add_row(
            hit.person_name or "–",
            label("type", hit.type),
            label("status", hit.status),
            f"{hit.filed_at:%d.%m.%Y}",
            found,
            hit.document_id,
        )
    Console().print(table)


def _value(value: object) -> str:
    if isinstance(value, list):
        return " / ".join(map(str, value))
    return "" if value is None else str(value)


def _print_view(payload: dict[str, object]) -> None:
    from datetime import datetime

    from rich.console import Console
    from rich.table import Table

    from schemas.strings_de import T, german_date, label
    from web.messages_de import author_de, version_reason_de

    console = Console()
    person = payload.get("person")
    if isinstance(person, dict):
        name = ", ".join(p for p in (person["surname"], person["given_names"]) if p) or T["record.no_name"]
        console.print(
            f"[bold]Akte {payload['file_number']}[/bold]  {name}  "
            f"geb. {german_date(person.get('birth_date') or '–')}  {person.get('nationality') or ''}"
        )
        table = Table(title="Dokumente", title_justify="left")
        for column in ("Art", "Status", "Erfasst", "Dokument (für dach show)"):
            table.add_column(column)
        for d in payload.get("documents") or []:  # type: ignore[attr-defined]
            filed = datetime.fromisoformat(str(d["filed_at"]))
            table.add_row(label("type", d["type"]), label("status", d["status"]), f"{filed:%d.%m.%Y %H:%M}", d["id"])
        console.print(table)
        return
    pages = ", ".join(map(str, payload["pages"]))  # type: ignore[call-overload]
    console.print(
        f"[bold]{label('type', payload['type'])}[/bold]  {label('status', payload['status'])}  "
        f"Version {payload['version']}  Seiten {pages}"
    )
    console.print(f"Person: {payload.get('person_name') or '–'}")
    table = Table(title="Angaben", title_justify="left")
    for column in ("Angabe", "Wert", "Seite", "Sicherheit"):
        table.add_column(column)
    for name, field in (payload.get("fields") or {}).items():  # type: ignore[attr-defined]
        value = german_date(_value(field["value"]))
        table.add_row(label("field", name), value, _value(field["page"]), f"{round(100 * field['confidence'])} %")
    console.print(table)
    for v in payload.get("versions") or []:  # type: ignore[attr-defined]
        when = datetime.fromisoformat(v["created_at"])
        changed = ", ".join(label("field", c) for c in v["changed"]) if v.get("kind") != "intake" else ""
        reason = version_reason_de(v["reason"], v.get("kind", ""))
        console.print(f"  Version {v['version']} vom {when:%d.%m.%Y %H:%M}, {author_de(v['author'])}: {reason}"
                      + (f" ({changed})" if changed else ""))  # fmt: skip
