"""`dach samples OUT`: write seeded synthetic scans with ground truth (see `lab.samples`)."""

from __future__ import annotations

from pathlib import Path

import typer

from lab.commands.common import lab_dependencies


def register(app: typer.Typer) -> None:
    @app.command("samples")
    def samples(
        out: Path = typer.Argument(..., help="folder to write the samples, truth files and manifest.json into"),
        count: int = typer.Option(20, "--count", "-n", min=1, help="number of sample files"),
        seed: int = typer.Option(0, "--seed", "-s", help="0-9999: training/tuning; >= 100000: held out for measuring"),
        difficulty: str = typer.Option("normal", "--difficulty", help="clean | normal | hard"),
        kinds: str = typer.Option("", "--kinds", help="comma-separated document types and/or 'stack' (default: all)"),
        formats: str = typer.Option(
            "", "--formats", help="comma-separated: png,jpeg,tiff,pdf-text,pdf-image,pdf-mixed"
        ),
    ) -> None:
        """Generate synthetic scans (passports, ID cards, notices, certificates, stacks) with truth JSON."""
        from rich.console import Console

        with lab_dependencies():
            from lab.samples import generate

        kind_list = [k.strip() for k in kinds.split(",") if k.strip()] or None
        format_list = [f.strip() for f in formats.split(",") if f.strip()] or None
        try:
            paths = generate(out, count=count, seed=seed, difficulty=difficulty, kinds=kind_list, formats=format_list)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        console = Console()
        for path in paths:
            console.print(f"[green]wrote[/green] {path}")
        console.print(f"{len(paths)} samples, truth next to each file, manifest: {out / 'manifest.json'}")
