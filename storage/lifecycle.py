"""`Lifecycle`: the archive lifecycle on top of `Archive` — xdomea out and in, scan evidence checks.

    life = Lifecycle(archive)
    transfer, xml = life.offer(actor)                     # 0501 for records past retention and not held
    life.read_appraisal(data, actor)                      # 0502: archive / destroy per record
    handover = life.handover(out_dir, actor)              # 0503 ZIP: PDF/A primaries, metadata, evidence
    view, requests = life.read_confirmation(data, actor)  # 0506: deletion requests for what was imported
    zip_path = life.abgabe(person_id, out_dir, actor)     # 0401 to another authority
    imported = life.import_abgabe(zip_path, actor)        # a 0401 from another authority, as a new record
    report = life.verify(actor, document_id=None)         # seal, timestamp, hashes (dach verify)

Only archive administrators act here (the policy's retention right). Every message written is validated
against the xdomea 3.1.0 schemas before it leaves; every message read is validated before use, and an
invalid one is rejected (`XdomeaInvalid`) and kept in the quarantine. Each step is audited.
"""

from __future__ import annotations

import logging
import time
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from lxml import etree
from sqlalchemy import select

from schemas.archive import (
    AuditFilter,
    AuditPage,
    DocumentArchiveFacts,
    Handover,
    HeldDocument,
    ImportedRecord,
    SweepReport,
    TransferStatus,
    TransferView,
    VerifyReport,
)
from schemas.documents import DocumentType, ErrorInfo
from schemas.errors import AccessDenied, InvalidRequest, NotFound, XdomeaInvalid
from schemas.record import Actor, DeletionStatus
from storage import admin, audit, audit_query, evidence, preservation
from storage.archive import Archive
from storage.models import ArchiveTransfer, DeletionRequest, Document, Person, Record
from storage.objects import digest_of
from storage.xdomea import build, collect, importing, read, schema, transfer

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_ZIP_MEMBERS = 20_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024


