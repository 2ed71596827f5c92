"""The Prefect server's settings as production runs it (`prefect-server.env`, which docker-compose.yml loads):
the benchmarks start their Prefect servers with the same ones, so what they measure is what compose runs."""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "prefect-server.env"


def prefect_server_settings() -> dict[str, str]:
    """`NAME=value` lines of the settings file (comments and blank lines left out)."""
    settings: dict[str, str] = {}
    for line in SETTINGS_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings
