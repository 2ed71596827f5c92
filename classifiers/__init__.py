"""The classifiers room: text with positions in, typed and validated documents out.

`analyse(pages, review_threshold=...)` is the room's entry point for the intake flow and `dach extract`;
`classify_document(pages, review_threshold)` reads the pages of one document whose split is known (pages
moved between documents by a clerk). Both import spaCy and load the shipped model only when first called.

The entry points are looked up when first asked for, not when the room is: `storage` matches persons with
`classifiers.persons`, and importing the room for that alone brought spaCy in (~0.4 s) before `dach intake`
had admitted its files or read a page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from classifiers.analysis import FileAnalysis, analyse, classify_document

__all__ = ["FileAnalysis", "analyse", "classify_document"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from classifiers import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
