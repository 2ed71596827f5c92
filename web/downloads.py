"""Downloads of a document's files: which files there are, their media type and the name they are saved under.

Three files can be downloaded: the document's own original (exactly its pages, cut from the scan without
re-encoding), its searchable PDF, and the whole scanned stack it came from (only for a reader of every
document in the stack; storage decides and audits). The bytes are authorised and audited by storage; this
module names them for the clerk: `<Typ>_<Name>_<Datum>.<ext>` (Reisepass_Kovalenko_2026-12-06.pdf), with
the media type of the content itself, never the uploaded file name (no header injection, no paths).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from ocr import sniff
from schemas.errors import NotFound
from schemas.record import Actor, DocumentView
from schemas.strings_de import label
from web.archive import ArchivePort

#: URL word → stored file kind.
DOWNLOAD_KINDS = {"original": "original", "pdf": "searchable_pdf", "scan": "scan"}
_SUFFIX = {sniff.PDF: "pdf", sniff.PNG: "png", sniff.JPEG: "jpg", sniff.TIFF: "tif"}
_PART = {"original": "", "pdf": "_durchsuchbar", "scan": "_Gesamtscan"}


def offered(view: DocumentView) -> list[str]:
    """The downloads to offer on the document page (the whole scan only to a reader of all of it)."""
    kinds = {f.kind for f in view.files}
    out = [which for which in ("original", "pdf") if DOWNLOAD_KINDS[which] in kinds]
    if view.whole_scan_readable:
        out.append("scan")
    return out


def media_type_of(data: bytes, stored: str) -> str:
    """The media type of the bytes themselves (files filed before it was recorded say nothing)."""
    return sniff.media_type(data[:1024]) or stored or "application/octet-stream"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9-]+", "-", folded).strip("-")


def _unicode(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", unicodedata.normalize("NFC", text)).strip("-")


def file_names(view: DocumentView, which: str, media_type: str) -> tuple[str, str]:
    """(ASCII name, Unicode name) `<Typ>_<Name>_<Datum>.<ext>` for a download of `view`."""
    surname = (view.person_name or "").split(",")[0].strip()
    date = view.filed_at.date().isoformat()
    suffix = _SUFFIX.get(media_type, "bin")
    part = _PART.get(which, "")
    doc_type = label("type", view.type)
    plain = f"{_ascii(doc_type)}_{_ascii(surname).title() or 'ohne-Namen'}_{date}{part}.{suffix}"
    full = f"{_unicode(doc_type)}_{_unicode(surname).title() or 'ohne-Namen'}_{date}{part}.{suffix}"
    return plain, full


def content_disposition(view: DocumentView, which: str, media_type: str) -> str:
    """The header value: an ASCII name for old clients and the UTF-8 one (RFC 6266) for all others."""
    plain, full = file_names(view, which, media_type)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"


def download(store: ArchivePort, view: DocumentView, which: str, actor: Actor) -> tuple[bytes, str, str]:
    """(bytes, media type, Content-Disposition) of one download; authorised and audited by storage."""
    kind = DOWNLOAD_KINDS.get(which)
    if kind is None:
        raise NotFound(f"unknown download {which!r}; use one of {sorted(DOWNLOAD_KINDS)}")
    ref = next((f for f in view.files if f.kind == kind), None)
    if ref is None:
        raise NotFound(f"document {view.id} has no {kind} file")
    data = store.read_file(view.id, kind, actor)
    media_type = media_type_of(data, ref.media_type)
    return data, media_type, content_disposition(view, which, media_type)
