"""Fixtures for the archive lifecycle tests: an archive on both backends with a local TSA and the official
xdomea schemas (found beside the checkout, or named by DACH_XDOMEA_SCHEMAS), and documents with real files."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pydantic import SecretStr
from sqlalchemy import update

from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR, Actor, CaptureInfo, Department, FilingOutcome, Role
from schemas.settings import Settings
from storage import Archive, open_archive
from storage.lifecycle import Lifecycle
from storage.models import Document
from storage.xdomea.schema import locate
from tests.archive.tsa import LocalTsa, make_tsa
from tests.storage.conftest import S3_ACCESS, S3_SECRET, Filer, Postgres, postgres, s3_endpoint  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
ADMIN_A = Actor(name="archivar.a", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE, purpose="Aussonderung")
ADMIN_B = Actor(name="archivar.b", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE, purpose="Aussonderung")


def schema_folder() -> Path:
    """The official schemas; the test is skipped (with the reason) only if they are truly absent."""
    folder = locate(None, start=REPO)
    if folder is None:
        pytest.skip("xdomea 3.1.0 schemas not found: set DACH_XDOMEA_SCHEMAS or put shared/xdomea beside the checkout")
    return folder


@pytest.fixture(scope="session")
def local_tsa(tmp_path_factory: pytest.TempPathFactory) -> LocalTsa:
    return make_tsa(tmp_path_factory.mktemp("tsa"))


@dataclass
class Life:
    name: str
    settings: Settings
    archive: Archive
    life: Lifecycle
    filer: Filer

    def file(self, doc_type: DocumentType = DocumentType.PASSPORT, *, pdf: bool = False, **kw: object) -> FilingOutcome:
        """File a document whose original is a real scan image (and, with `pdf`, a searchable PDF beside it)."""
        image = Image.new("RGB", (420, 594), "white")
        ImageDraw.Draw(image).text((20, 20), f"{doc_type.value} {uuid.uuid4()}", fill="black")
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        request = self.filer.request(doc_type, original=buffer.getvalue(), **kw)  # type: ignore[arg-type]
        update: dict[str, object] = {
            "original_filename": "scan.png",
            "media_type": "image/png",
            "capture": CaptureInfo(
                channel="scanner_inbox", device="Fujitsu fi-7160", pages_in=1, settings={"dpi": "300", "colour": "rgb"}
            ),
        }
        if pdf:
            out = io.BytesIO()
            image.save(out, "PDF", resolution=72.0)
            update["searchable_pdf_key"] = self.archive.put_derived(out.getvalue(), "application/pdf")
        return self.archive.file_document(request.model_copy(update=update), SYSTEM_ACTOR)

    def expire(self, *, days: int = 1) -> None:
        """Let every document's retention end (as if the years had passed)."""
        with self.archive.engine.begin() as conn:
            conn.execute(update(Document).values(retain_until=datetime.now(UTC) - timedelta(days=days)))


def make_settings(kind: str, tmp_path: Path, tsa: LocalTsa, request: pytest.FixtureRequest) -> Settings:
    common: dict[str, object] = {
        "data_dir": tmp_path / "var",
        "xdomea_schemas": schema_folder(),
        "tsa_command": tsa.command,
        "tsa_ca_file": tsa.ca_file,
    }
    if kind == "embedded":
        return Settings(**common)  # type: ignore[arg-type]
    pg: Postgres = request.getfixturevalue("postgres")
    endpoint: str = request.getfixturevalue("s3_endpoint")
    return Settings(
        **common,  # type: ignore[arg-type]
        database_url=pg.fresh_url(),
        s3_endpoint=endpoint,
        s3_access_key=S3_ACCESS,
        s3_secret_key=SecretStr(S3_SECRET),
        s3_bucket=f"dach-{uuid.uuid4().hex[:12]}",
    )


@pytest.fixture(params=["embedded", "production"])
def life(request: pytest.FixtureRequest, tmp_path: Path, local_tsa: LocalTsa) -> Iterator[Life]:
    settings = make_settings(request.param, tmp_path, local_tsa, request)
    archive = open_archive(settings)
    try:
        yield Life(request.param, settings, archive, Lifecycle(archive), Filer(archive))
    finally:
        archive.close()


def cli_env(life: Life) -> dict[str, str]:
    s = life.settings
    env = {
        "DACH_DATA_DIR": str(s.data_dir),
        "DACH_CONFIG": "/nonexistent/dach.toml",
        "DACH_XDOMEA_SCHEMAS": str(s.xdomea_schemas),
        "DACH_TSA_COMMAND": s.tsa_command or "",
        "DACH_TSA_CA_FILE": str(s.tsa_ca_file),
    }
    if s.database_url:
        env["DACH_DATABASE_URL"] = s.database_url.replace("postgresql+psycopg://", "postgresql://")
    if s.s3_endpoint and s.s3_secret_key:
        env |= {
            "DACH_S3_ENDPOINT": s.s3_endpoint,
            "DACH_S3_ACCESS_KEY": s.s3_access_key or "",
            "DACH_S3_SECRET_KEY": s.s3_secret_key.get_secret_value(),
            "DACH_S3_BUCKET": s.s3_bucket,
            "DACH_S3_SECURE": "false",
        }
    return env
