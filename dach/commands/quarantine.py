"""`dach quarantine list|get`: the files intake set aside, with their reasons, and getting one back.

Nothing handed in is lost: a rejected file is kept in the record's quarantine exactly as it came. These
commands show why each was rejected and write a kept file out so it can be fixed and handed in again.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dach.commands.common import err_console
from dach.commands.record import USER_OPTION, actor_for, open_record


def printable_plain(text: str) -> str:
    """Control characters escaped: a file name must not move the cursor, set a title or open a link."""
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in text)


quarantine_app = typer.Typer(help="Files that intake set aside, with the reason and what to do.", no_args_is_help=True)


@quarantine_app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="print machine-readable entries"),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000),
    user: str | None = USER_OPTION,
) -> None:
    """List quarantined files, newest first, with their error code and message."""
    with open_record() as archive:
        entries = archive.list_quarantine(actor_for(archive, user), limit=limit)
    if as_json:
        typer.echo(json.dumps([e.model_dump(mode="json") for e in entries], ensure_ascii=False, indent=2))
        return
    for entry in entries:  # names came from outside: control characters escaped (no OSC/CSI sequences)
        name, message = printable_plain(entry.original_name), printable_plain(entry.error_message)
        typer.echo(f"{entry.id}\t{entry.created_at:%Y-%m-%d %H:%M}\t{name}\t{entry.error_code}")
        typer.echo(f"\t{message}")


@quarantine_app.command("get")
def get(
    entry_id: str = typer.Argument(..., help="the quarantine id from `dach quarantine list`"),
    out: Path = typer.Argument(..., help="where to write the kept file"),
    user: str | None = USER_OPTION,
) -> None:
    """Write a quarantined file back out, byte for byte as it was handed in."""
    with open_record() as archive:
        entries = archive.list_quarantine(actor_for(archive, user), limit=10_000)
        found = next((e for e in entries if e.id == entry_id), None)
        if found is None or found.object_key is None:
            err_console.print(f"[red]Fehler[/red]: no quarantined file {entry_id!r}; see `dach quarantine list`.")
            raise typer.Exit(code=1)
        out.write_bytes(archive.get_object(found.object_key))
    typer.echo(f"{printable_plain(found.original_name)} -> {out} ({found.error_code})")


def register(app: typer.Typer) -> None:
    app.add_typer(quarantine_app, name="quarantine")
