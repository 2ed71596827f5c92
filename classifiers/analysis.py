"""The classifiers room's main entry: the pages of one file in, typed and validated documents out.

`analyse(pages, review_threshold=...)` splits the file into documents (`classifiers/split.py`), decides each
document's type from the strongest evidence available — a machine-readable zone read by
`classifiers.identity`, else the calibrated text classifier combined with title and letterhead cues — and
extracts and validates the fields of notices and certificates. Whatever a clerk must look at is flagged
with `review` and a note that says why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import partial

from pydantic import Field

from classifiers.cues import title_types
from classifiers.fields import label_text
from classifiers.identity import identity_document, is_card_back
from classifiers.lexicon import TURKISH_BODY, looks_turkish
from classifiers.split import PageCues, closes, has_mrz, is_supplement, mrz_in_text, page_number, split_pages
from schemas.documents import (
    CERTIFICATE_TYPES,
    MRZ_TYPES,
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    Frozen,
    PageText,
)

log = logging.getLogger(__name__)

_NO = ExtractedField(value=None)
# Free-text fields whose lost umlauts and diacritics are restored from the model's lexicon.
_RESTORED = frozenset(
    {"authority", "subject", "recipient_name", "legal_basis", "person_name", "birth_place", "issuing_authority"}
)
_PROPER_NOUNS = frozenset({"recipient_name", "person_name", "birth_place"})
# A person's name printed on a certificate or notice, whose marks no second reading (as an identity document's
# MRZ) gives back: only its print can (`classifiers.name_marks`).
_PRINTED_NAMES = ("person_name", "recipient_name")
# A Turkish body's own name (`İstanbul Teknik Üniversitesi`, `İzmir Nüfus Müdürlüğü`) keeps the dotted İ of its
# town on a page in any language: the town is a Turkish proper noun there, as a holder's name is.
TITLE_LIKELIHOOD = 1000.0  # a title naming a type: matched exactly, so when it is read it is right
# A title among a page's first lines is where a reader looks first: on top of TITLE_LIKELIHOOD, so that a text
# classifier overconfident on layouts it has never seen cannot outvote it (a Meldebescheinigung read as other).
TOP_TITLE_LIKELIHOOD = 1000.0
MRZ_LIKELIHOOD = 25.0  # MRZ-looking lines without a readable MRZ favour the identity types
_MRZ_CODE = re.compile(r"^\s*([PVIAC][A-Z<])[A-Z<]{3}[A-Z<]*<", re.MULTILINE)


class FileAnalysis(Frozen):
    """What the classifiers found in one file: its documents and the pages not filed (and why)."""

    documents: tuple[ExtractedDocument, ...] = ()
    dropped_pages: tuple[int, ...] = ()
    dropped_reasons: dict[int, str] = Field(default_factory=dict)


# A certificate type the classifier all but ruled out (a layout it has never seen) keeps this much probability
# when a title at the top of the page names it: the title is read, the classifier's certainty is only learnt.
TITLED_FLOOR = 1e-3
# Only certificates: an identity document has its zone, and a notice may name a permit in its subject line.
_FLOORED = frozenset(t.value for t in CERTIFICATE_TYPES)


def _combine(scores: dict[str, float], boosts: dict[str, float]) -> dict[str, float]:
    """Bayesian update of the classifier's probabilities with independent cue likelihood ratios."""
    top = TITLE_LIKELIHOOD * TOP_TITLE_LIKELIHOOD
    updated = {
        label: (max(p, TITLED_FLOOR) if label in _FLOORED and boosts.get(label, 1.0) >= top else p)
        * boosts.get(label, 1.0)
        for label, p in scores.items()
    }
    total = sum(updated.values()) or 1.0
    return {label: p / total for label, p in updated.items()}


_TOP = 0.2  # the share of the page's height a title is printed in


def top_text(page: PageText) -> str:
    """The lines of the top of the page, wherever OCR put them in reading order: a bilingual certificate read
    right column first has its English title among the last lines of the text, yet at the top of the page."""
    lines: dict[tuple[int, int], list[str]] = {}
    for word in page.words:
        if word.bbox.y0 < _TOP:
            lines.setdefault((word.block, word.line), []).append(word.text)
    return "\n".join(" ".join(words) for words in lines.values())


