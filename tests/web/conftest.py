"""A small real archive for the web tests: the embedded default (SQLite + object folder) in a temp folder,
one user per role and department, and one filed document of every type.

The web app under test runs on the real `storage` facade, so authorisation, audit and corrections are the
real ones; only the intake flow is replaced in the upload tests where noted (the flow has its own tests).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from schemas.documents import (
    MRZ_TYPES,
    BBox,
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    PageText,
    TextSource,
    Word,
)
from schemas.record import SYSTEM_ACTOR, Actor, Department, FilingRequest, Role
from schemas.settings import Settings
from schemas.strings_de import label

PASSWORD = "richtig-langes-passwort-1"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'

# One account per role, in the department that role works in.
USERS: dict[str, tuple[Role, Department]] = {
    "empfang": (Role.FRONT_DESK, Department.FRONT_DESK),
    "abh": (Role.CLERK, Department.FOREIGNERS_AUTHORITY),
    "jobcenter": (Role.CLERK, Department.JOBCENTRE),
    "integration": (Role.LEAD, Department.INTEGRATION),
    "archiv": (Role.ARCHIVE_ADMIN, Department.ARCHIVE),
    "archiv2": (Role.ARCHIVE_ADMIN, Department.ARCHIVE),
    "revision": (Role.AUDITOR, Department.DATA_PROTECTION),
}


def pdf_page(lines: list[str]) -> bytes:
    """A one-page A4 PDF with the given lines (born-digital: good enough to render and download)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont("Helvetica", 16)
    for index, line in enumerate(lines):
        pdf.drawString(60, 780 - 28 * index, line)
    pdf.save()
    return out.getvalue()


def passport_fields(
    surname: str, given: str, expiry: date, number: str = "C01X00T47", birth: str = "1990-03-14"
) -> dict[str, ExtractedField]:
    def box(row: int) -> BBox:
        return BBox(x0=0.07, y0=0.05 + 0.033 * row, x1=0.6, y1=0.08 + 0.033 * row)

    values = {
        "surname": surname,
        "given_names": given,
        "document_number": number,
        "nationality": "UKR",
        "birth_date": birth,
        "expiry_date": expiry.isoformat(),
    }
    return {
        name: ExtractedField(value=value, page=1, bbox=box(row), source=TextSource.MRZ, confidence=0.9)
        for row, (name, value) in enumerate(values.items(), start=1)
    }


def document_for(
    doc_type: DocumentType, surname: str, number: str = "C01X00T47", birth: str = "1990-03-14"
) -> tuple[ExtractedDocument, list[str]]:
    soon = date.today() + timedelta(days=30)
    if doc_type in MRZ_TYPES:
        fields = passport_fields(surname, "Oleksandr", soon, number, birth)
    else:
        fields = {
            "person_name": ExtractedField(value=f"Oleksandr {surname}", page=1, confidence=0.7),
            "birth_date": ExtractedField(value=birth, page=1),
        }
    # printed as a German document prints them: label, then value
    lines = [doc_type.value.upper()] + [f"{label('field', name)}: {field.value}" for name, field in fields.items()]
    document = ExtractedDocument(type=doc_type, pages=(1,), confidence=0.95, review=False, fields=fields)
    return document, lines


@dataclass
class World:
    settings: Settings
    archive: object
    documents: dict[DocumentType, str]  # type -> document id, filed by the intake flow
    person_id: str
    pending_id: str  # a document the front-desk user filed that awaits review
    actors: dict[str, Actor]


def file_one(
    archive: object,
    doc_type: DocumentType,
    surname: str,
    actor: Actor,
    *,
    review: bool = False,
    number: str = "C01X00T47",
    birth: str = "1990-03-14",
) -> str:
    """File one generated document of `doc_type` for `surname` (born `birth`, document `number`)."""
    document, lines = document_for(doc_type, surname, number, birth)
    if review:
        document = document.model_copy(update={"review": True, "confidence": 0.4, "notes": ("low confidence",)})
    data = pdf_page(lines)
    key = archive.put_original(data)  # type: ignore[attr-defined]
    words = tuple(
        Word(
            text=line,
            bbox=BBox(x0=0.07, y0=0.05 + 0.033 * i, x1=0.6, y1=0.08 + 0.033 * i),
            confidence=0.9,
            line=i,
        )
        for i, line in enumerate(lines)
    )
    page = PageText(page=1, width=1240, height=1754, source=TextSource.TEXT_LAYER, words=words)
    put_derived = getattr(archive, "put_derived", None)
    pdf_key = put_derived(data, "application/pdf") if put_derived is not None else None
    request = FilingRequest(
        original_key=key,
        original_filename=f"{XSS}.pdf",
        media_type="application/pdf",
        document=document,
        pages=(page,),
        searchable_pdf_key=pdf_key,
    )
    outcome = archive.file_document(request, actor)  # type: ignore[attr-defined]
    return str(outcome.document_id)


