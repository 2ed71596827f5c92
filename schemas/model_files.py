"""Versioned model files written atomically: how dach writes and checks every model it ships.

A model (a folder such as the document-type pipeline or the OCR-B classifier, or one file such as the MRZ
confusion table) records a `format_version`. It is written complete beside its place (`NAME.part`) and
renamed into it, so a crashed or interrupted training never leaves half a model where the reader loads it;
and it is read with a version check, so a model of another format gives a `ModelError` that says how to
rebuild it instead of odd results. The rooms that ship models (`mrz/`, `classifiers/`) both use this, which
is why it sits with the shared shapes and errors.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from schemas.errors import ModelError


def write_folder(folder: Path, fill: Callable[[Path], None]) -> Path:
    """Write a model folder atomically: `fill(part)` writes the files into `FOLDER.part`, which then takes
    the place of `folder` (the old one is set aside as `FOLDER.old` and removed only after the rename)."""
    folder = Path(folder)
    part = folder.with_name(folder.name + ".part")
    if part.exists():
        shutil.rmtree(part)  # left by an interrupted run
    part.mkdir(parents=True)
    fill(part)
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        if old.exists():
            shutil.rmtree(old)
        folder.rename(old)
    part.rename(folder)
    if old.exists():
        shutil.rmtree(old)
    return folder


def write_file(path: Path, text: str) -> None:
    """Write a one-file model atomically: a temporary `.part` file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".part", delete=False, encoding="utf-8") as out:
        out.write(text)
    os.chmod(out.name, 0o644)  # a shipped file, readable like the rest of the checkout
    os.replace(out.name, path)


def meta_json(record: Mapping[str, object]) -> str:
    """A model's record as written beside it: sorted keys, indented, so a retrained model diffs readably."""
    return json.dumps(record, indent=2, sort_keys=True) + "\n"


def require_format(record: Mapping[str, object], version: int, *, what: str, rebuild: str) -> None:
    """ModelError unless the model's record has this format version (`what` names the model, `rebuild` the
    command that rebuilds it)."""
    found = record.get("format_version")
    if found != version:
        raise ModelError(f"{what} has format version {found!r}, this dach reads {version}: rebuild it with `{rebuild}`")


def read_record(path: Path, version: int, *, what: str, rebuild: str) -> dict[str, Any]:
    """A one-file model's record, read and checked for its format version: `ModelError`, naming `what` and the
    command that rebuilds it, when the file is missing, unreadable or of another format."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{what} cannot be read ({exc}); rebuild it with `{rebuild}`") from exc
    require_format(record, version, what=what, rebuild=rebuild)
    return record