class Lifecycle:
    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.settings = archive.settings
        self.schemas = archive.settings.xdomea_schemas

    def _require(self, actor: Actor) -> None:
        if not self.archive.policy.can_manage_retention(actor):
            raise AccessDenied(f"{actor.name} may not hand records over; archive administrators may.")

    def _require_reads_all(self, actor: Actor, record_ids: list[str]) -> None:
        """An export carries every document of a record, so only someone who may read every one exports it.

        Handing over is the archive administrators' right, but an administrator seated in the job centre
        must not send out the passports the job centre may not read. A refusal is audited (committed before
        the error is raised)."""
        readable = {t.value for t in self.archive.policy.readable_types(actor)}
        with self.archive._tx() as session:
            hidden = sorted(
                {d.type for record_id in record_ids for d in collect.live_documents(session, record_id)} - readable
            )
            if hidden:
                audit.append(
                    session,
                    actor,
                    "export_denied",
                    "records",
                    None,
                    details={"records": record_ids[:20], "types": hidden},
                )
        if hidden:
            raise AccessDenied(
                f"{actor.name} may not export these records: they hold documents of types {', '.join(hidden)} that "
                f"{actor.department.value} may not read; an administrator of the registry (archive) may."
            )

    def _serialise(self, root: etree._Element) -> bytes:
        return schema.serialise(root, self.schemas)

    def _reject(self, data: bytes, name: str, exc: XdomeaInvalid, actor: Actor) -> None:
        """Keep an invalid message (quarantine) and record the refusal; the caller re-raises."""
        qid = self.archive.quarantine(data, name, ErrorInfo(code=exc.code, message=exc.message), None)
        with self.archive._tx() as session:
            audit.append(
                session, actor, "xdomea_rejected", "quarantine", qid, details={"name": name, "error": exc.message}
            )
        exc.message += f" The message is kept in quarantine as {qid}."

    # --- Aussonderung -------------------------------------------------------------------------------

    def due(self, actor: Actor) -> list[str]:
        self._require(actor)
        with self.archive._tx() as session:
            return transfer.due_records(session)

    def offer(self, actor: Actor, record_ids: list[str] | None = None) -> tuple[TransferView, bytes]:
        """Offer the due records (or the given ones, if due) to the archive: a 0501, validated and kept."""
        self._require(actor)
        with self.archive._tx() as session:
            due_now = transfer.due_records(session)
        self._require_reads_all(actor, due_now if record_ids is None else sorted(set(record_ids) & set(due_now)))
        with self.archive._tx() as session:
            due = transfer.due_records(session)
            chosen = due if record_ids is None else record_ids
            not_due = sorted(set(chosen) - set(due))
            if not_due:
                raise InvalidRequest(
                    f"records {', '.join(not_due[:5])} are not due: a document is still within retention, under legal "
                    "hold, or already offered."
                )
            if not chosen:
                raise NotFound("no record is due: every record has a document within retention or under legal hold.")
            row = transfer.open_transfer(session, chosen, actor)
            payload = collect.Payload()
            records = []
            for record_id in chosen:
                exported = collect.record(session, self.archive.store, record_id, payload, with_files=False)
                ends = [d.retain_until for d in exported.documents if d.retain_until]
                records.append((exported, max(ends) if ends else None))
            xml = self._serialise(build.offer(row.id, records, self.settings.agency_name, self.settings.archive_name))
            key = self.archive.store.put(xml, "application/xml")
            transfer.record_message(session, row, "0501", key, actor, records=chosen)
            return transfer.view(session, row), xml

    def read_appraisal(self, data: bytes, actor: Actor) -> TransferView:
        self._require(actor)
        try:
            process_id, decisions = read.appraisal(data, self.schemas)
        except XdomeaInvalid as exc:
            self._reject(data, "0502.xml", exc, actor)
            raise
        key = self.archive.store.put(data, "application/xml")
        with self.archive._tx() as session:
            row = transfer.apply_appraisal(session, process_id, decisions, actor)
            counts = {d.value: sum(1 for x in decisions.values() if x is d) for d in set(decisions.values())}
            transfer.record_message(session, row, "0502", key, actor, decisions=counts)
            return transfer.view(session, row)

    def handover(self, out_dir: Path, actor: Actor, process_id: str | None = None) -> Handover:
        """The 0503 ZIP of the records the archive keeps: message, PDF/A primaries, sealed evidence."""
        self._require(actor)
        started = time.perf_counter()
        with self.archive._tx() as session:
            row = (
                session.get(ArchiveTransfer, process_id.lower())
                if process_id
                else transfer.latest(session, TransferStatus.APPRAISED)
            )
            kept = [item.record_id for item in transfer.to_hand_over(row)] if row is not None else []
        self._require_reads_all(actor, kept)
        with self.archive._tx() as session:
            row = (
                session.get(ArchiveTransfer, process_id.lower())
                if process_id
                else transfer.latest(session, TransferStatus.APPRAISED)
            )
            if row is None:
                raise NotFound("no appraised transfer to hand over; read the archive's appraisal (0502) first.")
            payload = collect.Payload()
            records = []
            for item in transfer.to_hand_over(row):
                exported = collect.record(session, self.archive.store, item.record_id, payload, with_files=True)
                ends = [d.retain_until for d in exported.documents if d.retain_until]
                records.append((exported, max(ends) if ends else None))
            if payload.problems:
                raise InvalidRequest("cannot hand over: " + "; ".join(payload.problems[:5]))
            xml = self._serialise(
                build.handover(row.id, records, self.settings.agency_name, self.settings.archive_name)
            )
            zip_path = self._write_zip(out_dir, f"{row.id}_Aussonderung.Aussonderung.0503", xml, payload)
            key = self.archive.store.put(xml, "application/xml")
            row.status = TransferStatus.HANDED_OVER.value
            documents = sum(len(r.documents) for r, _ in records)
            transfer.record_message(session, row, "0503", key, actor, zip=zip_path.name, documents=documents)
        return Handover(
            process_id=row.id,
            zip_path=str(zip_path),
            documents=documents,
            seconds=time.perf_counter() - started,
            pdfa_seconds=payload.pdfa_seconds,
        )

    def _write_zip(self, out_dir: Path, stem: str, xml: bytes, payload: collect.Payload) -> Path:
        out_dir.mkdir(parents=True, exist_ok=True)
        final = out_dir / f"{stem}.zip"
        part = out_dir / f".{stem}.zip.part"
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive_zip:
            archive_zip.writestr(f"{stem}.xml", xml)
            for name, key in sorted(payload.keys.items()):
                # PDFs and images are compressed already; storing them saves the time of deflating them again.
                archive_zip.writestr(name, self.archive.store.get(key), compress_type=zipfile.ZIP_STORED)
            for name, data in sorted(payload.made.items()):
                archive_zip.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        part.replace(final)
        return final

    def read_confirmation(self, data: bytes, actor: Actor) -> tuple[TransferView, list[str]]:
        """Read a 0506; request the deletion (four eyes) of what the archive imported or appraised 'destroy'."""
        self._require(actor)
        try:
            process_id, results = read.import_confirmation(data, self.schemas)
        except XdomeaInvalid as exc:
            self._reject(data, "0506.xml", exc, actor)
            raise
        key = self.archive.store.put(data, "application/xml")
        with self.archive._tx() as session:
            row = transfer.apply_confirmation(session, process_id, results, actor)
            imported = sum(1 for ok, _ in results.values() if ok)
            transfer.record_message(session, row, "0506", key, actor, imported=imported, failed=len(results) - imported)
            pending = set(
                session.scalars(
                    select(DeletionRequest.document_id).where(DeletionRequest.status == DeletionStatus.PENDING.value)
                )
            )
            reason = f"xdomea {row.id}: vom Archiv übernommen oder zur Vernichtung bewertet"
            requests = []
            for doc_id in transfer.deletable(row):
                doc = session.get(Document, doc_id)
                if doc_id not in pending and doc is not None and doc.status != "deleted":
                    requests.append(admin.request_deletion(session, doc_id, reason, actor))
            return transfer.view(session, row), requests

    def authorise_handover_download(self, actor: Actor, process_id: str) -> None:
        """Before the 0503 ZIP of a transfer leaves the outbox: the reader may read all of it; audited."""
        self._require(actor)
        with self.archive._tx() as session:
            row = session.get(ArchiveTransfer, process_id.lower())
            record_ids = [item.record_id for item in transfer.to_hand_over(row)] if row is not None else []
        self._require_reads_all(actor, record_ids)
        with self.archive._tx() as session:
            audit.append(
                session, actor, "xdomea_0503_download", "transfer", process_id, details={"records": len(record_ids)}
            )

    def transfers(self, actor: Actor) -> list[TransferView]:
        self._require(actor)
        with self.archive._tx() as session:
            return transfer.transfers(session)

    # --- Abgabe -------------------------------------------------------------------------------------

    def abgabe(self, person_id: str, out_dir: Path, actor: Actor, recipient: str = "zuständige Behörde") -> Path:
        """A person's whole record as a 0401 ZIP: originals, PDF/A renditions, evidence, metadata, history."""
        self._require(actor)
        with self.archive._tx() as session:
            found = session.scalar(select(Record.id).where(Record.person_id == person_id))
        self._require_reads_all(actor, [found] if found else [])
        with self.archive._tx() as session:
            record_id = session.scalar(select(Record.id).where(Record.person_id == person_id))
            if record_id is None:
                raise NotFound(f"person {person_id} has no record.")
            process_id = str(uuid.uuid4())
            history = (
                *collect.record_history(session, person_id),
                ("abgabe", actor.name, datetime.now(UTC), f"xdomea 0401 {process_id} an {recipient}"),
            )
            payload = collect.Payload()
            exported = collect.record(
                session, self.archive.store, record_id, payload, with_files=True, with_original=True, history=history
            )
            xml = self._serialise(build.abgabe(process_id, exported, self.settings.agency_name, recipient))
            zip_path = self._write_zip(out_dir, f"{process_id}_Abgabe.Abgabe.0401", xml, payload)
            key = self.archive.store.put(xml, "application/xml")
            audit.append(
                session,
                actor,
                "xdomea_0401",
                "record",
                record_id,
                person_id=person_id,
                details={
                    "process_id": process_id,
                    "object": key,
                    "documents": len(exported.documents),
                    "recipient": recipient,
                    "problems": payload.problems[:20],
                },
            )
        return zip_path

    def import_abgabe(self, zip_path: Path, actor: Actor) -> ImportedRecord:
        """A 0401 ZIP from another authority, as a new record (the files are kept exactly as received)."""
        self._require(actor)
        data = zip_path.read_bytes()
        try:
            xml, members = self._open_zip(zip_path)
            received = read.abgabe(xml, self.schemas)
            missing = [f.name for d in received.documents for f in d.files + d.evidence if f.name not in members]
            if missing:
                raise XdomeaInvalid(f"the ZIP lacks files the message names: {', '.join(missing[:5])}.")
        except XdomeaInvalid as exc:
            self._reject(data, zip_path.name, exc, actor)
            raise
        store = self.archive.store
        files: dict[str, tuple[str, str, str]] = {}
        seals: dict[str, str] = {}
        with zipfile.ZipFile(zip_path) as archive_zip:
            for doc in received.documents:
                originals = [f for f in doc.files if f.format_version == "Original"] or doc.files
                if not originals:
                    raise XdomeaInvalid(f"document {doc.source_id or doc.uuid} has no primary file.")
                original_key = store.put(archive_zip.read(originals[0].name))
                pdfa = next((f for f in doc.files if f.format_version.startswith("PDF/A")), None)
                pdfa_key = store.put(archive_zip.read(pdfa.name), "application/pdf") if pdfa else ""
                received_evidence = (
                    store.put(archive_zip.read(doc.evidence[0].name), "application/json") if doc.evidence else ""
                )
                files[doc.uuid] = (original_key, pdfa_key, received_evidence)
                seals[doc.uuid] = self._import_evidence(doc, original_key, pdfa_key, received_evidence, received, actor)
        with self.archive._tx() as session:
            person_id, ids, unmapped = importing.import_record(
                session, self.archive.policy, received, files, actor, seals
            )
        return ImportedRecord(person_id=person_id, documents=tuple(ids), unmapped=tuple(unmapped))

    def _import_evidence(
        self,
        doc: read.ReceivedDocument,
        original_key: str,
        pdfa_key: str,
        received_evidence: str,
        received: read.ReceivedRecord,
        actor: Actor,
    ) -> str:
        """dach's own sealed evidence for an imported document: no scan, but what arrived, from whom, and the
        hashes of the files and of the sender's evidence, so `dach verify` covers imported documents too."""
        renditions_ = {"pdfa": digest_of(pdfa_key)} if pdfa_key else {}
        unsealed: dict[str, object] = {
            "format": evidence.FORMAT,
            "rules": evidence.RULES,
            "document_id": doc.source_id,
            "scanned_by": {"name": actor.name, "role": actor.role.value, "department": actor.department.value},
            "filed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "channel": "xdomea_0401",
            "device": received.sender,
            "settings": {"process_id": received.process_id},
            "original": {
                "sha256": digest_of(original_key),
                "filename": doc.files[0].original_name if doc.files else "",
            },
            "renditions": renditions_,
            "received_evidence_sha256": digest_of(received_evidence) if received_evidence else None,
            "quality": {"pages_in": None, "pages_filed": [], "blank_pages_dropped": [], "ocr_confidence": None},
        }
        return self.archive.store.put(evidence.seal(unsealed, self.archive.sealer), "application/json")

    @staticmethod
    def _open_zip(path: Path) -> tuple[bytes, set[str]]:
        try:
            with zipfile.ZipFile(path) as archive_zip:
                infos = archive_zip.infolist()
                if len(infos) > MAX_ZIP_MEMBERS:
                    raise XdomeaInvalid(f"the ZIP holds {len(infos)} files; dach accepts up to {MAX_ZIP_MEMBERS}.")
                too_big = [i.filename for i in infos if i.file_size > MAX_MEMBER_BYTES]
                if too_big:  # a decompression bomb, or a file no scan ever is
                    raise XdomeaInvalid(f"{too_big[0]} unpacks to more than 512 MiB; dach does not take it in.")
                names = {i.filename for i in infos}
                for name in names:
                    pure = PurePosixPath(name)
                    if pure.is_absolute() or ".." in pure.parts:
                        raise XdomeaInvalid(f"the ZIP holds an unsafe name {name!r}; ask the sender for a new one.")
                messages = [i for i in infos if i.filename.endswith("0401.xml")]
                if len(messages) != 1:
                    raise XdomeaInvalid("the ZIP must hold exactly one *_Abgabe.Abgabe.0401.xml message.")
                if messages[0].file_size > MAX_MESSAGE_BYTES:
                    raise XdomeaInvalid("the 0401 message is larger than 64 MiB.")
                return archive_zip.read(messages[0]), names
        except (zipfile.BadZipFile, OSError) as exc:
            raise XdomeaInvalid(f"{path.name} is not a readable ZIP ({exc}).") from exc

    # --- archive screens ------------------------------------------------------------------------------

    def document_facts(self, document_id: str, actor: Actor) -> DocumentArchiveFacts:
        """Hold, retention, a transfer that blocks deletion, and the scan evidence (checked now) of a document
        the actor may read."""
        with self.archive._tx() as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.status == "deleted":
                raise NotFound(f"document {document_id} does not exist.")
            # Shown beside the document on its page, whose read was authorised and audited already.
            may = self.archive.policy.can_read(
                actor, DocumentType(doc.type), filed_by_user_id=doc.filed_by_user_id, status=doc.status
            )
            if not may:
                raise AccessDenied(f"{actor.name} may not read document {document_id}.")
            summary = preservation.evidence_summary(self.archive.store, self.archive.sealer, doc)
            return DocumentArchiveFacts(
                document_id=doc.id,
                legal_hold=doc.legal_hold,
                retain_until=collect.aware(doc.retain_until) if doc.retain_until else None,
                transfer_block=transfer.blocking_transfer(session, doc.id),
                evidence=summary,
            )

    def held_documents(self, actor: Actor, limit: int = 500) -> list[HeldDocument]:
        self._require(actor)
        with self.archive._tx() as session:
            rows = session.execute(
                select(Document, Person)
                .join(Record, Record.id == Document.record_id, isouter=True)
                .join(Person, Person.id == Record.person_id, isouter=True)
                .where(Document.legal_hold.is_(True), Document.status != "deleted")
                .order_by(Document.id)
                .limit(limit)
            ).all()
            audit.append(session, actor, "read", "legal_holds", None, details={"count": len(rows)})
            return [
                HeldDocument(
                    document_id=doc.id,
                    type=doc.type,
                    person_id=person.id if person else None,
                    person_name=f"{person.surname}, {person.given_names}" if person else "",
                    retain_until=collect.aware(doc.retain_until) if doc.retain_until else None,
                )
                for doc, person in rows
            ]

    def reject_deletion(self, request_id: str, reason: str, actor: Actor) -> None:
        self._require(actor)
        with self.archive._tx() as session:
            admin.close_deletion(session, request_id, reason, actor, withdraw=False)

    def withdraw_deletion(self, request_id: str, actor: Actor, note: str = "") -> None:
        self._require(actor)
        with self.archive._tx() as session:
            admin.close_deletion(session, request_id, note, actor, withdraw=True)

    def audit_page(self, actor: Actor, query: AuditFilter) -> AuditPage:
        """Filtered, paged audit entries with names (auditors and archive administrators); the read is audited."""
        self.archive._require_audit_reader(actor, "read")
        with self.archive._tx() as session:
            found = audit_query.page(session, query)
            audit.append(session, actor, "read", "audit_log", None, details=query.model_dump(mode="json"))
            return found

    def audit_csv(self, actor: Actor, query: AuditFilter) -> str:
        self.archive._require_audit_reader(actor, "export")
        with self.archive._tx() as session:
            text = audit_query.as_csv(session, query)
            audit.append(session, actor, "export", "audit_log", None, details=query.model_dump(mode="json"))
            return text

    # --- the scheduled sweep --------------------------------------------------------------------------

    def sweep(self, actor: Actor, outbox: Path) -> SweepReport:
        """What the retention sweep does each night: put object holds back where the record holds a document
        but the store does not (a hold set while the store was down), and offer the records whose retention
        has ended to the archive (a 0501 in `outbox`, for the archive's intake to pick up)."""
        self._require(actor)
        with self.archive._tx() as session:
            held = list(session.scalars(select(Document.id).where(Document.legal_hold.is_(True))))
            keys = sorted({k for doc_id in held for k in admin.hold_keys(session, doc_id, True)})
        repaired = 0
        for key in keys:
            if not self.archive.store.held(key):
                self.archive.store.hold(key, True)
                repaired += 1
        offered: list[str] = []
        process_id = None
        if self.due(actor):
            view, xml = self.offer(actor)
            outbox.mkdir(parents=True, exist_ok=True)
            (outbox / f"{view.id}_Aussonderung.Anbieteverzeichnis.0501.xml").write_bytes(xml)
            offered, process_id = [o.record_id or "" for o in view.objects], view.id
        with self.archive._tx() as session:
            details = {"holds_repaired": repaired, "offered": offered, "process_id": process_id}
            audit.append(session, actor, "retention_sweep", "archive", None, details=details)
        return SweepReport(
            holds_checked=len(keys), holds_repaired=repaired, offered=tuple(offered), process_id=process_id
        )

    # --- scan evidence ------------------------------------------------------------------------------

    def verify(self, actor: Actor, document_id: str | None = None) -> VerifyReport:
        self._require(actor)
        with self.archive._tx() as session:
            return preservation.verify(session, self.archive.store, self.archive.sealer, actor, document_id)
