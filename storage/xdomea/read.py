"""Reading xdomea messages that come back: 0502 (appraisal), 0506 (import confirmation), 0401 (Abgabe).

Each message is validated against the 3.1.0 schemas first (`schema.parse`); only then are its parts used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from schemas.archive import Appraisal
from schemas.errors import XdomeaInvalid
from storage.xdomea.build import EXTENSION_ID
from storage.xdomea.schema import NS, parse

X = f"{{{NS}}}"


def _text(node: etree._Element | None, path: str) -> str:
    if node is None:
        return ""
    found = node.find(path.replace("x:", X))
    return (found.text or "").strip() if found is not None else ""


def process_id(root: etree._Element) -> str:
    return _text(root, "x:Kopf/x:ProzessID")


def appraisal(data: bytes, schemas: Path | None = None) -> tuple[str, dict[str, Appraisal]]:
    """(process id, decision per object UUID) of a 0502."""
    root = parse(data, schemas, expect="Aussonderung.Bewertungsverzeichnis.0502")
    decisions: dict[str, Appraisal] = {}
    for node in root.iter(X + "BewertetesObjekt"):
        code = _text(node, "x:Aussonderungsart/x:Aussonderungsart/code")
        configurable = _text(node, "x:Aussonderungsart/x:AussonderungsartKonfigurierbar")
        try:
            decisions[_text(node, "x:ID").lower()] = Appraisal(code or configurable[:1].upper())
        except ValueError as exc:
            raise XdomeaInvalid(f"appraisal {code or configurable!r} is none of A, B, V; ask the archive.") from exc
    return process_id(root), decisions


def import_confirmation(data: bytes, schemas: Path | None = None) -> tuple[str, dict[str, tuple[bool, str]]]:
    """(process id, per object UUID: imported?, archive signature or error) of a 0506."""
    root = parse(data, schemas, expect="Aussonderung.AussonderungImportBestaetigen.0506")
    results: dict[str, tuple[bool, str]] = {}
    for node in root.iter(X + "AusgesondertesSGO"):
        ok = _text(node, "x:Erfolgreich") in {"true", "1"}
        errors = [(e.text or "").strip() for e in node.findall(X + "Fehlermeldung")]
        results[_text(node, "x:IDSGO").lower()] = (ok, _text(node, "x:Archivkennung") if ok else "; ".join(errors))
    return process_id(root), results


@dataclass
class ReceivedFile:
    name: str
    format_code: str
    format_version: str
    original_name: str


@dataclass
class ReceivedVersion:
    version: int
    author: str
    at: str
    reason: str
    kind: str
    payload: dict[str, object]


@dataclass
class ReceivedDocument:
    uuid: str
    source_id: str
    title: str
    type: str
    filed_at: str
    filed_by: str
    fields: dict[str, str]
    versions: list[ReceivedVersion]
    files: list[ReceivedFile]
    evidence: list[ReceivedFile]
    department: str
    legal_area: str


@dataclass
class ReceivedRecord:
    process_id: str
    sender: str
    uuid: str
    file_number: str
    person: dict[str, str]
    history: list[tuple[str, str, str, str]] = field(default_factory=list)
    documents: list[ReceivedDocument] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


def _extension(node: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for ext in node.findall(X + "AnwendungsspezifischeErweiterung"):
        if _text(ext, "x:Kennung") != EXTENSION_ID:
            continue
        for item in ext.findall(X + "Feld"):
            values[_text(item, "x:Name")] = _text(item, "x:Wert")
    return values


def _files(node: etree._Element) -> list[ReceivedFile]:
    out: list[ReceivedFile] = []
    for fmt in node.findall(f"{X}Version/{X}Format"):
        out.append(
            ReceivedFile(
                name=_text(fmt, "x:Primaerdokument/x:Dateiname"),
                format_code=_text(fmt, "x:Name/code"),
                format_version=_text(fmt, "x:Version"),
                original_name=_text(fmt, "x:Primaerdokument/x:DateinameOriginal"),
            )
        )
    return out


def _history(node: etree._Element) -> list[ReceivedVersion]:
    versions: list[ReceivedVersion] = []
    for entry in node.findall(X + "HistorienProtokollInformation"):
        raw = _text(entry, "x:MetadatumNeuerWert")
        try:
            payload = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            payload = {}
        if not isinstance(payload, dict) or "version" not in payload:
            continue
        versions.append(
            ReceivedVersion(
                version=int(str(payload["version"])),
                author=_text(entry, "x:Akteur"),
                at=_text(entry, "x:DatumUhrzeit"),
                reason=_text(entry, "x:Bemerkung"),
                kind=_text(entry, "x:Aktion"),
                payload=payload,
            )
        )
    return versions


def _document(node: etree._Element, department: str, legal_area: str) -> ReceivedDocument:
    evidence: list[ReceivedFile] = []
    for attachment in node.findall(X + "Anlage"):
        evidence += _files(attachment)
    return ReceivedDocument(
        uuid=_text(node, "x:Identifikation/x:ID").lower(),
        source_id=_text(node, "x:AllgemeineMetadaten/x:Kennzeichen"),
        title=_text(node, "x:AllgemeineMetadaten/x:Betreff"),
        type=_text(node, "x:Typ"),
        filed_at=_text(node, "x:Posteingangsdatum"),
        filed_by=_text(node, "x:Bearbeiter"),
        fields=_extension(node),
        versions=_history(node),
        files=_files(node),
        evidence=evidence,
        department=department,
        legal_area=legal_area,
    )


def abgabe(data: bytes, schemas: Path | None = None) -> ReceivedRecord:
    """The record of a 0401: person, documents with their fields, versions and files; what dach cannot place
    (loose documents, sub-records, several records) is listed in `unmapped`."""
    root = parse(data, schemas, expect="Abgabe.Abgabe.0401")
    akten = root.findall(f"{X}Schriftgutobjekt/{X}Akte")
    if not akten:
        raise XdomeaInvalid("the 0401 holds no Akte; dach imports one person's record (Akte) per message.")
    akte = akten[0]
    person = {k.removeprefix("person."): v for k, v in _extension(akte).items() if k.startswith("person.")}
    if not person.get("surname"):
        person["surname"] = _text(akte, "x:Kontakt/x:Name/x:Familienname/x:Name")
        person["given_names"] = _text(akte, "x:Kontakt/x:Name/x:Vorname/x:Name")
        person["birth_date"] = _text(akte, "x:Kontakt/x:Geburt/x:Datum")
    record = ReceivedRecord(
        process_id=process_id(root),
        sender=_text(root, "x:Kopf/x:Absender/x:Institution/x:Name"),
        uuid=_text(akte, "x:Identifikation/x:ID").lower(),
        file_number=_text(akte, "x:AllgemeineMetadaten/x:Kennzeichen"),
        person=person,
    )
    for entry in akte.findall(X + "HistorienProtokollInformation"):
        record.history.append(
            (
                _text(entry, "x:Aktion"),
                _text(entry, "x:Akteur"),
                _text(entry, "x:DatumUhrzeit"),
                _text(entry, "x:Bemerkung"),
            )
        )
    content = akte.find(X + "Akteninhalt")
    if content is not None:
        for vorgang in content.findall(X + "Vorgang"):
            department = _text(vorgang, "x:AllgemeineMetadaten/x:Federfuehrung")
            legal_area = _text(vorgang, "x:Typ")
            for doc in vorgang.findall(X + "Dokument"):
                record.documents.append(_document(doc, department, legal_area))
            for sub in vorgang.findall(X + "Teilvorgang"):
                record.unmapped.append(f"Teilvorgang {_text(sub, 'x:Identifikation/x:ID')} (not imported)")
        for doc in content.findall(X + "Dokument"):
            record.documents.append(_document(doc, "", ""))
        for sub in content.findall(X + "Teilakte"):
            record.unmapped.append(f"Teilakte {_text(sub, 'x:Identifikation/x:ID')} (not imported)")
    for extra in akten[1:]:
        record.unmapped.append(f"Akte {_text(extra, 'x:Identifikation/x:ID')} (one record per import)")
    for extra in root.findall(f"{X}Schriftgutobjekt/{X}Vorgang") + root.findall(f"{X}Schriftgutobjekt/{X}Dokument"):
        record.unmapped.append(
            f"{etree.QName(extra).localname} {_text(extra, 'x:Identifikation/x:ID')} outside an Akte"
        )
    return record


def message_date(root: etree._Element) -> datetime | None:
    raw = _text(root, "x:Kopf/x:Erstellungszeitpunkt")
    try:
        return datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
