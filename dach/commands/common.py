"""Helpers shared by the command modules: settings loading with a readable error, the tesseract check."""

from __future__ import annotations

import logging
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from schemas.errors import DachError, ExitCode, MissingDependency, TransientError
from schemas.settings import Settings

err_console = Console(stderr=True)


def load_settings() -> Settings:
    """Build the settings once; a bad value is reported with the variable's name and the command stops."""
    try:
        return Settings()
    except ValidationError as exc:
        for problem in exc.errors():
            name = "DACH_" + "__".join(str(p).upper() for p in problem["loc"])
            err_console.print(f"[red]Konfigurationsfehler[/red] {name}: {problem['msg']}")
        raise typer.Exit(code=ExitCode.CONFIG) from exc


def require_tesseract() -> None:
    """Stop with the fix when tesseract or a language pack the page reader uses is missing: commands that read
    pages (`extract`, `intake`, `serve`) check this at start-up, not on the first page of a rarer script."""
    from ocr.reader import ReadOptions
    from ocr.reader import require_tesseract as check

    try:
        check(ReadOptions.from_settings(load_settings()))
    except MissingDependency as exc:
        err_console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(code=exc.exit_code) from exc
    except TransientError as exc:  # the probe's tesseract hung or was killed: this run failed, not the install
        run_failed(exc)


def run_failed(exc: BaseException) -> NoReturn:
    """The run itself failed (not one file): a plain message on stderr, the traceback in the debug log, and
    exit 2, so scripts can tell it from "some files were rejected" (1)."""
    from rich.markup import escape

    logging.getLogger("dach").debug("the run failed", exc_info=exc)
    what = exc.message if isinstance(exc, DachError) else f"{type(exc).__name__}: {exc}"
    err_console.print(f"[red]Lauf abgebrochen[/red]: {escape(what)}")
    raise typer.Exit(code=ExitCode.RUN_FAILED) from exc