def _boosts(pages: Sequence[PageText]) -> dict[str, float]:
    """Likelihood ratios of the strong cues: a title on the first page, MRZ lines and their document code."""
    boosts: dict[str, float] = {}
    for doc_type in title_types(pages[0].text):
        boosts[doc_type.value] = boosts.get(doc_type.value, 1.0) * TITLE_LIKELIHOOD
    top = set(title_types("\n".join(pages[0].text.splitlines()[:6]))) | set(title_types(top_text(pages[0])))
    for doc_type in top:
        if doc_type not in (DocumentType.NOTICE, DocumentType.OTHER):
            boosts[doc_type.value] = boosts.get(doc_type.value, 1.0) * TOP_TITLE_LIKELIHOOD
    if _decision_letter(pages[0].text):
        boosts[DocumentType.NOTICE.value] = boosts.get(DocumentType.NOTICE.value, 1.0) * TOP_TITLE_LIKELIHOOD
    if any(mrz_in_text(p.text) for p in pages):
        for doc_type in MRZ_TYPES:
            boosts[doc_type.value] = boosts.get(doc_type.value, 1.0) * MRZ_LIKELIHOOD
        coded = _MRZ_CODE.search("\n".join(p.text for p in pages))
        if coded:  # ICAO 9303 document code of the first MRZ line: P passport, V visa, AR/IR residence
            code = coded.group(1)
            doc_type = (
                DocumentType.PASSPORT
                if code.startswith("P")
                else DocumentType.VISA
                if code.startswith("V")
                else DocumentType.RESIDENCE_PERMIT
                if code in ("AR", "IR", "RP", "RT")
                else DocumentType.ID_CARD
            )
            boosts[doc_type.value] = boosts.get(doc_type.value, 1.0) * MRZ_LIKELIHOOD
    return boosts


_DECISION_HEADING = re.compile(
    r"^\s*(?:Betreff:?\s*)?(?:\w*bescheid|Bescheid\s+über)\b|Rechtsbehelfsbelehrung", re.I | re.M
)


def _decision_letter(text: str) -> bool:
    """An authority's letter that heads itself a decision (`Bescheid über …`, `Änderungsbescheid`) or carries the
    instructions on how to appeal: a notice as surely as a title names a certificate."""
    from classifiers.notice import AUTHORITY_WORDS

    lines = text.splitlines()
    return any(AUTHORITY_WORDS.search(line) for line in lines[:2]) and bool(_DECISION_HEADING.search(text))


def reading_quality(pages: Sequence[PageText]) -> float:
    """1.0 for pages read well (text layer, or OCR words at mean confidence ≥ 0.6), less for worse ones."""
    confidences = [p.mean_confidence for p in pages if p.words]
    if not confidences:
        return 0.0
    return min(1.0, (sum(confidences) / len(confidences)) / 0.6)


def first_page_types(text: str) -> list[DocumentType]:
    """Types whose first page this looks like: a title near the top, or an authority's letterhead.

    Phrases of a notice's body ("Rechtsbehelfsbelehrung") name the type but sit on any page, so only the
    letterhead counts as a notice's first-page cue.
    """
    from classifiers.notice import AUTHORITY_WORDS

    lines = text.splitlines()
    types: list[DocumentType] = [t for t in title_types("\n".join(lines[:6])) if t is not DocumentType.NOTICE]
    if any(AUTHORITY_WORDS.search(line) for line in lines[:2]):
        types.append(DocumentType.NOTICE)
    return types


def page_cues(pages: Sequence[PageText]) -> list[PageCues]:
    """The splitting cues of each content page (runs the text classifier once per page)."""
    from classifiers.model import shipped_model

    predictions = shipped_model().predict_many([p.text for p in pages])
    out: list[PageCues] = []
    for page, prediction in zip(pages, predictions, strict=True):
        scores = _combine(prediction.scores, _boosts([page]))
        best = max(scores, key=scores.__getitem__)
        # a page read badly says little about its type: its vote for a new document weighs less
        confidence = scores[best] * reading_quality([page])
        top_titles = first_page_types(page.text)
        out.append(
            PageCues(
                page=page.page,
                page_number=page_number(page.text),
                has_mrz=has_mrz(page),
                title_type=top_titles[0] if top_titles else None,
                predicted=DocumentType(best),
                confidence=confidence,
                closes=closes(page.text),
                supplement=is_supplement(page.text),
                card_back=is_card_back(page),
            )
        )
    return out