# a visual zone that prints another birth date than the MRZ (01.01.1985) and agrees on the rest
ZONE_PASSPORT_PRINTED = ["TKACHENKO", "OLENA", "FA1234567", "Geburtsdatum 01 JAN 1988", "01.01.2030"]


def file_zone_passport(archive: object) -> str:
    """A passport read the way the classifiers read one (MRZ and visual zone, with the boxes of both)."""
    from classifiers.identity import identity_document
    from tests.mrz.test_viz import _page

    page = _page(ZONE_PASSPORT_PRINTED)
    document = identity_document([page])
    assert document is not None and document.viz_mismatches == ("birth_date",)
    data = pdf_page(ZONE_PASSPORT_PRINTED)
    request = FilingRequest(
        original_key=archive.put_original(data),  # type: ignore[attr-defined]
        original_filename="pass.pdf",
        media_type="application/pdf",
        document=document,
        pages=(page,),
        searchable_pdf_key=archive.put_derived(data, "application/pdf"),  # type: ignore[attr-defined]
    )
    return str(archive.file_document(request, SYSTEM_ACTOR).document_id)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from storage import open_archive

    settings = Settings(data_dir=tmp_path_factory.mktemp("web"), secret_key=SecretStr("test-key-" + "x" * 40))
    archive = open_archive(settings)
    actors: dict[str, Actor] = {}
    for name, (role, department) in USERS.items():
        archive.add_user(name, PASSWORD, role, department)
        found = archive.authenticate(name, PASSWORD)
        assert found is not None
        actors[name] = found
    documents = {t: file_one(archive, t, "Kovalenko", SYSTEM_ACTOR) for t in DocumentType}
    view = archive.get_document(documents[DocumentType.PASSPORT], actors["abh"])
    assert view.person_id is not None
    pending = file_one(archive, DocumentType.NOTICE, XSS, actors["empfang"], review=True)
    return World(settings, archive, documents, view.person_id, pending, actors)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    found = CSRF_RE.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


@pytest.fixture(scope="module")
def app(world: World) -> Iterator[object]:
    from web.app import create_app

    yield create_app(world.settings, archive=world.archive)  # type: ignore[arg-type]


@pytest.fixture
def login(app: object) -> Callable[[str], TestClient]:
    """A client signed in as the named user (its CSRF token in `client.csrf`)."""

    def sign_in(name: str) -> TestClient:
        client = TestClient(app)  # type: ignore[arg-type]
        token = csrf_of(client)
        answer = client.post(
            "/login",
            data={"username": name, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        client.csrf = csrf_of(client, "/login")  # type: ignore[attr-defined]
        return client

    return sign_in


ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


class StandInReader:
    """Plays the worker's part for the upload tests: claims queued files through the real queue and files
    one notice per page through the real record (the intake flow itself is tested in tests/flows)."""

    def __init__(self, archive: object, owner: str = "stand-in-worker") -> None:
        self.archive = archive
        self.owner = owner

    def claim(self) -> object:
        return self.archive.claim_intake(self.owner)  # type: ignore[attr-defined]

    def file_page(self, claim: object, page: int, doc_type: DocumentType = DocumentType.NOTICE) -> str:
        from schemas.intake import ReadPage
        from storage.intake_filing import file_read_document

        document, lines = document_for(doc_type, "Stapel")
        document = document.model_copy(update={"pages": (page,), "review": True, "confidence": 0.5})
        words = tuple(
            Word(
                text=line,
                bbox=BBox(x0=0.1, y0=0.05 * (i + 1), x1=0.6, y1=0.05 * (i + 1) + 0.03),
                confidence=0.9,
                line=i,
            )
            for i, line in enumerate(lines)
        )
        text = PageText(page=page, width=1240, height=1754, source=TextSource.TEXT_LAYER, words=words)
        item = file_read_document(self.archive, claim, document, [ReadPage(text=text)], claim.uploader)  # type: ignore[arg-type, attr-defined]
        return str(item.document_id)

    def finish(self, claim: object, documents: list[str]) -> None:
        from schemas.intake import FileState

        self.archive.finish_intake(claim.sha256, self.owner, FileState.NEEDS_REVIEW, documents=documents)  # type: ignore[attr-defined]

    def read_all(self) -> int:
        """Every queued file: one document per page, then done; how many files were read."""
        count = 0
        while (claim := self.claim()) is not None:
            self.finish(claim, [self.file_page(claim, page) for page in range(1, claim.page_count + 1)])  # type: ignore[attr-defined]
            count += 1
        return count
