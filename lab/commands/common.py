"""Helpers shared by the development commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from schemas.errors import ExitCode

# Top-level packages only the `lab` dependency group brings (pyproject.toml).
LAB_GROUP_PACKAGES = frozenset({"faker", "sklearn"})


@contextmanager
def lab_dependencies() -> Iterator[None]:
    """Turn a missing package of the `lab` dependency group into a message that says how to install it."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in LAB_GROUP_PACKAGES:
            raise
        typer.echo(
            f"this command needs the `lab` dependency group ({exc.name} is missing): run `uv sync --group lab`",
            err=True,
        )
        raise typer.Exit(code=ExitCode.MISSING_DEPENDENCY) from exc
