"""Scan evidence (Transfervermerk after BSI TR-03138, TR-RESISCAN): how each document was captured, sealed.

At filing, storage writes one evidence object per document: who scanned it and when, through which channel
and device, with which settings, the quality checks and their results (pages in, pages filed, blank pages
dropped, mean OCR confidence, MRZ check digits), and the SHA-256 of the original and of its renditions. The
evidence is signed with the agency's Ed25519 key and the signature is timestamped by an RFC 3161 authority,
so any later change to the evidence, the original or a rendition is detected by `verify_document`.

The sealed evidence is a JSON object stored content-addressed beside the original (file kind `evidence`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from schemas.errors import EvidenceError, IntegrityError, NotFound, StorageError
from schemas.record import Actor, FilingRequest
from storage import timestamp
from storage.objects import ObjectStore, digest_of

log = logging.getLogger(__name__)

FORMAT = "dach.transfervermerk.v1"
RULES = "BSI TR-03138 (TR-RESISCAN), Transfervermerk"


def canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Sealer:
    """The agency's sealing key and timestamp authority (built once from the settings)."""

    key: Ed25519PrivateKey
    tsa: timestamp.TsaConfig

    @property
    def public_raw(self) -> bytes:
        return self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public_raw).hexdigest()[:16]

    @classmethod
    def load(cls, key_file: Path, tsa: timestamp.TsaConfig) -> Sealer:
        """Load the key, or make one on first use (mode 0600); a broken key file is an error, never replaced."""
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            # Written in full beside its place, then linked into it: a worker starting at the same moment sees
            # either no key or a whole one (never a half-written file), and the first link wins.
            part = key_file.with_name(f".{key_file.name}.{os.getpid()}.part")
            try:
                fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pem)
                os.link(part, key_file)
                log.info("made a new sealing key %s", key_file)
            except FileExistsError:
                pass  # another process made it at the same moment: use theirs
            finally:
                part.unlink(missing_ok=True)
        try:
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise EvidenceError(f"the sealing key {key_file} cannot be read ({exc}); restore it from backup.") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise EvidenceError(f"the sealing key {key_file} is not an Ed25519 key.")
        return cls(key, tsa)


def _mean_confidence(request: FilingRequest) -> float | None:
    values = [w.confidence for page in request.pages for w in page.words]
    return round(sum(values) / len(values), 4) if values else None


def evidence_for(
    request: FilingRequest, document_id: str, actor: Actor, original_sha256: str, renditions: dict[str, str]
) -> dict[str, Any]:
    """The unsealed Transfervermerk of one filed document."""
    capture = request.capture
    doc = request.document
    return {
        "format": FORMAT,
        "rules": RULES,
        "document_id": document_id,
        "scanned_by": {"name": actor.name, "role": actor.role.value, "department": actor.department.value},
        "filed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "batch_id": request.batch_id,
        "channel": capture.channel if capture else "unknown",
        "device": capture.device if capture else "",
        "settings": dict(capture.settings) if capture else {},
        "original": {
            "sha256": original_sha256,
            "filename": request.original_filename,
            "media_type": request.media_type,
        },
        "renditions": dict(sorted(renditions.items())),
        "quality": {
            "pages_in": capture.pages_in if capture else None,
            "pages_filed": list(doc.pages),
            "blank_pages_dropped": list(capture.blank_pages_dropped) if capture else [],
            "ocr_confidence": _mean_confidence(request),
            "classification_confidence": round(doc.confidence, 4),
            "mrz_check_digits": dict(doc.checks) if doc.checks is not None else None,
            "needs_review": doc.review,
        },
    }


def seal(evidence: dict[str, Any], sealer: Sealer) -> bytes:
    """The sealed evidence object: the evidence, its signature, and a timestamp over the signature."""
    signature = sealer.key.sign(canonical(evidence))
    token: dict[str, str] | None = None
    if sealer.tsa.configured:
        raw = timestamp.stamp(hashlib.sha256(signature).hexdigest(), sealer.tsa)
        token = {
            "token": base64.b64encode(raw).decode(),
            "tsa": sealer.tsa.describe(),
            "at": timestamp.stamped_at(raw),
        }
    sealed = {
        "evidence": evidence,
        "seal": {
            "algorithm": "Ed25519",
            "key_id": sealer.key_id,
            "public_key": base64.b64encode(sealer.public_raw).decode(),
            "signature": base64.b64encode(signature).decode(),
        },
        "timestamp": token,
    }
    return canonical(sealed)


def read_sealed(data: bytes) -> dict[str, Any]:
    try:
        sealed = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IntegrityError("the scan evidence is not readable JSON any more") from exc
    if not isinstance(sealed, dict) or not isinstance(sealed.get("evidence"), dict):
        raise IntegrityError("the scan evidence has lost its structure")
    return sealed


def check_seal(sealed: dict[str, Any], sealer: Sealer) -> str | None:
    """None if signature and timestamp hold, else the reason."""
    seal_part = sealed.get("seal") or {}
    try:
        signature = base64.b64decode(seal_part["signature"], validate=True)
        public = base64.b64decode(seal_part["public_key"], validate=True)
    except (KeyError, TypeError, ValueError):
        return "the seal of the scan evidence is missing or malformed"
    # Only the agency's own key counts: a seal made with any other key (one an attacker made) is refused.
    if public != sealer.public_raw:
        return "the scan evidence was not sealed with the agency's key"
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, canonical(sealed["evidence"]))
    except InvalidSignature:
        return "the seal of the scan evidence is broken (the evidence was changed after sealing)"
    token = sealed.get("timestamp")
    if token is None:
        return "the scan evidence has no RFC 3161 timestamp" if sealer.tsa.configured else None
    try:
        raw = base64.b64decode(token["token"], validate=True)
    except (KeyError, TypeError, ValueError):
        return "the timestamp of the scan evidence is malformed"
    return timestamp.verify(raw, hashlib.sha256(signature).hexdigest(), sealer.tsa)


def verify_objects(
    store: ObjectStore,
    evidence_key: str | None,
    original_key: str,
    find: Callable[[str, str], str | None],
    sealer: Sealer,
) -> str | None:
    """Check one document: the evidence object, its seal and timestamp, and that the original and every
    rendition still hash to what the evidence recorded. None if all holds, else the first reason."""
    if evidence_key is None:
        return "the document has no scan evidence"
    try:
        sealed = read_sealed(store.get(evidence_key))
    except (IntegrityError, NotFound) as exc:
        return f"scan evidence: {exc}"
    problem = check_seal(sealed, sealer)
    if problem:
        return problem
    evidence = sealed["evidence"]
    if digest_of(original_key) != str((evidence.get("original") or {}).get("sha256", "")):
        return "the original is not the one the scan evidence was sealed for"
    keys = {"original": original_key}
    for kind, digest in (evidence.get("renditions") or {}).items():
        found = find(str(kind), str(digest))
        if found is None:
            return f"the {kind} is not the one the scan evidence was sealed for (or is missing)"
        keys[str(kind)] = found
    for kind, key in keys.items():
        try:
            store.get(key)
        except (IntegrityError, NotFound) as exc:
            return f"{kind}: {exc}"
        except StorageError as exc:
            return f"{kind} unreadable: {exc}"
    return None
