"""One scan as it is read, page by page: its pages so far, their analysis, and the documents filed before the
end, each as soon as it is settled.

It imports no Prefect: `dach intake`'s head start (`flows.ahead`) reads and files the first file with it while
Prefect is not yet imported (importing it is 1-2 CPU-s that the first document would wait for), and the intake
flow (`flows.intake`) takes the same stack over and hands it its filing steps as Prefect tasks (`Filing`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from classifiers import FileAnalysis, analyse
from classifiers.analysis import Classified
from classifiers.settling import STREAM_MAX_PAGES, clashing, settled_documents
from flows.runtime import archive_for
from ocr.reader import PageReading, ReadOptions, fronts_read_again
from ocr.visual_zone import needs_front_look
from schemas.documents import ExtractedDocument
from schemas.intake import IntakeClaim, IntakeItem, IntakeStatus, ReadPage
from schemas.record import Actor
from schemas.settings import Settings
from storage import intake_filing

log = logging.getLogger(__name__)
OnItem = Callable[[IntakeItem], None]
Filed = list[tuple[ExtractedDocument, IntakeItem]]


def understand(pages: list[ReadPage], review_threshold: float, classified: Classified | None = None) -> FileAnalysis:
    """Split the pages into documents, classify each one and pull out its fields (those `classified` knows,
    from an earlier look at the same pages, are not classified again).

    A plain call, not a Prefect task: it runs after every page of a short file, reads and writes nothing and
    has nothing to retry, and as a task it cost a task run with three state events (client and server) per
    page, a third of the Prefect work per page."""
    return analyse([p.text for p in pages], review_threshold=review_threshold, classified=classified)


# Imported on first use by the steps of the first file; a worker imports them before it says it is ready, so
# its first file does not pay ~2 CPU-s more than the others (pikepdf's PDF/A writer alone is most of it).
_FIRST_USE = ("pikepdf.pdfa", "classifiers.notice")


def warm_filing(settings: Settings) -> None:
    """Open the record, load the classifier model, start the parser workers and import what reading, analysing
    and filing import on first use, now: the head start does it while its first pages are read, not after."""
    import importlib

    from PIL import Image

    from classifiers.model import shipped_model
    from ocr import sandbox

    archive_for(settings)
    shipped_model()
    sandbox.warm(settings.limits)
    for module in _FIRST_USE:
        importlib.import_module(module)
    Image.init()  # Pillow loads its format plugins on the first save


class Filing(Protocol):
    """How a stack's documents are filed: as plain calls (the head start, before Prefect is imported) or as the
    flow's retried Prefect tasks (`flows.intake`)."""

    def file(self, stack: Stack, document: ExtractedDocument) -> IntakeItem: ...

    def refile(self, stack: Stack, filed: Filed, new: list[ExtractedDocument]) -> list[IntakeItem]: ...


class DirectFiling:
    """The filing functions called as they are (`dach intake`'s head start, before its flow run exists)."""

    def file(self, stack: Stack, document: ExtractedDocument) -> IntakeItem:
        archive = archive_for(stack.settings)
        return intake_filing.file_read_document(archive, stack.claim, document, stack.pages, stack.actor)

    def refile(self, stack: Stack, filed: Filed, new: list[ExtractedDocument]) -> list[IntakeItem]:
        archive = archive_for(stack.settings)
        return intake_filing.refile_early(archive, stack.claim, filed, new, stack.pages, stack.actor)


@dataclass
class Stack:
    """One file as it is read: its pages so far, their analysis, and what was filed before the end."""

    claim: IntakeClaim
    settings: Settings
    tell: OnItem
    filing: Filing = field(default_factory=DirectFiling)
    pages: list[ReadPage] = field(default_factory=list)
    analysis: FileAnalysis = field(default_factory=FileAnalysis)
    early: dict[tuple[int, ...], tuple[ExtractedDocument, IntakeItem]] = field(default_factory=dict)
    classified: Classified = field(default_factory=Classified)  # the stack is analysed again after every page

    @property
    def actor(self) -> Actor:
        return self.claim.uploader  # the one who handed the scan in files it (they can see and review it)

    def add(self, page: ReadPage, total: int) -> None:
        """Take the next page; file each document it settles (the pool reads on meanwhile)."""
        self.pages.append(page)
        self.read_front_again()
        if STREAM_MAX_PAGES < len(self.pages) < total:
            return  # a long file: no more early filing, it is understood once when all pages are read
        self.analysis = understand(self.pages, self.settings.review_threshold, self.classified)
        settled = settled_documents(self.analysis, [p.text for p in self.pages])
        self.refile(settled)
        for doc in settled:
            if doc.pages not in self.early and not any(set(doc.pages) & set(e) for e in self.early):
                item = self.filing.file(self, doc)
                log.info("%s: pages %s filed after reading page %d", self.claim.sha256[:12], doc.pages, len(self.pages))
                self.early[doc.pages] = (doc, item)
                self.tell(item)

    def read_front_again(self) -> None:
        """The page before the last one read again as the front of a card scanned duplex, where the last page is
        its back and its zone names a holder the front was not read for (`ocr.reader.fronts_read_again`): pages
        are read one by one, so the front's page pass never met the back's zone. Only such pairs fetch the file
        again (`ocr.visual_zone.needs_front_look` needs no image); its searchable-PDF page stays as it was."""
        if len(self.pages) < 2 or not needs_front_look(self.pages[-2].text, self.pages[-1].text):
            return
        data = archive_for(self.settings).get_object(self.claim.object_key)
        pair = [PageReading(text=p.text, pdf=None) for p in self.pages[-2:]]
        front = fronts_read_again(data, pair, ReadOptions.from_settings(self.settings))[0]
        self.pages[-2] = self.pages[-2].model_copy(update={"text": front.text})

    def refile(self, documents: tuple[ExtractedDocument, ...]) -> None:
        """Early filings that `documents` put together differently get their pages moved, once every page
        of them has its new document (an earlier run's duplicates are not ours to change)."""
        new, touched = clashing(documents, {pages: doc for pages, (doc, _) in self.early.items()})
        filed = [self.early[e.pages] for e in touched]
        if not new or any(item.status is IntakeStatus.DUPLICATE for _, item in filed):
            return
        refiled = self.filing.refile(self, filed, new)
        if not refiled:
            return
        for doc in touched:
            del self.early[doc.pages]
        self.early.update({d.pages: (d, item) for d, item in zip(new, refiled, strict=True)})
        for item in refiled:
            self.tell(item)
