"""`dach intake`: run the Prefect intake flow on files and folders and file the documents."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dach.commands.common import load_settings


def register(app: typer.Typer) -> None:
    @app.command()
    def intake(
        paths: list[Path] = typer.Argument(..., help="scans or folders of scans"),
        as_json: bool = typer.Option(False, "--json", help="print the machine-readable batch report"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="show Prefect's run log"),
    ) -> None:
        """File scans into the e-file: one line per document with its id, type, person and status.

        Exit 1 if any file was quarantined (the rest of the batch is still filed)."""
        from flows.runtime import configure_prefect

        settings = load_settings()
        configure_prefect(settings, verbose=verbose)
        from dach.commands.progress import checked_inputs, drawn, tracking
        from flows.intake import intake_files

        files = checked_inputs(paths, quiet=as_json)  # not scans: skipped; a missing path: exit 2
        with tracking(len(files), show=drawn(as_json)) as tracker:
            report = intake_files(files, settings, on_item=lambda item: tracker.outcome(item.file, len(item.pages)))
        if as_json:
            typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
        else:
            from dach.commands.render import print_batch

            print_batch(report)
        from schemas.intake import IntakeStatus

        if report.count(IntakeStatus.QUARANTINED):
            raise typer.Exit(code=1)
