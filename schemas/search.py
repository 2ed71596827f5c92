"""Shapes of a search as they cross rooms: what the reader filters and sorts by, and saved searches.

A search is a query (names in any spelling, dates in any usual form, numbers with or without spaces, words
of the text) and/or filters; with filters alone it lists the documents the reader may see.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from schemas.documents import DocumentType, Frozen
from schemas.record import Department
from schemas.search_hit import HitField

__all__ = ["HitField", "SavedSearch", "SearchFilters", "SearchStatus", "SortOrder"]


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    NAME = "name"


class SearchStatus(StrEnum):
    FILED = "filed"
    NEEDS_REVIEW = "needs_review"


class SearchFilters(Frozen):
    types: tuple[DocumentType, ...] = ()
    statuses: tuple[SearchStatus, ...] = ()
    departments: tuple[Department, ...] = ()
    filed_from: date | None = None
    filed_to: date | None = None
    sort: SortOrder = SortOrder.RELEVANCE

    @property
    def narrowing(self) -> bool:
        """Whether any filter (not only a sort order) is set."""
        return bool(self.types or self.statuses or self.departments or self.filed_from or self.filed_to)


class SavedSearch(Frozen):
    id: str
    name: str = Field(max_length=120)
    query: str = ""
    filters: SearchFilters = SearchFilters()
    created_at: datetime
