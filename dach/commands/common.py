"""Helpers shared by the command modules: settings loading with a readable error."""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.console import Console

from schemas.errors import ExitCode
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
