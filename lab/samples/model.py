"""The pure content of one generated document, before any layout or rendering.

`DocumentContent.pages` is what the document says, line by line, each line with a role hint that the
layouts use for placement and style; `fields` is the ground truth in the contract's field names.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.documents import DocumentType, FieldValue

# Roles a line can play. Layouts place and style by role; the classifier only needs the text.
ROLES = frozenset(
    {
        "letterhead",  # authority / state name at the top
        "sender",  # small return-address line above the recipient block
        "address",  # recipient block line
        "meta",  # info block: file number, date, contact
        "title",  # document title (PASSPORT, Geburtsurkunde, Bescheid ...)
        "subtitle",
        "heading",  # section heading inside a letter
        "label",  # label of a label/value pair (identity documents, certificates)
        "value",  # value of a label/value pair
        "body",  # running text
        "table",  # a row of a small table, cells separated by " | "
        "mrz",  # one MRZ line
        "signature",  # signature block text (name, function)
        "stamp",  # text inside a round stamp
        "footer",  # page footer, page numbers
    }
)


@dataclass(frozen=True)
class TextLine:
    """One line of a document. `key` names the truth field the line carries, if any; `script` is
    `latin`, `cyrillic` or `arabic` (fonts and right-to-left rendering depend on it)."""

    text: str
    role: str = "body"
    key: str | None = None
    script: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown line role {self.role!r}; use one of {sorted(ROLES)}")
        if not self.script:
            object.__setattr__(self, "script", script_of(self.text))


def script_of(text: str) -> str:
    """`arabic` if the text holds Arabic-script letters, else `cyrillic` if it has Cyrillic, else `latin`."""
    if any("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text):
        return "arabic"
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "cyrillic"
    return "latin"


@dataclass(frozen=True)
class DocumentContent:
    """What one document says, and the truth about it.

    `layout` names the layout family that renders it (`letter`, `passport`, `card`, `visa`,
    `certificate`); `extra` carries truth beyond the contract fields (legal basis, original-script name).
    """

    type: DocumentType
    language: str
    fields: dict[str, FieldValue]
    extra: dict[str, str]
    pages: list[list[TextLine]]
    layout: str

    def page_text(self, index: int) -> str:
        return "\n".join(line.text for line in self.pages[index])

    @property
    def text(self) -> str:
        """All text of the document, pages separated by a form feed."""
        return "\f".join(self.page_text(i) for i in range(len(self.pages)))
