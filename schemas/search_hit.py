"""A matched field of a search hit (kept apart from `schemas.search` so `schemas.record` can use it)."""

from __future__ import annotations

from schemas.documents import Frozen


class HitField(Frozen):
    """A field of a hit that the query matched, with the [start, end) spans to highlight in its value."""

    name: str
    value: str
    marks: tuple[tuple[int, int], ...] = ()
