"""The classifiers room: text with positions in, typed and validated documents out.

`analyse(pages, review_threshold=...)` is the room's entry point for the intake flow and `dach extract`;
it imports spaCy and loads the shipped model only when first called.
"""

from classifiers.analysis import FileAnalysis, analyse

__all__ = ["FileAnalysis", "analyse"]
