"""xdomea 3.1.0 out and in, on both backends: offer (0501) → appraisal (0502) → hand-over (0503 ZIP) → import
confirmation (0506) → deletion with four eyes; the Abgabe (0401) out of dach and into a fresh dach; invalid
messages rejected and kept. Every message is checked against the official schemas, every primary document with
pikepdf's PDF/A-2b checker."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from dach.cli import app
from ocr.pdfa import check as pdfa_check
from schemas.archive import Appraisal, TransferStatus
from schemas.documents import DocumentType
from schemas.errors import AccessDenied, InvalidRequest, XdomeaInvalid
from schemas.record import Actor, Department, Role
from schemas.settings import Settings
from storage import lifecycle, open_archive
from storage.lifecycle import Lifecycle
from storage.xdomea import build, schema
from tests.archive.conftest import ADMIN_A, ADMIN_B, Life, cli_env, schema_folder
from tests.archive.tsa import LocalTsa

NS = {"x": schema.NS}


def _valid(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    validator = schema.schema(schema_folder())
    assert validator.validate(root), validator.error_log
    return root


def test_aussonderung_round_trip(life: Life, tmp_path: Path) -> None:
    kept = [life.file(DocumentType.PASSPORT, pdf=True), life.file(DocumentType.RESIDENCE_PERMIT, number="RP1234567")]
    held = life.file(DocumentType.PASSPORT, surname="SHEVCHENKO", given="TARAS", number="FB7654321", born="1990-01-01")
    assert kept[0].person_id == kept[1].person_id != held.person_id
    life.archive.set_legal_hold(held.document_id, True, "Klage anhängig", ADMIN_A)
    with pytest.raises(Exception, match="no record is due"):
        life.life.offer(ADMIN_A)  # nothing has reached the end of its retention yet
    life.expire()

    view, offer_xml = life.life.offer(ADMIN_A)
    root = _valid(offer_xml)
    assert root.tag.endswith("Aussonderung.Anbieteverzeichnis.0501")
    assert [o.record_id for o in view.objects] and len(view.objects) == 1  # the held record is not offered
    offered = view.objects[0]
    assert offered.documents == 2 and "KOVALENKO" in offered.person_name
    assert root.find(".//x:Primaerdokument", NS) is None  # an offer carries no files

    # Deleting before the archive confirmed the import is refused, with the reason.
    request_id = life.archive.request_deletion(kept[0].document_id, "Aufbewahrungsfrist abgelaufen", ADMIN_A)
    with pytest.raises(InvalidRequest, match="offered to the archive"):
        life.archive.approve_deletion(request_id, ADMIN_B)

    appraisal = schema.serialise(
        build.appraisal(view.id, {offered.uuid: Appraisal.ARCHIVE}, "Kreisarchiv", "Landkreis"), schema_folder()
    )
    appraised = life.life.read_appraisal(appraisal, ADMIN_A)
    assert appraised.status is TransferStatus.APPRAISED and appraised.objects[0].appraisal is Appraisal.ARCHIVE

    handover = life.life.handover(tmp_path / "out", ADMIN_A)
    zip_path = Path(handover.zip_path)
    assert zip_path.name == f"{view.id}_Aussonderung.Aussonderung.0503.zip"
    with zipfile.ZipFile(zip_path) as archive_zip:
        names = set(archive_zip.namelist())
        message = _valid(archive_zip.read(f"{view.id}_Aussonderung.Aussonderung.0503.xml"))
        files = [e.text for e in message.iterfind(".//x:Primaerdokument/x:Dateiname", NS)]
        assert files and set(files) <= names
        pdfs = [n for n in files if n and n.endswith(".pdf")]
        assert len(pdfs) == 2  # every document's primary file is its PDF/A rendition
        for name in pdfs:
            passed, findings = pdfa_check(archive_zip.read(name))
            assert passed, (name, findings)
        evidence = [n for n in files if n and n.endswith("_transfervermerk.json")]
        assert len(evidence) == 2
    assert "KOVALENKO" in etree.tostring(message).decode()
    assert handover.documents == 2

    confirmation = schema.serialise(
        build.import_confirmation(view.id, {offered.uuid: (True, "KA Musterland 2026/17")}, "Kreisarchiv", "Landkreis"),
        schema_folder(),
    )
    confirmed, requests = life.life.read_confirmation(confirmation, ADMIN_A)
    assert confirmed.status is TransferStatus.CONFIRMED and confirmed.objects[0].archive_id == "KA Musterland 2026/17"
    assert len(requests) == 1  # the earlier request for the first document is still pending; one new
    with pytest.raises(InvalidRequest, match="second archive administrator"):
        life.archive.approve_deletion(requests[0], ADMIN_A)
    for rid in [request_id, *requests]:
        life.archive.approve_deletion(rid, ADMIN_B)
    for outcome in kept:
        with pytest.raises(Exception, match="does not exist"):
            life.archive.get_document(outcome.document_id, ADMIN_A)
    assert life.archive.get_document(held.document_id, ADMIN_A).id == held.document_id
    actions = [e.action for e in life.archive.audit_log(ADMIN_A, limit=200)]
    for step in ("xdomea_0501", "xdomea_0502", "xdomea_0503", "xdomea_0506", "delete"):
        assert step in actions
    assert life.archive.verify_audit().ok


def test_invalid_messages_are_rejected_and_kept(life: Life) -> None:
    life.file()
    life.expire()
    view, _ = life.life.offer(ADMIN_A)
    bad = schema.serialise(
        build.appraisal(view.id, {view.objects[0].uuid: Appraisal.ARCHIVE}, "A", "B"), schema_folder()
    )
    bad = bad.replace(b"<code>A</code>", b"<code>X</code>")  # not in the Aussonderungsart code list
    with pytest.raises(XdomeaInvalid, match=r"does not validate against xdomea 3\.1\.0.*quarantine"):
        life.life.read_appraisal(bad, ADMIN_A)
    with pytest.raises(XdomeaInvalid, match="well-formed"):
        life.life.read_appraisal(b"<not xml", ADMIN_A)
    with pytest.raises(XdomeaInvalid, match="expected an xdomea"):
        life.life.read_confirmation(bad, ADMIN_A)  # a 0502 where a 0506 belongs
    kept = life.archive.list_quarantine(ADMIN_A)
    # The same bytes rejected twice for the same reason are one quarantine entry.
    assert {q.error_code for q in kept} == {"xdomea_invalid"} and len(kept) == 2
    assert {life.archive.get_object(q.object_key or "") for q in kept} == {bad, b"<not xml"}
    # An appraisal about objects that were never offered is refused too (valid, but not ours).
    stranger = schema.serialise(
        build.appraisal(view.id, {build.object_uuid("record", "x"): Appraisal.DESTROY}, "A", "B"), schema_folder()
    )
    with pytest.raises(InvalidRequest, match="not offered"):
        life.life.read_appraisal(stranger, ADMIN_A)


def test_abgabe_into_a_fresh_dach(life: Life, tmp_path: Path, local_tsa: LocalTsa) -> None:
    first = life.file(DocumentType.PASSPORT, pdf=True)
    second = life.file(DocumentType.RESIDENCE_PERMIT, number="RP1234567")
    clerk = Actor(name="sb.auslaender", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)
    life.archive.correct_document(second.document_id, {"document_number": "RP7654321"}, "Zahlendreher", clerk)
    assert first.person_id is not None
    zip_path = life.life.abgabe(first.person_id, tmp_path / "abgabe", ADMIN_A, recipient="Landkreis Nachbarland")
    assert zip_path.name.endswith("_Abgabe.Abgabe.0401.zip")
    source = {d: life.archive.get_document(d, ADMIN_A) for d in (first.document_id, second.document_id)}

    fresh = open_archive(
        Settings(
            data_dir=tmp_path / "fresh",
            xdomea_schemas=schema_folder(),
            tsa_command=local_tsa.command,
            tsa_ca_file=local_tsa.ca_file,
        )
    )
    try:
        imported = Lifecycle(fresh).import_abgabe(zip_path, ADMIN_A)
        assert len(imported.documents) == 2 and not imported.unmapped
        record = fresh.get_person_record(imported.person_id, ADMIN_A)
        assert record.person.surname == "KOVALENKO" and record.person.birth_date == "1985-03-02"
        arrived = {fresh.get_document(d, ADMIN_A).type: fresh.get_document(d, ADMIN_A) for d in imported.documents}
        for original in source.values():
            copy = arrived[original.type]
            assert copy.fields == original.fields  # every field, with its provenance
            assert [(v.version, v.author, v.reason) for v in copy.versions] == [
                (v.version, v.author, v.reason) for v in original.versions
            ]
            assert fresh.read_file(copy.id, "original", ADMIN_A) == life.archive.read_file(
                original.id, "original", ADMIN_A
            )
            assert pdfa_check(fresh.read_file(copy.id, "pdfa", ADMIN_A))[0]
        assert arrived[DocumentType.RESIDENCE_PERMIT].fields["document_number"].value == "RP7654321"
        assert len(arrived[DocumentType.RESIDENCE_PERMIT].versions) == 2
        entries = fresh.audit_log(ADMIN_A, limit=50)
        handed = next(e for e in entries if e.action == "xdomea_0401_import")
        assert any(h[0] == "abgabe" for h in handed.details["source_history"])  # type: ignore[union-attr]
        assert Lifecycle(fresh).verify(ADMIN_A).failed == ()
        assert fresh.search("KOVALENKO", ADMIN_A)
    finally:
        fresh.close()


def test_a_0401_that_cannot_be_mapped_fully_keeps_the_rest(life: Life, tmp_path: Path, local_tsa: LocalTsa) -> None:
    outcome = life.file(DocumentType.PASSPORT)
    assert outcome.person_id is not None
    zip_path = life.life.abgabe(outcome.person_id, tmp_path / "a", ADMIN_A)
    # The same record coming back into the dach that sent it: nothing is filed twice, and it says so.
    again = life.life.import_abgabe(zip_path, ADMIN_A)
    assert again.documents == () and any(outcome.document_id in u for u in again.unmapped)

    with zipfile.ZipFile(zip_path) as source:
        members = {n: source.read(n) for n in source.namelist()}
    name = next(n for n in members if n.endswith(".xml"))
    members[name] = members[name].replace(b"<xdomea:Typ>passport</xdomea:Typ>", b"<xdomea:Typ>Meldekarte</xdomea:Typ>")
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(changed, "w") as target:
        for n, data in members.items():
            target.writestr(n, data)
    fresh = open_archive(
        Settings(
            data_dir=tmp_path / "fresh",
            xdomea_schemas=schema_folder(),
            tsa_command=local_tsa.command,
            tsa_ca_file=local_tsa.ca_file,
        )
    )
    try:
        imported = Lifecycle(fresh).import_abgabe(changed, ADMIN_A)
        assert any("Meldekarte" in u for u in imported.unmapped)
        view = fresh.get_document(imported.documents[0], ADMIN_A)
        assert view.type is DocumentType.OTHER and view.fields  # kept, with its fields, and shown
        assert any("Meldekarte" in n for n in view.notes)
        entry = next(e for e in fresh.audit_log(ADMIN_A, limit=20) if e.action == "xdomea_0401_import")
        assert any("Meldekarte" in u for u in entry.details["unmapped"])  # type: ignore[union-attr]
    finally:
        fresh.close()


def test_a_broken_0401_zip_is_rejected_and_kept(life: Life, tmp_path: Path) -> None:
    broken = tmp_path / "x_Abgabe.Abgabe.0401.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        target.writestr("x_Abgabe.Abgabe.0401.xml", b"<Abgabe/>")
    broken.write_bytes(buffer.getvalue())
    with pytest.raises(XdomeaInvalid):
        life.life.import_abgabe(broken, ADMIN_A)
    assert [q.original_name for q in life.archive.list_quarantine(ADMIN_A)] == [broken.name]


def test_cli_contract(life: Life, tmp_path: Path) -> None:
    """`dach archive offer|appraisal|handover|confirm` and `dach xdomea abgabe|import` as the issue names them."""
    runner = CliRunner()
    env = cli_env(life)
    outcome = life.file(DocumentType.PASSPORT, pdf=True)
    assert outcome.person_id is not None
    done = runner.invoke(app, ["xdomea", "abgabe", outcome.person_id, "--out", str(tmp_path / "o"), "--json"], env=env)
    assert done.exit_code == 0, done.output
    zip_path = Path(json.loads(done.stdout)["zip"])
    assert zip_path.is_file() and zip_path.name.endswith("_Abgabe.Abgabe.0401.zip")

    fresh_env = {**env, "DACH_DATA_DIR": str(tmp_path / "fresh")}
    for key in ("DACH_DATABASE_URL", "DACH_S3_ENDPOINT"):
        fresh_env.pop(key, None)
    taken = runner.invoke(app, ["xdomea", "import", str(zip_path), "--json"], env=fresh_env)
    assert taken.exit_code == 0, taken.output
    result = json.loads(taken.stdout)
    assert result["person_id"].startswith("per_") and len(result["documents"]) == 1

    life.expire()
    offered = runner.invoke(app, ["archive", "offer", "--out", str(tmp_path / "m"), "--json"], env=env)
    assert offered.exit_code == 0, offered.output
    process = json.loads(offered.stdout)["process_id"]
    record_uuid = build.object_uuid("record", json.loads(offered.stdout)["records"][0])
    appraisal = tmp_path / "0502.xml"
    appraisal.write_bytes(
        schema.serialise(build.appraisal(process, {record_uuid: Appraisal.ARCHIVE}, "A", "B"), schema_folder())
    )
    assert runner.invoke(app, ["archive", "appraisal", str(appraisal)], env=env).exit_code == 0
    handed = runner.invoke(app, ["archive", "handover", "--out", str(tmp_path / "z"), "--json"], env=env)
    assert handed.exit_code == 0, handed.output
    assert Path(json.loads(handed.stdout)["zip_path"]).is_file()
    confirmation = tmp_path / "0506.xml"
    confirmation.write_bytes(
        schema.serialise(build.import_confirmation(process, {record_uuid: (True, "KA-1")}, "A", "B"), schema_folder())
    )
    confirmed = runner.invoke(app, ["archive", "confirm", str(confirmation), "--json"], env=env)
    assert confirmed.exit_code == 0, confirmed.output
    assert len(json.loads(confirmed.stdout)["deletion_requests"]) == 1
    invalid = runner.invoke(app, ["archive", "confirm", str(appraisal)], env=env)
    assert invalid.exit_code == 1 and "xdomea_invalid" in invalid.output


def test_zip_bombs_and_unsafe_names_are_refused(life: Life, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = life.file()
    assert outcome.person_id is not None
    good = life.life.abgabe(outcome.person_id, tmp_path / "a", ADMIN_A)
    monkeypatch.setattr(lifecycle, "MAX_MEMBER_BYTES", 1000)  # every member of a real export is larger
    with pytest.raises(XdomeaInvalid, match="unpacks to more than"):
        life.life.import_abgabe(good, ADMIN_A)
    monkeypatch.undo()
    unsafe = tmp_path / "unsafe_Abgabe.Abgabe.0401.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(unsafe, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("../../etc/evil", b"x")
    with pytest.raises(XdomeaInvalid, match="unsafe name"):
        life.life.import_abgabe(unsafe, ADMIN_A)


def test_an_administrator_seated_in_the_job_centre_exports_no_record_with_a_passport(
    life: Life, tmp_path: Path
) -> None:
    """Need-to-know holds for exports too: an Abgabe, an offer and a hand-over carry every document of a
    record, so an archive administrator whose department may not read passports exports none of them."""
    jobcentre_admin = Actor(
        name="admin.jobcenter", role=Role.ARCHIVE_ADMIN, department=Department.JOBCENTRE, purpose="Abgabe"
    )
    filed = life.file(DocumentType.PASSPORT, pdf=True)
    life.file(DocumentType.NOTICE)
    with pytest.raises(AccessDenied, match="passport"):
        life.life.abgabe(filed.person_id, tmp_path / "abgabe", jobcentre_admin)
    assert not (tmp_path / "abgabe").exists() or not any((tmp_path / "abgabe").iterdir())
    life.expire()
    with pytest.raises(AccessDenied, match="passport"):
        life.life.offer(jobcentre_admin)
    view, _ = life.life.offer(ADMIN_A)  # the registry reads every type and offers the record
    appraisal = schema.serialise(
        build.appraisal(view.id, {view.objects[0].uuid: Appraisal.ARCHIVE}, "Kreisarchiv", "Landkreis"),
        schema_folder(),
    )
    life.life.read_appraisal(appraisal, ADMIN_A)
    with pytest.raises(AccessDenied, match="passport"):
        life.life.handover(tmp_path / "out", jobcentre_admin)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert Path(life.life.handover(tmp_path / "out", ADMIN_A).zip_path).is_file()
    with pytest.raises(AccessDenied, match="passport"):  # nor download the ZIP the registry made
        life.life.authorise_handover_download(jobcentre_admin, view.id)
    life.life.authorise_handover_download(ADMIN_A, view.id)
    entries = life.archive.audit_log(ADMIN_A, limit=200)
    denials = [e for e in entries if e.action == "export_denied"]
    assert len(denials) == 4 and {e.actor for e in denials} == {"admin.jobcenter"}
    assert [e.actor for e in entries if e.action == "xdomea_0503_download"] == [ADMIN_A.name]
