"""`dach train-mrz`: rebuild the OCR-B cell classifier and tesseract's confusion table from rendered zones."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lab.commands.common import lab_dependencies


def register(app: typer.Typer) -> None:
    @app.command("train-mrz")
    def train_mrz(
        seed: int = typer.Option(0, "--seed", help="training seed; the shipped models are seed 0"),
        bands: int = typer.Option(6000, "--bands", min=50, help="rendered MRZ bands to train the classifier on"),
        confusion_bands: int = typer.Option(
            300, "--confusion-bands", min=0, help="bands tesseract reads for its confusion table (0: keep it)"
        ),
        out: Path | None = typer.Option(None, "--out", help="model folder (default: the shipped mrz/models/ocrb-v1)"),
        confusion_out: Path | None = typer.Option(
            None, "--confusion-out", help="confusion table (default: mrz/models/mrz-confusion-v1.json)"
        ),
    ) -> None:
        """Train the MRZ reader's models on rendered, degraded zones (training seeds only), written atomically."""
        with lab_dependencies():
            from lab.training.mrz import MrzTrainConfig, train, train_confusion
        from mrz.ocrb import MODEL_DIR

        report: dict[str, object] = {}
        with lab_dependencies():  # scikit-learn is imported when training starts
            report["classifier"] = train(
                MrzTrainConfig(seed=seed, bands=bands, text_bands=bands // 10), out or MODEL_DIR
            )
        if confusion_bands:
            report["confusion"] = train_confusion(seed, confusion_bands, confusion_out)
        typer.echo(json.dumps(report, indent=2))
