"""Shapes of what the pipeline reads and produces: pages, words, fields with provenance, documents.

These are the contracts between `ocr/`, `classifiers/`, `storage/`, `flows/` and the shells (CLI, web).
Every model is frozen so it can be handed to a Prefect task or a worker thread without defensive copies.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for every cross-room shape: immutable, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DocumentType(StrEnum):
    """The eleven document types dach files. The names are a public contract (CLI, API, policy file)."""

    PASSPORT = "passport"
    ID_CARD = "id_card"
    RESIDENCE_PERMIT = "residence_permit"
    VISA = "visa"
    NOTICE = "notice"  # Bescheid
    BIRTH_CERTIFICATE = "birth_certificate"
    MARRIAGE_CERTIFICATE = "marriage_certificate"
    SCHOOL_CERTIFICATE = "school_certificate"
    DEGREE_CERTIFICATE = "degree_certificate"
    REGISTRATION_CERTIFICATE = "registration_certificate"  # Meldebescheinigung
    OTHER = "other"


MRZ_TYPES = frozenset({DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT, DocumentType.VISA})
CERTIFICATE_TYPES = frozenset(
    {
        DocumentType.BIRTH_CERTIFICATE,
        DocumentType.MARRIAGE_CERTIFICATE,
        DocumentType.SCHOOL_CERTIFICATE,
        DocumentType.DEGREE_CERTIFICATE,
        DocumentType.REGISTRATION_CERTIFICATE,
    }
)

MRZ_FIELDS = (
    "document_code",
    "issuing_state",
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
    "optional_data",
    "mrz",
    "mrz_valid",
)
NOTICE_FIELDS = (
    "authority",
    "file_number",
    "notice_date",
    "recipient_name",
    "subject",
    "period_start",
    "period_end",
    "amount_eur",
)
CERTIFICATE_FIELDS = (
    "person_name",
    "birth_date",
    "birth_place",
    "issue_date",
    "issuing_authority",
    "certificate_number",
)


def fields_for(doc_type: DocumentType) -> tuple[str, ...]:
    """The field names a document of this type carries (the final names of the CLI contract)."""
    if doc_type in MRZ_TYPES:
        return MRZ_FIELDS
    if doc_type is DocumentType.NOTICE:
        return NOTICE_FIELDS
    if doc_type in CERTIFICATE_TYPES:
        return CERTIFICATE_FIELDS
    return ()


class TextSource(StrEnum):
    """Where a piece of text came from."""

    TEXT_LAYER = "text_layer"  # born-digital PDF, read by pdfplumber
    OCR = "ocr"  # tesseract on a page image
    MRZ = "mrz"  # machine-readable zone, read and check-digit verified
    VIZ = "viz"  # visual inspection zone of an identity document
    CLERK = "clerk"  # typed or confirmed by a person on the review screen (kept when pages are moved)


class BBox(Frozen):
    """A box on a page as fractions of the page width and height (0..1), origin top left.

    Fractions, not pixels, so the web app can highlight a field on a thumbnail of any size.
    """

    x0: float = Field(ge=0.0, le=1.0)
    y0: float = Field(ge=0.0, le=1.0)
    x1: float = Field(ge=0.0, le=1.0)
    y1: float = Field(ge=0.0, le=1.0)

    @classmethod
    def from_pixels(cls, left: float, top: float, right: float, bottom: float, width: float, height: float) -> BBox:
        def clamp(v: float) -> float:
            return min(1.0, max(0.0, v))

        return cls(x0=clamp(left / width), y0=clamp(top / height), x1=clamp(right / width), y1=clamp(bottom / height))

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0), y0=min(self.y0, other.y0), x1=max(self.x1, other.x1), y1=max(self.y1, other.y1)
        )


class Word(Frozen):
    """One recognised word with its box and confidence (0..1). `line` groups words of one text line."""

    text: str
    bbox: BBox
    confidence: float = Field(ge=0.0, le=1.0)
    block: int = 0
    line: int = 0


class MrzCell(Frozen):
    """What the OCR-B cell classifier saw in one character cell of an MRZ: its likeliest characters."""

    chars: str = Field(description="the likeliest characters of the MRZ alphabet, most probable first")
    probabilities: tuple[float, ...] = Field(description="the probability of each of `chars`, same order")


class MrzDecoded(Frozen):
    """A machine-readable zone decoded (`mrz.repair.repair`): where the reader reads the zone it decodes it
    once, and this travels with the reading to the identity classifier, which builds the document from it."""

    format: str = Field(description="the ICAO layout (TD1, TD2, TD3, MRV-A, MRV-B), empty when the lines fit none")
    fields: dict[str, str | None] = Field(description="the contract fields of `MRZ_FIELDS` a parse fills")
    checks: dict[str, bool] = Field(description="each check digit's verdict")
    valid: bool = Field(description="every check digit holds and the fields are well formed")
    lines: tuple[str, ...] = ()
    names_confirmed: bool = Field(default=True, description="the readings of the zone agree on the name")
    unsettled: tuple[str, ...] = Field(
        default=(), description="fields the readings did not settle and no check digit covers"
    )
    certainty: dict[str, float] = Field(
        default_factory=dict, description="how sure the decoder is of each field (0-1), where it can say"
    )

    @property
    def trusted(self) -> bool:
        """What `mrz_valid` reports: every check digit holds, the fields are well formed, and the readings
        agree on everything no check digit can prove."""
        return self.valid and self.names_confirmed and not self.unsettled


class MrzReading(Frozen):
    """The raw machine-readable zone as read off a page image, and (`decoded`) what it decodes to."""

    lines: tuple[str, ...]
    bbox: BBox | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    alternatives: tuple[tuple[str, ...], ...] = Field(
        default=(), description="other readings of the same zone (other preprocessing), for check-digit repair"
    )
    cells: tuple[tuple[MrzCell, ...], ...] = Field(
        default=(),
        description="per line, per character cell: the cell classifier's likeliest characters with their "
        "probabilities (empty when the zone was read by text OCR only). With cells, `lines` is the cell "
        "classifier's own reading and `alternatives` are the text OCR's readings, further evidence",
    )
    line_height: float = Field(
        default=0.0, ge=0.0, description="text height of the zone's lines in pixels of the image read (0: unknown)"
    )
    decoded: MrzDecoded | None = Field(
        default=None,
        description="the zone decoded where it was read (None on readings made before it was, or by hand): "
        "the classifiers build on this instead of decoding the zone again",
    )


class PageText(Frozen):
    """The text of one page with positions: the output of `ocr/` for one page."""

    page: int = Field(ge=1, description="1-based page number within the source file")
    width: int = Field(ge=1, description="width in pixels of the image the boxes refer to (or PDF points)")
    height: int = Field(ge=1)
    source: TextSource
    rotation: int = Field(default=0, description="clockwise degrees the page was turned to read it (0/90/180/270)")
    skew: float = Field(default=0.0, description="degrees of deskew applied")
    languages: str = Field(default="", description="tesseract language string used, empty for text layers")
    words: tuple[Word, ...] = ()
    blank: bool = False
    image_key: str | None = Field(default=None, description="object key of the normalised page image, if stored")
    mrz: MrzReading | None = None
    separator: bool = Field(default=False, description="a dach separator sheet (QR code), not a document page")

    @property
    def text(self) -> str:
        """Plain text, one line per OCR line."""
        lines: list[str] = []
        current: tuple[int, int] | None = None
        for word in self.words:
            key = (word.block, word.line)
            if key != current:
                lines.append(word.text)
                current = key
            else:
                lines[-1] += " " + word.text
        return "\n".join(lines)

    @property
    def mean_confidence(self) -> float:
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0


FieldValue = str | bool | list[str] | None


class ExtractedField(Frozen):
    """A field value with its provenance, so a reviewer can see where it came from."""

    value: FieldValue
    page: int | None = Field(default=None, ge=1)
    bbox: BBox | None = None
    source: TextSource = TextSource.OCR
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class ExtractedDocument(Frozen):
    """One document found in a file: its type, pages, fields and whether a person must look at it."""

    type: DocumentType
    pages: tuple[int, ...] = Field(description="1-based page numbers within the source file")
    confidence: float = Field(ge=0.0, le=1.0)
    review: bool = False
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    checks: dict[str, bool] | None = Field(default=None, description="MRZ check digits by name")
    viz_mismatches: tuple[str, ...] = Field(default=(), description="fields where the visual zone disagrees")
    notes: tuple[str, ...] = Field(default=(), description="why review is needed, in plain words")
    readings: dict[str, tuple[ExtractedField, ...]] = Field(
        default_factory=dict,
        description="identity documents: where each field was read, its characters in the MRZ (source mrz) and "
        "the value the visual zone prints for it (source viz, as read), each with page and box",
    )

    def field_values(self) -> dict[str, FieldValue]:
        return {name: f.value for name, f in self.fields.items()}

    def to_contract(self) -> dict[str, object]:
        """The `dach extract --json` shape of this document."""
        out: dict[str, object] = {
            "type": self.type.value,
            "pages": list(self.pages),
            "confidence": round(self.confidence, 4),
            "review": self.review,
            "fields": self.field_values(),
        }
        if self.checks is not None:
            out["checks"] = dict(self.checks)
            out["viz_mismatches"] = list(self.viz_mismatches)
        return out


class ErrorInfo(Frozen):
    """A rejected file: a stable code and a message that says what is wrong and what to do."""

    code: str
    message: str


class FileExtraction(Frozen):
    """Everything `ocr/` + `classifiers/` found in one input file."""

    file: str
    error: ErrorInfo | None = None
    documents: tuple[ExtractedDocument, ...] = ()
    dropped_pages: tuple[int, ...] = Field(default=(), description="blank or separator pages not filed")

    def to_contract(self) -> dict[str, object]:
        return {
            "file": self.file,
            "error": None if self.error is None else self.error.model_dump(),
            "documents": [d.to_contract() for d in self.documents],
        }
