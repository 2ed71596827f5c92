"""What the page-reading commands import before their first page is read (issue 16: seconds before the first page
that the reading does not need). Each check runs in a new interpreter, where nothing was imported yet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imported_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(m for m in {modules!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.parametrize(
    ("statement", "not_yet"),
    [
        # `dach extract` submits its pages and only then imports the classifiers (spaCy) for the analysis
        ("from flows.steps import extract_files", ("classifiers", "spacy", "prefect")),
    ],
)
def test_reading_starts_without_what_only_later_steps_need(statement: str, not_yet: tuple[str, ...]) -> None:
    assert _imported_after(statement, not_yet) == []
