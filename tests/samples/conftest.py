"""Shared, session-scoped sample folders, so the generator runs once per set of arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.samples import generate

MIXED_SEED = 4242  # a training-range seed: tests are development, not measurement


@pytest.fixture(scope="session")
def mixed_samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("mixed")
    return out, generate(out, count=18, seed=MIXED_SEED, difficulty="hard")
