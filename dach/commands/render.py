"""Human-readable terminal output for extraction results and intake batches (rich tables)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemas.documents import FileExtraction
from schemas.intake import BatchReport, IntakeStatus

# Piped output (make, CI logs) is not cut to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)

_STATUS_STYLE = {
    IntakeStatus.FILED: "green",
    IntakeStatus.NEEDS_REVIEW: "yellow",
    IntakeStatus.DUPLICATE: "cyan",
    IntakeStatus.QUARANTINED: "red",
}


def printable(text: object) -> str:
    """Text from outside (file names, error messages naming them) as the terminal may show it: control
    characters escaped (an OSC sequence must not set the title or open a link), no Rich markup interpreted."""
    shown = "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode() for ch in str(text))
    return escape(shown)


def _short(value: object, width: int = 40) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_extractions(results: Sequence[FileExtraction]) -> None:
    for result in results:
        if result.error is not None:
            console.print(
                f"[red]✗ {printable(result.file)}[/red]  {result.error.code}: {printable(result.error.message)}"
            )
            continue
        table = Table(title=printable(result.file), title_justify="left", show_lines=False)
        table.add_column("Typ")
        table.add_column("Seiten")
        table.add_column("Sicherheit", justify="right")
        table.add_column("Prüfen")
        table.add_column("Felder")
        for doc in result.documents:
            fields = "; ".join(f"{k}={_short(v)}" for k, v in doc.field_values().items() if v not in (None, ""))
            table.add_row(
                doc.type.value,
                ",".join(map(str, doc.pages)),
                f"{doc.confidence:.2f}",
                "ja" if doc.review else "",
                printable(fields),
            )
        console.print(table)
        if result.dropped_pages:
            console.print(f"  übersprungene Seiten (leer/Trennblatt): {list(result.dropped_pages)}")


def print_batch(report: BatchReport) -> None:
    table = Table(title=f"Stapel {report.batch_id}", title_justify="left")
    for column in ("Datei", "Dokument", "Typ", "Seiten", "Person", "Status"):
        table.add_column(column)
    for item in report.items:
        style = _STATUS_STYLE[item.status]
        detail = item.status.value if item.error is None else f"{item.status.value}: {item.error.code}"
        table.add_row(
            printable(Path(item.file).name),
            item.document_id or item.quarantine_id or "",
            item.type.value if item.type else "",
            ",".join(map(str, item.pages)),
            item.person_id or "",
            f"[{style}]{detail}[/{style}]",
        )
    console.print(table)
    counts = ", ".join(f"{s.value}: {report.count(s)}" for s in IntakeStatus)
    console.print(f"{len(report.items)} Ergebnisse ({counts}) in {report.seconds:.1f} s")
    for item in report.items:
        if item.error is not None:
            console.print(f"[red]  {printable(item.file)}: {printable(item.error.message)}[/red]")
