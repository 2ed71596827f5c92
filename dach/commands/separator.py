"""`dach separator-sheet OUT.pdf`: print the sheet that separates documents in a scanned stack."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("separator-sheet")
    def separator_sheet(
        out: Path = typer.Argument(..., help="where to write the PDF, e.g. trennblatt.pdf"),
    ) -> None:
        """Write a separator sheet (Trennblatt) PDF: print it and put one between documents of a stack."""
        from ocr.separator import separator_sheet_pdf

        out.write_bytes(separator_sheet_pdf())
        typer.echo(f"Trennblatt geschrieben: {out} — ausdrucken und zwischen die Dokumente eines Stapels legen.")
