"""Human-readable terminal output for extraction results and intake batches (rich tables)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemas.documents import FileExtraction
from schemas.intake import BatchReport, IntakeStatus
from schemas.strings_de import T, label

# Piped output (make, CI logs) is not cut to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)

_STATUS_STYLE = {
    IntakeStatus.FILED: "green",
    IntakeStatus.NEEDS_REVIEW: "yellow",
    IntakeStatus.DUPLICATE: "cyan",
    IntakeStatus.QUARANTINED: "red",
}


def _shown(value: object) -> str:
    """A field value for people: lists joined, ISO dates as German dates, never cut (the table wraps)."""
    from schemas.strings_de import german_date

    return ", ".join(map(str, value)) if isinstance(value, list) else german_date(str(value))


def printable(text: object) -> str:
    """Text from outside (file names, error messages naming them) as the terminal may show it: control
    characters escaped (an OSC sequence must not set the title or open a link), no Rich markup interpreted."""
    shown = "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in str(text))
    return escape(shown)


def print_extractions(results: Sequence[FileExtraction]) -> None:
    for result in results:
        if result.error is not None:
            reason = T.get(f"reject.{result.error.code}", T["intake.failed"])
            console.print(f"[red]✗ {printable(result.file)}[/red]  {reason}")
            continue
        table = Table(title=printable(result.file), title_justify="left", show_lines=False)
        table.add_column("Typ")
        table.add_column("Seiten")
        table.add_column("Sicherheit", justify="right")
        table.add_column("Prüfen")
        table.add_column("Felder")
        for doc in result.documents:
            values = doc.field_values().items()
            fields = "\n".join(f"{label('field', k)}: {_shown(v)}" for k, v in values if v not in (None, ""))
            table.add_row(
                label("type", doc.type),
                ",".join(map(str, doc.pages)),
                f"{doc.confidence:.2f}",
                "ja" if doc.review else "",
                printable(fields),
            )
        console.print(table)
        if result.dropped_pages:
            skipped = ", ".join(map(str, result.dropped_pages))
            console.print(f"  übersprungene Seiten (leer/Trennblatt): {skipped}")


def print_batch(report: BatchReport, names: Mapping[str, str] | None = None) -> None:
    """The batch for people: German types and statuses, persons by name (`names`: person id -> name)."""
    names = names if names is not None else person_names({i.person_id for i in report.items if i.person_id})
    table = Table(title=f"Stapel vom {datetime.now():%d.%m.%Y %H:%M}", title_justify="left")
    for column in ("Datei", "Typ", "Seiten", "Person", "Status", "Dokument (für dach show)"):
        table.add_column(column)
    for item in report.items:
        style = _STATUS_STYLE[item.status]
        status = label("status", item.status)
        detail = status if item.error is None else f"{status}: {T.get('reject.' + item.error.code, item.error.code)}"
        table.add_row(
            printable(Path(item.file).name),
            label("type", item.type) if item.type else "–",
            ", ".join(map(str, item.pages)),
            printable(names.get(item.person_id, "–")) if item.person_id else "–",
            f"[{style}]{detail}[/{style}]",
            item.document_id or item.quarantine_id or "",
        )
    console.print(table)
    counts = ", ".join(f"{label('status', s)}: {report.count(s)}" for s in IntakeStatus)
    console.print(f"{len(report.items)} Ergebnisse ({counts}) in {report.seconds:.1f} s")


def person_names(person_ids: set[str]) -> dict[str, str]:
    """Names of the persons a batch was filed to, read as the console operator (authorised and audited)."""
    if not person_ids:
        return {}
    from dach.commands.record import open_record
    from storage import CONSOLE_ACTOR

    out: dict[str, str] = {}
    with open_record() as archive:
        for person_id in sorted(person_ids):
            person = archive.get_person_record(person_id, CONSOLE_ACTOR).person
            out[person_id] = person.display_name or T["record.no_name"]
    return out
