"""Versioned model files written atomically (`schemas.model_files`), as the three shipped models use them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mrz.confusion import FORMAT_VERSION as CONFUSION_FORMAT
from mrz.confusion import save_confusion
from mrz.ocrb import load_model, save_model, shipped_model
from schemas.errors import ModelError
from schemas.model_files import require_format, write_file, write_folder


def test_a_folder_replaces_the_old_one_only_when_complete(tmp_path: Path) -> None:
    folder = tmp_path / "model-v1"
    write_folder(folder, lambda part: (part / "a.txt").write_text("old"))
    (tmp_path / "model-v1.part").mkdir()  # left by an interrupted run
    (tmp_path / "model-v1.part" / "stale.txt").write_text("half")

    def crash(part: Path) -> None:
        (part / "a.txt").write_text("half written")
        raise RuntimeError("training stopped")

    with pytest.raises(RuntimeError):
        write_folder(folder, crash)
    assert (folder / "a.txt").read_text() == "old"  # the model in place is untouched
    write_folder(folder, lambda part: (part / "a.txt").write_text("new"))
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    assert (folder / "a.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model-v1"]  # no .part, no .old left


def test_a_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "models" / "table.json"
    write_file(path, "one\n")
    write_file(path, "two\n")
    assert path.read_text() == "two\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["table.json"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_another_format_says_how_to_rebuild() -> None:
    require_format({"format_version": 3}, 3, what="the model", rebuild="dach train")
    with pytest.raises(ModelError, match="format version 2, this dach reads 3: rebuild it with `dach train`"):
        require_format({"format_version": 2}, 3, what="the model", rebuild="dach train")
    with pytest.raises(ModelError, match="None"):
        require_format({}, 3, what="the model", rebuild="dach train")


def test_the_ocrb_model_round_trips_and_refuses_another_format(tmp_path: Path) -> None:
    model = shipped_model()
    folder = tmp_path / "ocrb"
    save_model(model, folder, {"seed": 0})
    again = load_model(folder)
    windows = np.random.default_rng(1).random((3, model.mean.shape[0]), dtype=np.float32)
    assert np.allclose(again.probabilities(windows), model.probabilities(windows), atol=1e-3)
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "format_version": 0}))
    with pytest.raises(ModelError, match="dach train-mrz"):
        load_model(folder)


def test_the_confusion_table_is_written_with_its_format(tmp_path: Path) -> None:
    path = tmp_path / "confusion.json"
    save_confusion(np.zeros((3, 37, 37), np.int64), path, {"seed": 0})
    data = json.loads(path.read_text())
    assert data["format_version"] == CONFUSION_FORMAT and len(data["counts"]) == 3
