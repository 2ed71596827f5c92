"""Full-text search over names, fields and OCR text, filtered by the reader's rights before ranking.

SQLite (embedded): an FTS5 table with diacritics folded and BM25 ranking, names weighted highest.
PostgreSQL: a generated tsvector over the `german` and `simple` configurations (every query word may match
its German stem or the exact word) plus pg_trgm similarity on names for misspelled or transliterated names.

The rights filter sits in the WHERE clause of the same statement that ranks, so a document the reader may
not see never takes a place in the ranking, and its existence does not leak through result counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from schemas.documents import DocumentType

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
_JOINERS = re.compile(r"(?<=\w)[-/.](?=\w)")


@dataclass(frozen=True)
class Scope:
    """What the reader may see: document types, and/or documents it filed that await review."""

    types: frozenset[DocumentType]
    own_pending_user_id: str | None = None

    @property
    def empty(self) -> bool:
        return not self.types and self.own_pending_user_id is None


@dataclass(frozen=True)
class RawHit:
    document_id: str
    score: float
    snippet: str


def terms(query: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(query)][:MAX_TERMS]


def _split_numbers(text: str) -> str:
    """The text plus a copy with joiners between letters and digits spaced out, so that a file number such
    as "AZ-4711" is found by "4711" (PostgreSQL's parser reads "-4711" as a signed number)."""
    spaced = _JOINERS.sub(" ", text)
    return text if spaced == text else f"{text}\n{spaced}"


def index_document(
    session: Session, document_id: str, doc_type: str, names: str, fields: str, body: str
) -> None:
    """(Re)index one document; called in the filing or correction transaction."""
    fields = _split_numbers(fields)
    session.execute(text("DELETE FROM search_index WHERE document_id = :id"), {"id": document_id})
    session.execute(
        text(
            "INSERT INTO search_index (document_id, doc_type, names, fields, body) "
            "VALUES (:id, :doc_type, :names, :fields, :body)"
        ),
        {"id": document_id, "doc_type": doc_type, "names": names, "fields": fields, "body": body},
    )


def reindex_fields(session: Session, document_id: str, fields: str, names: str) -> None:
    """Update the field and name text of an indexed document after a correction (the OCR text stays)."""
    fields = _split_numbers(fields)
    session.execute(
        text("UPDATE search_index SET fields = :fields, names = :names WHERE document_id = :id"),
        {"id": document_id, "fields": fields, "names": names},
    )


def _scope_clause(scope: Scope, type_column: str) -> str:
    parts: list[str] = []
    if scope.types:
        parts.append(f"{type_column} IN :types")
    if scope.own_pending_user_id is not None:
        parts.append("(d.filed_by_user_id = :uid AND d.status = 'needs_review')")
    return "(" + " OR ".join(parts) + ")"


def _scope_params(scope: Scope) -> dict[str, object]:
    params: dict[str, object] = {}
    if scope.types:
        params["types"] = sorted(t.value for t in scope.types)
    if scope.own_pending_user_id is not None:
        params["uid"] = scope.own_pending_user_id
    return params


def search(session: Session, query: str, scope: Scope, limit: int) -> list[RawHit]:
    words = terms(query)
    if not words or scope.empty or limit <= 0:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(session, words, scope, limit)
    return _search_postgres(session, query, words, scope, limit)


def _search_sqlite(session: Session, words: Iterable[str], scope: Scope, limit: int) -> list[RawHit]:
    # Each word quoted (no FTS syntax from users); words of 3+ letters also match as prefixes.
    match = " ".join(f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words)
    join = "JOIN documents d ON d.id = search_index.document_id" if scope.own_pending_user_id else ""
    statement = text(
        f"""
        SELECT search_index.document_id, bm25(search_index, 0, 0, 10.0, 4.0, 1.0) AS rank,
               snippet(search_index, -1, '[', ']', '…', 10) AS snip
        FROM search_index {join}
        WHERE search_index MATCH :match AND {_scope_clause(scope, "search_index.doc_type")}
        ORDER BY rank LIMIT :limit
        """
    )
    if scope.types:
        statement = statement.bindparams(bindparam("types", expanding=True))
    params = {"match": match, "limit": limit, **_scope_params(scope)}
    return [RawHit(row[0], -float(row[1]), row[2] or "") for row in session.execute(statement, params)]


def _search_postgres(
    session: Session, query: str, words: list[str], scope: Scope, limit: int
) -> list[RawHit]:
    tsquery = " && ".join(
        f"(plainto_tsquery('simple', :w{i}) || plainto_tsquery('german', :w{i}))" for i in range(len(words))
    )
    join = "JOIN documents d ON d.id = s.document_id" if scope.own_pending_user_id else ""
    statement = text(
        f"""
        WITH q AS (SELECT {tsquery} AS tsq),
        ranked AS (
            SELECT s.document_id, s.body,
                   ts_rank(s.tsv, q.tsq) + similarity(s.names, :phrase) AS score, q.tsq
            FROM search_index s {join}, q
            WHERE (s.tsv @@ q.tsq OR s.names % :phrase) AND {_scope_clause(scope, "s.doc_type")}
            ORDER BY score DESC LIMIT :limit
        )
        SELECT document_id, score,
               ts_headline('simple', left(body, 20000), tsq,
                           'StartSel=[,StopSel=],MaxWords=14,MinWords=6,MaxFragments=1') AS snip
        FROM ranked ORDER BY score DESC
        """
    )
    if scope.types:
        statement = statement.bindparams(bindparam("types", expanding=True))
    params: dict[str, object] = {f"w{i}": w for i, w in enumerate(words)}
    params.update({"phrase": " ".join(words), "limit": limit, **_scope_params(scope)})
    return [RawHit(row[0], float(row[1]), row[2] or "") for row in session.execute(statement, params)]
