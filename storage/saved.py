"""Saved searches: a user keeps a query and its filters under a name, and only that user sees them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.errors import InvalidRequest, NotFound
from schemas.record import Actor
from schemas.search import SavedSearch, SearchFilters
from storage.models import SavedSearchRow

#: Saved searches kept per user (the oldest beyond this are not shown; a clerk deletes what they no longer use).
MAX_PER_USER = 50


def _owner(actor: Actor) -> str:
    if not actor.user_id:
        raise InvalidRequest("saved searches belong to a signed-in user; sign in to save a search.")
    return actor.user_id


def _view(row: SavedSearchRow) -> SavedSearch:
    params = dict(row.params)
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return SavedSearch(
        id=row.id,
        name=row.name,
        query=str(params.get("query", "")),
        filters=SearchFilters.model_validate(params.get("filters", {})),
        created_at=created,
    )


def list_for(session: Session, actor: Actor) -> list[SavedSearch]:
    if not actor.user_id:
        return []
    rows = session.scalars(
        select(SavedSearchRow)
        .where(SavedSearchRow.user_id == actor.user_id)
        .order_by(SavedSearchRow.name)
        .limit(MAX_PER_USER)
    )
    return [_view(r) for r in rows]


def save(session: Session, name: str, query: str, filters: SearchFilters, actor: Actor) -> SavedSearch:
    owner = _owner(actor)
    name = " ".join(name.split())[:120]
    if not name:
        raise InvalidRequest("a saved search needs a name; enter one.")
    row = session.scalar(select(SavedSearchRow).where(SavedSearchRow.user_id == owner, SavedSearchRow.name == name))
    params = {"query": query[:200], "filters": filters.model_dump(mode="json")}
    if row is None:
        row = SavedSearchRow(id="srch_" + secrets.token_hex(8), user_id=owner, name=name, params=params,
                             created_at=datetime.now(UTC))  # fmt: skip
        session.add(row)
    else:
        row.params = params
    session.flush()
    return _view(row)


def delete(session: Session, search_id: str, actor: Actor) -> None:
    row = session.get(SavedSearchRow, search_id)
    if row is None or row.user_id != _owner(actor):
        raise NotFound(f"saved search {search_id} does not exist; reload the search page.")
    session.delete(row)
