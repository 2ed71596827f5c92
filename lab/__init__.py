"""The lab: what builds and measures dach but is no part of the product.

- `lab.samples`: the seeded generator of synthetic scans with ground truth (`dach samples`), used by the
  tests, the benchmarks, the demo and the training.
- `lab.training`: rebuilding the shipped models from generated data (`dach train` for the document-type
  classifier, `dach train-mrz` for the OCR-B cell classifier and tesseract's confusion table).
- `lab.commands`: those three commands, registered by `dach.cli` when `lab` is importable.

No product room imports `lab` (`tests/test_house.py` checks it), and the wheel leaves it out; its
dependencies (Faker, scikit-learn) are the `lab` dependency group of `pyproject.toml`, installed by default
in a clone (`uv sync`, `make demo`, `make test`).
"""
