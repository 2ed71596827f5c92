"""Writing xdomea 3.1.0 messages: 0501 (offer), 0503 (hand-over), 0401 (Abgabe), and the archive's 0502/0506.

A record (Akte) carries its person as a `Kontakt` (name, date of birth), its Aktenzeichen as `Kennzeichen`, its
retention end in `ArchivspezifischeMetadaten`; each matter is a `Vorgang`; each document a `Dokument` with its
type (`Typ`), filing date, every version of its fields (`HistorienProtokollInformation`, the fields as JSON),
the current fields as `AnwendungsspezifischeErweiterung` (one `Feld` each, readable without dach), its
primary files (`Version/Format/Primaerdokument`) and its sealed scan evidence as an `Anlage`.

The 0502 and 0506 builders write what an archive sends back; dach uses them in its demo and tests, and they
document which parts of those messages dach reads.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from lxml import etree

from schemas.archive import Appraisal, ExportDocument, ExportFile, ExportMatter, ExportRecord
from storage.xdomea.schema import NS

X = f"{{{NS}}}"
NSMAP = {"xdomea": NS}
#: Identifies dach's application-specific fields in xdomea messages.
EXTENSION_ID = "urn:dach:metadaten:1"
#: One namespace for the UUIDs dach gives its records, matters and documents in xdomea (stable per object).
UUID_NAMESPACE = uuid.UUID("7b0c2f7e-3d1e-5a43-9c8f-2f5b8d1e0a11")
DATEIFORMAT_VERSION = "2.0"


def object_uuid(kind: str, object_id: str) -> str:
    """The stable xdomea UUID of a record, matter or document (the same object always gets the same one)."""
    return str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{object_id}"))


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, X + name)
    if text is not None:
        node.text = text
    return node


def _code(parent: etree._Element, name: str, code: str, **attrs: str) -> etree._Element:
    node = _sub(parent, name)
    for key, value in attrs.items():
        node.set(key, value)
    etree.SubElement(node, "code").text = code
    return node


def _contact(parent: etree._Element, name: str, institution: str) -> None:
    node = _sub(parent, name)
    _sub(_sub(node, "Institution"), "Name", institution)


def _head(root: etree._Element, kind: str, code: str, process_id: str, sender: str, recipient: str) -> etree._Element:
    head = _sub(root, "Kopf")
    _sub(head, "ProzessID", process_id)
    _code(head, "Nachrichtentyp", code)
    _sub(head, "Erstellungszeitpunkt", datetime.now(UTC).isoformat(timespec="seconds"))
    _contact(head, "Absender", sender)
    _contact(head, "Empfaenger", recipient)
    system = _sub(head, "SendendesSystem")
    _sub(system, "Produktname", "dach")
    # The schemas fix these flags to "1" where they are required (receipts and import confirmations asked for).
    if kind in {"abgabe", "handover"}:
        _sub(head, "Importbestaetigung", "1")
    if kind == "handover":
        _sub(head, "RueckmeldungArchivkennung", "1")
    if kind != "basis":
        _sub(head, "Empfangsbestaetigung", "1")
    return head


def _history(parent: etree._Element, action: str, actor: str, at: datetime, note: str = "", **changed: str) -> None:
    node = _sub(parent, "HistorienProtokollInformation")
    for key, value in changed.items():
        _sub(node, key, value)
    _sub(node, "Akteur", actor or "unbekannt")
    _sub(node, "DatumUhrzeit", at.astimezone(UTC).isoformat(timespec="seconds"))
    if note:
        _sub(node, "Bemerkung", note)
    _sub(node, "Aktion", action)


def _fields(parent: etree._Element, title: str, values: dict[str, str]) -> None:
    ext = _sub(parent, "AnwendungsspezifischeErweiterung")
    _sub(ext, "Kennung", EXTENSION_ID)
    _sub(ext, "Name", title)
    for name, value in sorted(values.items()):
        field = _sub(ext, "Feld")
        _sub(field, "Name", name)
        _sub(field, "Wert", value)


def _format(parent: etree._Element, file: ExportFile) -> None:
    fmt = _sub(parent, "Format")
    _code(fmt, "Name", file.format_code, listVersionID=DATEIFORMAT_VERSION)
    _sub(fmt, "Version", file.format_version or "unbekannt")
    primary = _sub(fmt, "Primaerdokument")
    _sub(primary, "Dateiname", file.name)
    if file.original_name:
        _sub(primary, "DateinameOriginal", file.original_name)


def _document(parent: etree._Element, doc: ExportDocument, *, with_files: bool, name: str = "Dokument") -> None:
    node = _sub(parent, name)
    ident = _sub(node, "Identifikation")
    _sub(ident, "ID", doc.uuid)
    meta = _sub(node, "AllgemeineMetadaten")
    _sub(meta, "Betreff", doc.title)
    _sub(meta, "Kennzeichen", doc.id)
    _sub(node, "Posteingangsdatum", doc.filed_at.astimezone(UTC).date().isoformat())
    _sub(node, "Bearbeiter", doc.filed_by)
    _sub(node, "Typ", doc.type)
    for v in doc.versions:
        _history(
            node,
            v.kind,
            v.author,
            v.created_at,
            v.reason,
            MetadatumName=f"Version {v.version}",
            MetadatumNeuerWert=json.dumps(
                {"version": v.version, "type": v.type, "pages": list(v.pages), "fields": v.fields},
                ensure_ascii=False,
                sort_keys=True,
            ),
        )
    if with_files and doc.primary:
        version = _sub(node, "Version")
        _sub(version, "Nummer", str(doc.version))
        for file in doc.primary:
            _format(version, file)
    if with_files and doc.evidence is not None:
        attachment = _sub(node, "Anlage")
        _sub(_sub(attachment, "Identifikation"), "ID", object_uuid("evidence", doc.id))
        _sub(_sub(attachment, "AllgemeineMetadaten"), "Betreff", "Transfervermerk (BSI TR-RESISCAN), gesiegelt")
        _sub(attachment, "Typ", "transfervermerk")
        version = _sub(attachment, "Version")
        _sub(version, "Nummer", "1")
        _format(version, doc.evidence)
    values = dict(doc.fields)
    values.update(
        {
            "dach.document_id": doc.id,
            "dach.type": doc.type,
            "dach.status": doc.status,
            "dach.confidence": f"{doc.confidence:.4f}",
            "dach.pages": ",".join(str(p) for p in doc.pages),
            "dach.version": str(doc.version),
        }
    )
    if doc.retain_until is not None:
        values["dach.retain_until"] = doc.retain_until.date().isoformat()
    _fields(node, "dach-Felder", values)


def _matter(parent: etree._Element, matter: ExportMatter, *, with_files: bool) -> None:
    node = _sub(parent, "Vorgang")
    _sub(_sub(node, "Identifikation"), "ID", matter.uuid)
    meta = _sub(node, "AllgemeineMetadaten")
    _sub(meta, "Betreff", matter.title or f"{matter.department} / {matter.legal_area}")
    _sub(meta, "Kennzeichen", matter.id)
    _sub(meta, "Federfuehrung", matter.department)
    _sub(node, "Typ", matter.legal_area)
    for doc in matter.documents:
        _document(node, doc, with_files=with_files)


def _laufzeit(parent: etree._Element, dates: list[datetime]) -> None:
    if dates:
        period = _sub(parent, "Laufzeit")
        _sub(period, "Beginn", min(dates).astimezone(UTC).date().isoformat())
        _sub(period, "Ende", max(dates).astimezone(UTC).date().isoformat())


def _record(parent: etree._Element, record: ExportRecord, *, with_files: bool, retain_until: datetime | None) -> None:
    akte = _sub(parent, "Akte")
    _sub(_sub(akte, "Identifikation"), "ID", record.uuid)
    meta = _sub(akte, "AllgemeineMetadaten")
    person = record.person
    _sub(meta, "Betreff", f"Akte {person.display_name}")
    _sub(meta, "Kennzeichen", record.file_number)
    if retain_until is not None:
        archival = _sub(akte, "ArchivspezifischeMetadaten")
        _sub(archival, "Aufbewahrungsende", retain_until.astimezone(UTC).date().isoformat())
    _sub(akte, "Typ", "Personenakte")
    _laufzeit(akte, [d.filed_at for d in record.documents] or [record.created_at])
    for action, actor, at, note in record.history:
        _history(akte, action, actor, at, note)
    content = _sub(akte, "Akteninhalt")
    for matter in record.matters:
        _matter(content, matter, with_files=with_files)
    contact = _sub(akte, "Kontakt")
    name = _sub(contact, "Name")
    _sub(_sub(name, "Familienname"), "Name", person.surname)
    _sub(_sub(name, "Vorname"), "Name", person.given_names)
    _code(contact, "Rolle", "betroffene_person")
    if person.birth_date:
        _sub(_sub(contact, "Geburt"), "Datum", person.birth_date)
    person_fields = {
        "dach.person_id": person.id,
        "dach.record_id": record.id,
        "person.surname": person.surname,
        "person.given_names": person.given_names,
    }
    optional = {
        "person.surname_original": person.surname_original,
        "person.given_names_original": person.given_names_original,
        "person.birth_date": person.birth_date,
        "person.nationality": person.nationality,
        "person.sex": person.sex,
    }
    person_fields.update({k: v for k, v in optional.items() if v})
    for i, ident in enumerate(person.identifiers):
        person_fields[f"person.identifier.{i}"] = json.dumps(ident.model_dump(mode="json"), sort_keys=True)
    for i, alias in enumerate(person.aliases):
        person_fields[f"person.alias.{i}"] = alias
    _fields(akte, "dach-Person", person_fields)


def _message(element: str) -> etree._Element:
    return etree.Element(X + element, nsmap=NSMAP)


def offer(
    process_id: str, records: Iterable[tuple[ExportRecord, datetime | None]], sender: str, archive: str
) -> etree._Element:
    """0501 Anbieteverzeichnis: metadata only, no primary documents."""
    root = _message("Aussonderung.Anbieteverzeichnis.0501")
    _head(root, "offer", "0501", process_id, sender, archive)
    for record, retain_until in records:
        _record(_sub(root, "Schriftgutobjekt"), record, with_files=False, retain_until=retain_until)
    return root


def handover(
    process_id: str, records: Iterable[tuple[ExportRecord, datetime | None]], sender: str, archive: str
) -> etree._Element:
    """0503 Aussonderung: the records to keep, with their primary documents (named as in the ZIP)."""
    root = _message("Aussonderung.Aussonderung.0503")
    _head(root, "handover", "0503", process_id, sender, archive)
    for record, retain_until in records:
        _record(_sub(root, "Schriftgutobjekt"), record, with_files=True, retain_until=retain_until)
    return root


def abgabe(process_id: str, record: ExportRecord, sender: str, recipient: str) -> etree._Element:
    """0401 Abgabe: a whole record handed to the authority now responsible."""
    root = _message("Abgabe.Abgabe.0401")
    _head(root, "abgabe", "0401", process_id, sender, recipient)
    _record(_sub(root, "Schriftgutobjekt"), record, with_files=True, retain_until=None)
    return root


def appraisal(process_id: str, decisions: dict[str, Appraisal], archive: str, agency: str) -> etree._Element:
    """0502 Bewertungsverzeichnis, as the archive writes it: a decision per offered object."""
    root = _message("Aussonderung.Bewertungsverzeichnis.0502")
    _head(root, "offer", "0502", process_id, archive, agency)
    for object_id, decision in decisions.items():
        node = _sub(root, "BewertetesObjekt")
        _sub(node, "ID", object_id)
        _code(_sub(node, "Aussonderungsart"), "Aussonderungsart", decision.value)
    return root


def import_confirmation(
    process_id: str, results: dict[str, tuple[bool, str]], archive: str, agency: str
) -> etree._Element:
    """0506 AussonderungImportBestaetigen, as the archive writes it: per object imported or not, its signature."""
    root = _message("Aussonderung.AussonderungImportBestaetigen.0506")
    _head(root, "basis", "0506", process_id, archive, agency)
    for object_id, (ok, text) in results.items():
        node = _sub(root, "AusgesondertesSGO")
        _sub(node, "IDSGO", object_id)
        _sub(node, "Erfolgreich", "true" if ok else "false")
        if ok:
            _sub(node, "Archivkennung", text)
        else:
            _sub(node, "Fehlermeldung", text)
    return root
