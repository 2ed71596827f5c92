"""`dach train`: rebuild the shipped document-type model from generated documents and a seed."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lab.commands.common import lab_dependencies


def register(app: typer.Typer) -> None:
    @app.command()
    def train(
        seed: int = typer.Option(0, "--seed", help="training seed; the shipped model is seed 0"),
        out: Path | None = typer.Option(
            None, "--out", help="model folder to write (default: the shipped classifiers/models/doctype-v2)"
        ),
        docs_per_type: int = typer.Option(
            400,
            "--docs-per-type",
            min=5,
            max=800,
            help="generated documents per type (training seeds 0-8999)",
        ),
        epochs: int = typer.Option(8, "--epochs", min=1, max=50),
    ) -> None:
        """Train the text classifier on generated documents (training seeds only) and write it atomically."""
        from classifiers.model import DEFAULT_MODEL_DIR

        with lab_dependencies():
            from lab.training.doctype import TrainConfig
            from lab.training.doctype import train as run_training

        config = TrainConfig(seed=seed, docs_per_type=docs_per_type, epochs=epochs)
        record = run_training(config, out or DEFAULT_MODEL_DIR)
        typer.echo(json.dumps({"model": str(out or DEFAULT_MODEL_DIR), **record}, indent=2))
