"""Which documents of a stack read so far are settled, and which filed early the whole stack puts differently.

The intake flow files a document as soon as the pages read so far say it is complete, so the first results
come while the rest of the stack is still being read. Later pages can still change the split: a separator
sheet further on makes the file one split at separators only, which may merge what was filed early. These
plain functions decide that from the documents alone; `storage.intake_filing` files and re-files them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from classifiers.analysis import FileAnalysis
from classifiers.split import ends_document
from schemas.documents import ExtractedDocument, PageText

#: Early filing re-analyses the pages read so far after every page: cheap for a stack at the front desk, but
#: quadratic in the pages, so a long file stops streaming after this many pages.
STREAM_MAX_PAGES = 24


def settled_documents(analysis: FileAnalysis, pages: Sequence[PageText]) -> tuple[ExtractedDocument, ...]:
    """The documents of the pages read so far that later pages cannot change: every one followed by the start
    of another, and the last one too when its last page says so ("Seite 3 von 3"), so a multi-page notice is
    filed without waiting for the next page to be read. A separator sheet further on can still merge them:
    `clashing` finds those."""
    if not analysis.documents:
        return ()
    last = analysis.documents[-1]
    text_of = {p.page: p for p in pages}
    closed = last.pages[-1] in text_of and ends_document(text_of[last.pages[-1]])
    return analysis.documents if closed else analysis.documents[:-1]


def corrections(early: Sequence[ExtractedDocument], final: FileAnalysis) -> list[ExtractedDocument]:
    """Documents filed early that the analysis of the whole file does not confirm (same pages and type)."""
    return [doc for doc in early if doc not in final.documents]


def overlaps(a: ExtractedDocument, b: ExtractedDocument) -> bool:
    return bool(set(a.pages) & set(b.pages))


def clashing(
    documents: Sequence[ExtractedDocument], early: Mapping[tuple[int, ...], ExtractedDocument]
) -> tuple[list[ExtractedDocument], list[ExtractedDocument]]:
    """The documents that put pages filed early together differently, and the early ones they touch; both
    empty until every page of those early documents has its new document (more pages must be read first)."""
    new = [d for d in documents if early.get(d.pages) != d and any(overlaps(d, e) for e in early.values())]
    touched = [e for e in early.values() if any(overlaps(e, d) for d in new)]
    covered = {p for d in new for p in d.pages}
    if not new or not all(set(e.pages) <= covered for e in touched):
        return [], []
    return new, touched


def keeps(final: ExtractedDocument, early: Sequence[tuple[ExtractedDocument, str]], used: set[str]) -> str | None:
    """The early document (by id) whose id a document of the whole file keeps: the one it shares most pages
    with, each early id kept by one document only."""
    shared = [(len(set(doc.pages) & set(final.pages)), doc_id) for doc, doc_id in early]
    best = max(((n, i) for n, i in shared if n and i not in used), default=None, key=lambda pair: pair[0])
    return best[1] if best else None
