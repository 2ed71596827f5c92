"""Never silently wrong: the calibrated review decision (issue 17). Placeholder until calibrated."""

from __future__ import annotations

from schemas.documents import ExtractedDocument


def calibrated(document: ExtractedDocument) -> ExtractedDocument:
    return document
