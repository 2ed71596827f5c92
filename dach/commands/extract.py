"""`dach extract`: OCR and classify files without filing them (no Prefect server, no database)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dach.commands.common import load_settings


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        files: list[Path] = typer.Argument(..., help="scans to read: PDF, PNG, JPEG, TIFF"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable result"),
    ) -> None:
        """Read files and print the documents, types and fields found. Exit 1 if any file was rejected."""
        from flows.steps import extract_files

        settings = load_settings()
        results = extract_files([str(f) for f in files], settings)
        if as_json:
            typer.echo(json.dumps({"results": [r.to_contract() for r in results]}, ensure_ascii=False, indent=2))
        else:
            from dach.commands.render import print_extractions

            print_extractions(results)
        if any(r.error is not None for r in results):
            raise typer.Exit(code=1)
