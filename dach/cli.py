"""The `dach` command line: a thin shell over the rooms and flows.

Each group of commands lives in `dach/commands/<name>.py` with a `register(app)` function. Heavy imports
(OpenCV, spaCy, Prefect, SQLAlchemy) stay inside the command bodies so `dach --help` is instant and commands
that do not need Prefect never start its server.
"""

from __future__ import annotations

import importlib
import logging

import typer

app = typer.Typer(
    name="dach",
    help="dach — Dokumentenaufnahme und E-Akte: scan, OCR, classify, extract and file documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

COMMAND_MODULES = (
    "extract",
    "intake",
    "record",
    "samples",
    "train",
    "train_mrz",
    "separator",
    "users",
    "audit",
    "serve",
    "deploy",
    "demo",
    "quarantine",
    "tasks",
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="log debug messages to stderr"),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"dach.commands.{_name}")
    except ModuleNotFoundError as _exc:  # a command group not written yet
        if _exc.name != f"dach.commands.{_name}":
            raise
        continue
    _module.register(app)
