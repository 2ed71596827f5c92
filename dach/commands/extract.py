"""`dach extract`: OCR and classify files without filing them (no Prefect server, no database)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dach.commands.common import load_settings, run_failed
from schemas.errors import ExitCode


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        files: list[Path] = typer.Argument(..., help="scans to read: PDF, PNG, JPEG, TIFF"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable result"),
    ) -> None:
        """Read files and print the documents, types and fields found.

        Exit 0 when every file was read, 1 when some files were rejected (the others are reported), 2 when the
        run itself failed."""
        from flows.steps import extract_files

        settings = load_settings()
        try:
            results = extract_files([str(f) for f in files], settings)
        except Exception as exc:
            run_failed(exc)
        if as_json:
            typer.echo(json.dumps({"results": [r.to_contract() for r in results]}, ensure_ascii=False, indent=2))
        else:
            from dach.commands.render import print_extractions

            print_extractions(results)
        if any(r.error is not None for r in results):
            raise typer.Exit(code=ExitCode.REJECTED)
