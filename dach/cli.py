"""The `dach` command line: a thin shell over the rooms and flows.

Each group of commands lives in `dach/commands/<name>.py` with a `register(app)` function. Heavy imports
(OpenCV, spaCy, Prefect, SQLAlchemy) stay inside the command bodies so `dach --help` is instant and commands
that do not need Prefect never start its server.

The development commands (`dach samples`, `dach train`, `dach train-mrz`) live in `lab/`, which the wheel
leaves out: they are registered when `lab` is importable (a clone with `uv sync`), and otherwise answer with
what to install.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
from collections.abc import Callable
from typing import Any

import typer

from schemas.errors import ExitCode

# NumPy's OpenBLAS on one thread, set before the commands first import NumPy (OpenBLAS reads it once, when it
# loads): dach runs pages in parallel itself, and on two cores OpenBLAS's second thread mostly spins while it
# waits. The MRZ cell classifier's matrix products (`mrz.ocrb`) cost 4 times the CPU on two threads, and took
# longer too beside a page's tesseract. Set in the environment, it also holds for the parser processes.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

app = typer.Typer(
    name="dach",
    help="dach — Dokumentenaufnahme und E-Akte: scan, OCR, classify, extract and file documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Commands that read pages: tesseract and every language pack are checked before they start.
READS_PAGES = frozenset({"extract", "intake", "serve"})
COMMAND_MODULES = (
    "extract",
    "intake",
    "record",
    "separator",
    "users",
    "audit",
    "serve",
    "deploy",
    "demo",
    "quarantine",
    "lifecycle",
    "tasks",
)
# The one place the product reaches into `lab/` (by name, so the product imports nothing of it); the house
# test (`tests/test_house.py`) allows exactly this.
LAB_COMMANDS_MODULE = "lab.commands"
LAB_COMMANDS = ("samples", "train", "train-mrz")
DEVELOPMENT_INSTALL = (
    "`dach {name}` is a development command: it needs a clone of the repository with its development "
    "install (`uv sync` in the clone, or `make demo` / `make test`); this installation has dach without `lab/`."
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="log debug messages to stderr"),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _checks_tesseract_first(callback: Callable[..., Any]) -> Callable[..., Any]:
    # functools.wraps keeps the signature typer builds the command's options from.
    @functools.wraps(callback)
    def checked(*args: Any, **kwargs: Any) -> Any:
        from dach.commands.common import require_tesseract

        require_tesseract()
        return callback(*args, **kwargs)

    return checked


def _development_only(name: str) -> Callable[[typer.Context], None]:
    def command(ctx: typer.Context) -> None:
        typer.echo(DEVELOPMENT_INSTALL.format(name=name), err=True)
        raise typer.Exit(code=ExitCode.MISSING_DEPENDENCY)

    return command


for _name in COMMAND_MODULES:
    importlib.import_module(f"dach.commands.{_name}").register(app)
for _info in app.registered_commands:
    if _info.callback is not None and (_info.name or _info.callback.__name__) in READS_PAGES:
        _info.callback = _checks_tesseract_first(_info.callback)

try:
    _lab_commands = importlib.import_module(LAB_COMMANDS_MODULE)
except ModuleNotFoundError as _exc:  # an installed wheel: `lab/` is not part of it
    if _exc.name not in (LAB_COMMANDS_MODULE.partition(".")[0], LAB_COMMANDS_MODULE):
        raise
    for _lab_name in LAB_COMMANDS:  # hidden stand-ins: a clear message instead of "No such command"
        app.command(
            _lab_name,
            hidden=True,
            add_help_option=False,
            context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        )(_development_only(_lab_name))
else:
    _lab_commands.register(app)
