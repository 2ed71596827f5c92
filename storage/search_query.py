"""One search: the variants index and the full-text index asked together, filtered, merged and sorted.

The variants index (`storage.name_index`) finds a person however the name, the date of birth or a number is
written; the full-text index (`storage.search`) finds words of the text. A document found by both ranks
first; among the rest, the one that matched more of the query (surname, given name, birth date ...) ranks
higher. Without a query, filters list the documents the reader may see, newest first.

Both lookups filter by the reader's rights in their statements (never a document the reader may not see takes
a place in a ranking); filters on status, department and filing date are applied to the ranked candidates
(a pool larger than the page when filters are set) and, for listings, in the statement.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from classifiers.search_terms import plan
from schemas.search import SearchFilters, SortOrder
from storage import name_index
from storage.search import ALL_TYPES, RawHit, Scope, _fulltext, _scope_params

#: Candidates ranked per lookup: the page asked for, or this many when filters or a sort order may drop or
#: reorder them.
FILTER_POOL = 500
#: Weight of the full-text ranking beside the variant score (a part fully matched weighs 1).
FULLTEXT_WEIGHT = 0.5
VISIBLE = ("filed", "needs_review")


def _effective(scope: Scope, filters: SearchFilters) -> Scope:
    if not filters.types:
        return scope
    wanted = frozenset(filters.types)
    return Scope(types=scope.types & wanted, own_pending_user_id=scope.own_pending_user_id)


def _type_clause(scope: Scope, column: str, join_docs: bool) -> str:
    """The rights clause for a lookup that has `column` (a type) and, with `join_docs`, documents `d`."""
    if scope.types >= ALL_TYPES and scope.own_pending_user_id is None:
        return ""
    parts: list[str] = []
    if scope.types:
        parts.append(f"{column} IN :types")
    if scope.own_pending_user_id is not None and join_docs:
        parts.append("(d.filed_by_user_id = :uid AND d.status = 'needs_review')")
    return "AND (" + " OR ".join(parts or ["1 = 0"]) + ")"


def _variants(session: Session, query: str, scope: Scope, pool: int) -> list[RawHit]:
    parts = name_index.expand_typos(session, plan(query).parts)
    if not parts:
        return []
    own = scope.own_pending_user_id is not None
    clause = _type_clause(scope, "st.doc_type", join_docs=own)
    if own:  # documents it filed that await review: the lookup needs the documents' columns
        clause = clause.replace("AND (", "AND EXISTS (SELECT 1 FROM documents d WHERE d.id = st.document_id AND (", 1)
        clause += ")"
    hits = name_index.lookup(session, parts, clause, _scope_params(scope), pool)
    return [RawHit(h.document_id, h.score, "", h.terms) for h in hits]


def _merge(variants: list[RawHit], fulltext: list[RawHit]) -> list[RawHit]:
    merged: dict[str, RawHit] = {h.document_id: h for h in variants}
    for rank, hit in enumerate(fulltext):
        bonus = FULLTEXT_WEIGHT * (1 - rank / max(1, len(fulltext))) + 0.01
        known = merged.get(hit.document_id)
        if known is None:
            merged[hit.document_id] = RawHit(hit.document_id, bonus, hit.snippet)
        else:
            merged[hit.document_id] = RawHit(hit.document_id, known.score + bonus, hit.snippet, known.terms)
    return sorted(merged.values(), key=lambda h: -h.score)


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _document_filter(filters: SearchFilters, params: dict[str, object]) -> str:
    clauses = ["d.status IN ('filed', 'needs_review')"]
    if filters.statuses:
        clauses.append("d.status IN :statuses")
        params["statuses"] = [s.value for s in filters.statuses]
    if filters.departments:
        clauses.append("m.department IN :departments")
        params["departments"] = [d.value for d in filters.departments]
    if filters.filed_from:
        clauses.append("d.created_at >= :filed_from")
        params["filed_from"] = _day_start(filters.filed_from)
    if filters.filed_to:
        clauses.append("d.created_at < :filed_to")
        params["filed_to"] = _day_start(filters.filed_to + timedelta(days=1))
    return " AND ".join(clauses)


def _bind(statement: Any, params: dict[str, object]) -> Any:
    for name in ("types", "statuses", "departments", "ids"):
        if name in params and f":{name}" in statement.text:
            statement = statement.bindparams(bindparam(name, expanding=True))
    return statement


def _order(sort: SortOrder) -> str:
    return "d.created_at ASC, d.id" if sort is SortOrder.OLDEST else "d.created_at DESC, d.id DESC"


def _listing(session: Session, scope: Scope, filters: SearchFilters, limit: int) -> list[RawHit]:
    """The documents the filters select (no query), newest first (or as sorted)."""
    params: dict[str, object] = {**_scope_params(scope), "limit": limit}
    rights = _type_clause(scope, "d.type", join_docs=True)
    where = _document_filter(filters, params)
    statement = text(
        f"SELECT d.id FROM documents d LEFT JOIN matters m ON m.id = d.matter_id "
        f"WHERE {where} {rights} ORDER BY {_order(filters.sort)} LIMIT :limit"
    )
    rows = session.execute(_bind(statement, params), params)
    return [RawHit(row[0], 0.0, "") for row in rows]


def _filtered(session: Session, hits: list[RawHit], filters: SearchFilters) -> list[RawHit]:
    """The hits that pass the document filters, in relevance order or sorted by filing date."""
    if not hits:
        return []
    params: dict[str, object] = {"ids": [h.document_id for h in hits]}
    where = _document_filter(filters, params)
    statement = text(
        f"SELECT d.id, d.created_at FROM documents d LEFT JOIN matters m ON m.id = d.matter_id "
        f"WHERE d.id IN :ids AND {where}"
    )
    filed = {row[0]: row[1] for row in session.execute(_bind(statement, params), params)}
    kept = [h for h in hits if h.document_id in filed]
    if filters.sort in (SortOrder.NEWEST, SortOrder.OLDEST):
        kept.sort(key=lambda h: filed[h.document_id], reverse=filters.sort is SortOrder.NEWEST)
    return kept


def search(session: Session, query: str, scope: Scope, limit: int, filters: SearchFilters) -> list[RawHit]:
    scope = _effective(scope, filters)
    if scope.empty or limit <= 0:
        return []
    if not query.strip():
        return _listing(session, scope, filters, limit) if filters.narrowing else []
    reordered = filters.narrowing or filters.sort is not SortOrder.RELEVANCE
    pool = FILTER_POOL if reordered else max(limit * 2, 50)
    variants = _variants(session, query, scope, pool)
    fulltext = _fulltext(session, query, scope, pool)
    return _filtered(session, _merge(variants, fulltext), filters)[
        : limit if filters.sort is not SortOrder.NAME else pool
    ]
