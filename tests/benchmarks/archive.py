"""Archive lifecycle benchmark: filing with PDF/A + sealed evidence, exporting a 50-document record (0401 and
0503), and `dach verify` over random bit flips.

    .venv/bin/python -m tests.benchmarks.archive [--documents 50] [--flips 1000] [--seed 100000]

Each document has an A4 page scanned at 150 dpi (PNG original) and a searchable PDF beside it; the timestamp
authority is a local `openssl ts`. The export figure excludes PDF/A conversion (done at filing, timed apart).
Embedded backend (SQLite + folder); the figures depend on the machine's load, so report that with them.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import select, update

from ocr.pdfa import check as pdfa_check
from ocr.pdfa import rendition_of
from schemas.archive import Appraisal
from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR, Actor, CaptureInfo, Department, Role
from schemas.settings import Settings
from storage import open_archive
from storage.lifecycle import Lifecycle
from storage.models import Document, DocumentFile
from storage.xdomea import build, schema
from tests.archive.tsa import make_tsa
from tests.storage.conftest import Filer

ADMIN = Actor(name="archivar", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE)
TYPES = (DocumentType.PASSPORT, DocumentType.RESIDENCE_PERMIT, DocumentType.VISA, DocumentType.ID_CARD)


def page(rng: random.Random, index: int) -> tuple[bytes, bytes]:
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for line in range(40):
        words = " ".join(
            rng.choice(["Bescheid", "Aufenthalt", "Landkreis", "Antrag", "gemäß", "§ 7"]) for _ in range(9)
        )
        draw.text((90, 90 + line * 40), f"{index:03d} {words}", fill=0)
    png, pdf = io.BytesIO(), io.BytesIO()
    image.save(png, "PNG")
    image.save(pdf, "PDF", resolution=150.0)
    return png.getvalue(), pdf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--flips", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=100000)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="dach-bench-archive-"))
    tsa = make_tsa(root / "tsa")
    schemas = schema.locate(None, start=Path(__file__).resolve().parents[2])
    settings = Settings(data_dir=root / "var", xdomea_schemas=schemas, tsa_command=tsa.command, tsa_ca_file=tsa.ca_file)
    archive = open_archive(settings)
    life = Lifecycle(archive)
    filer = Filer(archive)
    figures: dict[str, object] = {"documents": args.documents}

    pages = [page(rng, i) for i in range(args.documents)]
    started = time.perf_counter()
    conversions = [rendition_of(png, pdf) for png, pdf in pages[:10]]
    figures["pdfa_conversion_s_per_document"] = round((time.perf_counter() - started) / 10, 4)
    figures["pdfa_conversions_pass"] = all(pdfa_check(c)[0] for c in conversions)

    started = time.perf_counter()
    person_id = None
    for i, (png, pdf) in enumerate(pages):
        request = filer.request(TYPES[i % len(TYPES)], number=f"X{i:07d}", original=png)
        request = request.model_copy(
            update={
                "searchable_pdf_key": archive.put_derived(pdf, "application/pdf"),
                "media_type": "image/png",
                "original_filename": f"scan{i}.png",
                "capture": CaptureInfo(channel="scanner_inbox", device="bench", pages_in=1),
            }
        )
        outcome = archive.file_document(request, SYSTEM_ACTOR)
        person_id = person_id or outcome.person_id
    figures["filing_s_per_document_incl_pdfa_and_seal"] = round((time.perf_counter() - started) / args.documents, 4)
    assert person_id is not None

    started = time.perf_counter()
    zip_path = life.abgabe(person_id, root / "out", ADMIN)
    figures["export_0401_s"] = round(time.perf_counter() - started, 3)
    figures["export_0401_mb"] = round(zip_path.stat().st_size / 1e6, 2)

    with archive.engine.begin() as conn:
        conn.execute(update(Document).values(retain_until=datetime.now(UTC) - timedelta(days=1)))
    view, _ = life.offer(ADMIN)
    appraisal = schema.serialise(build.appraisal(view.id, {o.uuid: Appraisal.ARCHIVE for o in view.objects}, "A", "B"))
    life.read_appraisal(appraisal, ADMIN)
    handover = life.handover(root / "out", ADMIN)
    figures["export_0503_s"] = round(handover.seconds, 3)
    figures["export_0503_pdfa_conversion_s"] = round(handover.pdfa_seconds, 3)
    with zipfile.ZipFile(handover.zip_path) as z:
        pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
        figures["export_0503_pdfa_pass"] = sum(pdfa_check(z.read(n))[0] for n in pdfs)
        figures["export_0503_pdfs"] = len(pdfs)

    with archive.engine.connect() as conn:
        rows = conn.execute(
            select(DocumentFile.document_id, DocumentFile.object_key).where(
                DocumentFile.kind.in_(("original", "pdfa", "evidence", "searchable_pdf"))
            )
        ).all()
    detected = 0
    started = time.perf_counter()
    for _ in range(args.flips):
        document_id, key = rng.choice(rows)
        path = settings.objects_dir.joinpath(*key.split("/"))
        original = path.read_bytes()
        data = bytearray(original)
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.chmod(0o644)
        path.write_bytes(bytes(data))
        try:
            failed = life.verify(ADMIN, document_id).failed
            detected += bool(failed)
        finally:
            path.write_bytes(original)
            path.chmod(0o444)
    figures["flips"] = args.flips
    figures["flips_detected"] = detected
    figures["verify_s_per_flip"] = round((time.perf_counter() - started) / max(1, args.flips), 4)
    started = time.perf_counter()
    clean = life.verify(ADMIN)
    figures["verify_all_s"] = round(time.perf_counter() - started, 3)
    figures["verify_all_failed_after_restore"] = len(clean.failed)
    archive.close()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
