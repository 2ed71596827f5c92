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
        from dach.commands.progress import checked_inputs, drawn, tracking
        from flows.steps import extract_files

        settings = load_settings()
        chosen = checked_inputs(files, quiet=as_json)
        results = []
        # Files go to the readers a few at a time (as many as pages are read at once), so a terminal sees
        # progress; the pages of one file are still read in parallel.
        step = max(1, settings.ocr_workers)
        try:
            with tracking(len(chosen), show=drawn(as_json)) as tracker:
                for start in range(0, len(chosen), step):
                    for result in extract_files([str(f) for f in chosen[start : start + step]], settings):
                        pages = sum(len(d.pages) for d in result.documents)
                        tracker.file_done(pages=pages, documents=len(result.documents))
                        results.append(result)
        except Exception as exc:
            run_failed(exc)
        if as_json:
            typer.echo(json.dumps({"results": [r.to_contract() for r in results]}, ensure_ascii=False, indent=2))
        else:
            from dach.commands.render import print_extractions

            print_extractions(results)
        if any(r.error is not None for r in results):
            raise typer.Exit(code=ExitCode.REJECTED)