def _identity(pages: Sequence[PageText]) -> ExtractedDocument | None:
    document = identity_document(pages)
    if document is None:
        return None
    return document.model_copy(update={"pages": tuple(p.page for p in pages)})


def _turkish_name(field: str, value: str, turkish_page: bool) -> bool:
    """Whether a field's value is a Turkish proper noun, whose plain capital I may be a dotted İ."""
    if field == "issuing_authority":
        return bool(TURKISH_BODY.search(value))
    return turkish_page and field in _PROPER_NOUNS


def classify_document(pages: Sequence[PageText], review_threshold: float) -> ExtractedDocument:
    """Type, fields and review flag of one document (its pages already split off the stack)."""
    from classifiers.certificate import extract_certificate
    from classifiers.certificate_glyphs import dotted_town_in_body, doubt_unmarked_name, turkish_body_written
    from classifiers.certificate_prose import complete_certificate
    from classifiers.keyvalue import fill_certificate, fill_notice
    from classifiers.model import shipped_model
    from classifiers.name_marks import doubt_turkish_holder, mend_name
    from classifiers.notice import extract_notice
    from classifiers.text import DocumentText

    numbers = tuple(p.page for p in pages)
    model = shipped_model()
    text = DocumentText(pages)
    prediction = model.predict(text.text)
    scores = _combine(prediction.scores, _boosts(pages))
    best = DocumentType(max(scores, key=scores.__getitem__))
    confidence = round(scores[best.value], 4)
    notes: list[str] = []
    if any(p.mrz is not None for p in pages):
        identity = _identity(pages)
        # A valid MRZ overrides the text; an invalid one only where the text does not clearly say
        # otherwise (a ruled form or a table can look like an MRZ band to the reader).
        valid = identity is not None and identity.fields.get("mrz_valid", _NO).value is True
        # The document code of an unvalidated MRZ is less sure than a printed title such as
        # "AUFENTHALTSTITEL": keep the MRZ fields, take the type the text gives.
        if (
            identity is not None
            and not valid
            and best in MRZ_TYPES
            and best is not identity.type
            and confidence >= review_threshold
        ):
            note = f"type taken from the printed text ({best.value}); the MRZ did not validate"
            return identity.model_copy(update={"type": best, "notes": (*identity.notes, note)})
        # Text read badly (an upside-down or blurred card) gives confident nonsense: trust the MRZ then.
        text_says = confidence * reading_quality(pages)
        if identity is not None and (valid or best in MRZ_TYPES or text_says < review_threshold):
            return identity
        if identity is not None:
            notes.append(f"an unreadable machine-readable zone was ignored: the text reads as {best.value}")
    if confidence < review_threshold:
        notes.append(f"type unsure: best guess {best.value} ({confidence:.2f}); please choose the type")
        log.info("pages %s: type unsure (%s %.2f), filed as other", numbers, best.value, confidence)
        return ExtractedDocument(
            type=DocumentType.OTHER, pages=numbers, confidence=confidence, review=True, notes=tuple(notes)
        )
    doc = model.fields_doc(label_text(text.text))
    fields = {}
    if best is DocumentType.NOTICE:
        found = fill_notice(text, extract_notice(text, doc))
        fields, notes = found.fields, notes + found.notes
    elif best in CERTIFICATE_TYPES:
        found = complete_certificate(text, fill_certificate(text, extract_certificate(text, doc, best)))
        fields, notes = found.fields, notes + found.notes
    elif best in MRZ_TYPES:
        notes.append("no readable machine-readable zone; please check the document and enter its data")
    turkish = looks_turkish(text.text)
    fields = {
        name: f.model_copy(
            update={"value": model.lexicon.restore(f.value, turkish_name=_turkish_name(name, f.value, turkish))}
        )
        if name in _RESTORED and isinstance(f.value, str)
        else f
        for name, f in fields.items()
    }
    for name in _PRINTED_NAMES:
        if name in fields:
            fields[name], doubt = mend_name(fields[name], pages, name)
            if doubt:
                notes.append(doubt)
    if best in CERTIFICATE_TYPES and "person_name" in fields:
        fields["person_name"], doubt = doubt_unmarked_name(fields["person_name"], text.text, model.lexicon)
        if doubt:
            notes.append(doubt)
        else:
            context = [str(fields[n].value) for n in ("birth_place", "issuing_authority") if n in fields]
            fields["person_name"], doubt = doubt_turkish_holder(fields["person_name"], context, pages, "person_name")
            if doubt:
                notes.append(doubt)
    body = fields.get("issuing_authority")
    if best in CERTIFICATE_TYPES and body is not None:
        body = fields["issuing_authority"] = turkish_body_written(body)
        if turkish and not TURKISH_BODY.search(str(body.value)):
            fields["issuing_authority"], doubt = dotted_town_in_body(body, model.lexicon)
            if doubt:
                notes.append(doubt)
    return ExtractedDocument(
        type=best, pages=numbers, confidence=confidence, review=bool(notes), fields=fields, notes=tuple(notes)
    )


