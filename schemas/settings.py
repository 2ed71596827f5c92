"""Typed settings, validated once.

Sources, highest priority first: keyword arguments, `DACH_*` environment variables, a `dach.toml` in the
working directory (or the file named by `DACH_CONFIG`). Building settings touches no disk or database; the
rooms receive the frozen object (or the small part they need) and never read `os.environ` themselves.

With none of the database and S3 variables set, dach uses the embedded default: SQLite and a local
content-addressed object folder under `data_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

MiB = 1024 * 1024


class OcrLimits(BaseSettings):
    """Explicit limits on what one input may cost. Anything over a limit is rejected with a clear error."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid")

    max_file_bytes: int = Field(default=200 * MiB, ge=1, description="largest accepted input file")
    max_pages: int = Field(default=500, ge=1, description="most pages in one input file")
    max_pixels: int = Field(
        default=150_000_000, ge=1, description="most pixels in one page image (A4 at 600 dpi is 35 million)"
    )
    pdf_dpi: int = Field(default=300, ge=72, le=600, description="resolution scanned PDF pages are rendered at")
    page_timeout_s: float = Field(default=90.0, gt=0, description="longest one tesseract call may run")
    parser_memory_mb: int = Field(
        default=2048, ge=256, description="address space of a parser worker (pdfium, pdfplumber, pikepdf, Pillow)"
    )
    parser_cpu_s: int = Field(default=60, ge=1, description="CPU seconds one parse of one file or page may use")
    parser_wall_s: float = Field(default=60.0, gt=0, description="seconds one parse of one file or page may take")
    parser_workers: int = Field(default=2, ge=1, le=64, description="parser worker processes (the sandbox)")
    parser_confine: bool = Field(
        default=True,
        description="confine parser workers: no files but their own folder, no network, no secrets, as nobody",
    )
    parser_sandbox: bool = Field(
        default=True, description="parse in sandboxed worker processes (off only to debug a parser in place)"
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DACH_", frozen=True, extra="forbid", env_nested_delimiter="__", toml_file="dach.toml"
    )

    data_dir: Path = Field(default=Path("var"), description="embedded database, object folder, Prefect home")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy or plain postgresql:// URL; unset means SQLite in data_dir"
    )
    s3_endpoint: str | None = Field(default=None, description="host:port of MinIO/S3; unset means local folder")
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_bucket: str = Field(default="dach", min_length=3, max_length=63)
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_retry_s: float = Field(
        default=30.0, ge=0, description="how long a call to an unavailable object store is retried (back-off)"
    )

    languages: str = Field(default="deu+eng", description="tesseract languages for Latin-script pages")
    ocr_workers: int = Field(default=2, ge=1, le=64, description="pages OCRed at once (one tesseract each)")
    limits: OcrLimits = Field(default_factory=OcrLimits)
    review_threshold: float = Field(default=0.80, ge=0.0, le=1.0, description="below this a document needs review")
    match_threshold: float = Field(default=0.92, ge=0.0, le=1.0, description="person match score filed automatically")

    policy_file: Path | None = Field(default=None, description="access policy YAML; unset means the shipped one")
    handover_rules_file: Path | None = Field(
        default=None, description="hand-over rules YAML (Rechtskreisübergänge); unset means the shipped one"
    )
    notifications_file: Path | None = Field(
        default=None, description="e-mail digest and webhook endpoints YAML; unset means none are sent"
    )
    teams_file: Path | None = Field(
        default=None, description="contact-person teams by postcode/municipality YAML; unset means the shipped one"
    )
    secret_key: SecretStr | None = Field(default=None, description="web session signing key; generated if unset")
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    web_https_only: bool = Field(default=False, description="send the session cookie over HTTPS only")

    # --- archive lifecycle: xdomea, scan evidence (Transfervermerk) --------------------------------------
    agency_name: str = Field(default="Landkreis Musterland, Amt für Migration", description="sender in xdomea")
    archive_name: str = Field(default="Kreisarchiv Musterland", description="the public archive (xdomea 05xx)")
    xdomea_schemas: Path | None = Field(
        default=None, description="folder holding xdomea 3.1.0 schemas (3.1.0/xdomea.xsd); unset: searched upwards"
    )
    seal_key_file: Path | None = Field(
        default=None, description="agency's Ed25519 sealing key (PEM); unset: data_dir/keys/seal.pem, made once"
    )
    tsa_url: str | None = Field(default=None, description="RFC 3161 timestamp authority (HTTP POST)")
    tsa_command: str | None = Field(
        default=None, description="or a local TSA command reading a query on stdin, e.g. 'openssl ts -reply ...'"
    )
    tsa_ca_file: Path | None = Field(default=None, description="CA certificate(s) the TSA's tokens verify against")

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str | None) -> str | None:
        # A plain postgresql:// URL must work: SQLAlchemy would pick psycopg2, which we do not ship.
        if value and value.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("s3_endpoint")
    @classmethod
    def _endpoint_is_host_port(cls, value: str | None) -> str | None:
        if value and "://" in value:
            raise ValueError("DACH_S3_ENDPOINT is host:port (e.g. minio:9000); set DACH_S3_SECURE=true for https")
        return value or None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = os.environ.get("DACH_CONFIG", "dach.toml")
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_path))

    # --- derived paths (pure: nothing is created here) ---------------------------------------------

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'dach.sqlite').as_posix()}"

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"

    @property
    def uses_s3(self) -> bool:
        return self.s3_endpoint is not None

    def describe(self) -> dict[str, Any]:
        """Settings for display, secrets masked."""
        return self.model_dump(mode="json", exclude={"s3_secret_key", "secret_key"})


def env_variable_names() -> set[str]:
    """Every DACH_* variable the settings understand (docker-compose is checked against this)."""
    names = {f"DACH_{name.upper()}" for name in Settings.model_fields}
    names |= {f"DACH_LIMITS__{name.upper()}" for name in OcrLimits.model_fields}
    names.add("DACH_CONFIG")
    return names
