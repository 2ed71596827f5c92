"""`dach intake`: run the Prefect intake flow on files and folders and file the documents."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dach.commands.common import load_settings, run_failed


def register(app: typer.Typer) -> None:
    @app.command()
    def intake(
        paths: list[Path] = typer.Argument(..., help="scans or folders of scans"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable batch report"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="show Prefect's run log"),
    ) -> None:
        """File scans into the e-file: one line per document with its id, type, person and status.

        Exit 0 when every file was filed, 1 when some files were quarantined (the rest of the batch is still
        filed), 2 when the run itself failed."""
        from flows.runtime import configure_prefect

        settings = load_settings()
        configure_prefect(settings, verbose=verbose)
        from flows.intake import intake_files

        try:
            report = intake_files(paths, settings)
        except Exception as exc:
            run_failed(exc)
        if as_json:
            typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
        else:
            from dach.commands.render import print_batch

            print_batch(report)
        from schemas.intake import IntakeStatus

        if report.count(IntakeStatus.QUARANTINED):
            raise typer.Exit(code=1)