class Classified:
    """Documents already classified, by the very pages they were made of: the intake analyses a stack again after
    every page read (to file each document as soon as it is settled), and a document whose pages are the same
    page objects as before is not classified again (a 10-page stack: 10 classifications instead of ~45).

    A plain object rather than a dict on purpose: should it ever be handed to a Prefect task again, Prefect
    walks every collection in a task's arguments."""

    __slots__ = ("_cues", "_documents")

    def __init__(self) -> None:
        self._documents: dict[tuple[object, ...], tuple[tuple[PageText, ...], ExtractedDocument]] = {}
        self._cues: dict[int, tuple[PageText, PageCues]] = {}

    def cues(self, pages: Sequence[PageText]) -> list[PageCues]:
        """`page_cues` of `pages`, each page's worked out once (for the same page object): a page's cues are
        its own, and working them out again for every page after every page read made the splitting of a
        10-page stack cost 55 runs of the text classifier instead of 10."""
        missing = [p for p in pages if (known := self._cues.get(p.page)) is None or known[0] is not p]
        for page, cues in zip(missing, page_cues(missing) if missing else [], strict=True):
            self._cues[page.page] = (page, cues)
        return [self._cues[p.page][1] for p in pages]

    def document(
        self, pages: Sequence[PageText], key: tuple[object, ...], classify: Callable[[], ExtractedDocument]
    ) -> ExtractedDocument:
        """The document of `pages` classified before (the same objects, under the same `key`), else `classify()`."""
        key = (*key, *(p.page for p in pages))
        known = self._documents.get(key)
        if known is not None and all(a is b for a, b in zip(known[0], pages, strict=True)):
            return known[1]
        document = classify()
        self._documents[key] = (tuple(pages), document)
        return document


def analyse(
    pages: Sequence[PageText],
    *,
    review_threshold: float,
    calibrated_review: bool = True,
    classified: Classified | None = None,
) -> FileAnalysis:
    """Split the pages of one file into documents, classify each, extract and validate its fields.

    `calibrated_review` sends every document whose fields are not all certain to review
    (`classifiers.review`); False leaves the extractors' own flags (only benchmarks measure without it).
    `classified`: documents classified in an earlier analysis of the same pages, reused."""
    ordered = sorted(pages, key=lambda p: p.page)
    if not ordered:
        return FileAnalysis()
    segments, dropped = split_pages(ordered, page_cues if classified is None else classified.cues)
    if not segments:
        # Nothing but blank pages (and separators): alone, a blank page is a document a clerk looks at.
        blank = tuple(p.page for p in ordered if not p.separator)
        separators = {p.page: "separator sheet" for p in ordered if p.separator}
        documents: tuple[ExtractedDocument, ...] = ()
        if blank:
            documents = (
                ExtractedDocument(
                    type=DocumentType.OTHER,
                    pages=blank,
                    confidence=0.0,
                    review=True,
                    notes=("no text found on the page; is it blank or upside down?",),
                ),
            )
        return FileAnalysis(documents=documents, dropped_pages=tuple(sorted(separators)), dropped_reasons=separators)

    if classified is None:
        documents = tuple(classify_document(segment.pages, review_threshold) for segment in segments)
    else:
        documents = tuple(
            classified.document(
                segment.pages, (review_threshold,), partial(classify_document, segment.pages, review_threshold)
            )
            for segment in segments
        )
    if calibrated_review:
        # not kept in `classified`: the review reads every page of the file, and it costs next to nothing
        from classifiers.review import calibrated

        documents = tuple(calibrated(d, pages=ordered) for d in documents)
    for page, reason in sorted(dropped.items()):
        log.info("page %d dropped: %s", page, reason)
    return FileAnalysis(documents=documents, dropped_pages=tuple(sorted(dropped)), dropped_reasons=dropped)
