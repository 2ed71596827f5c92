"""The classifiers room: text with positions in, typed and validated documents out.

`analyse(pages, review_threshold=...)` is the room's entry point for the intake flow and `dach extract`;
`classify_document(pages, review_threshold)` reads the pages of one document whose split is known (pages
moved between documents by a clerk). Both import spaCy and load the shipped model only when first called.
"""

from classifiers.analysis import FileAnalysis, analyse, classify_document

__all__ = ["FileAnalysis", "analyse", "classify_document"]
