"""Process-wide test set-up: Prefect keeps its home under var/ and stays quiet; tesseract single-threaded."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Prefect reads these at import time, so they are set before any test module imports it.
os.environ.setdefault("PREFECT_HOME", str(ROOT / "var" / "test-prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ["OMP_THREAD_LIMIT"] = "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the `dach` command sets it (`dach.cli`)
# Prefect's temporary server keeps its SQLite database here and does not create the folder (a clean clone).
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
