"""Full-text search over names, fields and OCR text, filtered by the reader's rights before ranking.

SQLite (embedded): an FTS5 table with diacritics folded and BM25 ranking, names weighted highest.
PostgreSQL: a generated tsvector over the `german` and `simple` configurations (every query word may match
its German stem or the exact word), with pg_trgm similarity of the names in the ranking. Names spelt
differently, dates and numbers in any form are found by the variants index (`storage.name_index`); the two
are asked together by `storage.search_query`; indexing here writes both.

The rights filter sits in the WHERE clause of the statements that choose and rank, so a document the reader
may not see never takes a place in the ranking, and its existence does not leak through result counts.
Ranking is bounded: it looks at the newest `RANK_POOL` readable matches (see there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from schemas.documents import DocumentType
from storage import name_index

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
#: Ranking looks at the newest RANK_POOL readable matches. A query matching more (a very common word) is
#: ranked among its newest matches only: this bounds search time whatever the size of the record.
RANK_POOL = 2000
ALL_TYPES = frozenset(DocumentType)
#: PostgreSQL looks at the newest 5,000 documents first, and at all of them if that found too few.
PG_WINDOWS = (5_000,)
_JOINERS = re.compile(r"(?<=\w)[-/.](?=\w)")
#: What the full-text engines put around a matched word in a snippet (turned into spans, never shown).
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


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
    snippet: str  # with MARK_OPEN/MARK_CLOSE around matched words
    terms: frozenset[str] = frozenset()  # variant terms it matched (`classifiers.search_terms`)


def terms(query: str) -> list[str]:
    return [t.lower() for t in _WORD.findall(query)][:MAX_TERMS]


def _split_numbers(text: str) -> str:
    """The text plus a copy with joiners between letters and digits spaced out, so that a file number such
    as "AZ-4711" is found by "4711" (PostgreSQL's parser reads "-4711" as a signed number)."""
    spaced = _JOINERS.sub(" ", text)
    return text if spaced == text else f"{text}\n{spaced}"


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _where_document(session: Session) -> str:
    """How to address one document's index row: FTS5 cannot index `document_id`, so on SQLite the row is
    found through `search_rowids` (a plain table, see migration 0004) instead of scanning the whole index."""
    if _sqlite(session):
        return "rowid = (SELECT fts_rowid FROM search_rowids WHERE document_id = :id)"
    return "document_id = :id"


def index_document(session: Session, document_id: str, doc_type: str, names: str, fields: str, body: str) -> None:
    """Index a newly filed document; called in the filing transaction."""
    result = session.execute(
        text(
            "INSERT INTO search_index (document_id, doc_type, names, fields, body) "
            "VALUES (:id, :doc_type, :names, :fields, :body)"
        ),
        {"id": document_id, "doc_type": doc_type, "names": names, "fields": _split_numbers(fields), "body": body},
    )
    if _sqlite(session):
        session.execute(
            text("INSERT INTO search_rowids (document_id, fts_rowid) VALUES (:id, :rowid)"),
            {"id": document_id, "rowid": result.lastrowid},  # type: ignore[attr-defined]
        )
    name_index.write_terms(session, document_id, doc_type, names, fields)


def remove(session: Session, document_id: str) -> None:
    session.execute(text(f"DELETE FROM search_index WHERE {_where_document(session)}"), {"id": document_id})
    if _sqlite(session):
        session.execute(text("DELETE FROM search_rowids WHERE document_id = :id"), {"id": document_id})
    name_index.remove_terms(session, document_id)


def reindex_fields(session: Session, document_id: str, fields: str, names: str) -> None:
    """Update the field and name text of an indexed document after a correction (the OCR text stays)."""
    session.execute(
        text(f"UPDATE search_index SET fields = :fields, names = :names WHERE {_where_document(session)}"),
        {"id": document_id, "fields": _split_numbers(fields), "names": names},
    )
    doc_type = session.execute(text("SELECT type FROM documents WHERE id = :id"), {"id": document_id}).scalar()
    name_index.rewrite_terms(session, document_id, str(doc_type or ""), names, fields)


def reindex_document(session: Session, document_id: str, doc_type: str, names: str, fields: str, body: str) -> None:
    """Replace everything indexed of a document whose pages changed (it keeps its place in the index)."""
    session.execute(
        text(
            "UPDATE search_index SET doc_type = :doc_type, names = :names, fields = :fields, body = :body "
            f"WHERE {_where_document(session)}"
        ),
        {"id": document_id, "doc_type": doc_type, "names": names, "fields": _split_numbers(fields), "body": body},
    )
    name_index.rewrite_terms(session, document_id, doc_type, names, fields)


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


def _fulltext(session: Session, query: str, scope: Scope, limit: int) -> list[RawHit]:
    """Words of the text, fields and names as written (German stems on PostgreSQL), ranked."""
    words = terms(query)
    if not words or scope.empty or limit <= 0:
        return []
    if scope.types >= ALL_TYPES and scope.own_pending_user_id is None:
        scope = Scope(types=frozenset())  # may read everything: no filter to apply (and none to pay for)
        unfiltered = True
    else:
        unfiltered = False
    if session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(session, words, scope, limit, unfiltered)
    return _search_postgres(session, words, scope, limit, unfiltered)


def _filter(scope: Scope, type_column: str, unfiltered: bool) -> str:
    return "" if unfiltered else f"AND {_scope_clause(scope, type_column)}"


def _search_sqlite(session: Session, words: Iterable[str], scope: Scope, limit: int, unfiltered: bool) -> list[RawHit]:
    # Each word quoted (no FTS syntax from users); words of 3+ letters also match as prefixes.
    match = " ".join(f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words)
    join = "JOIN documents d ON d.id = search_index.document_id" if scope.own_pending_user_id else ""
    where = f"search_index MATCH :match {_filter(scope, 'search_index.doc_type', unfiltered)}"
    params: dict[str, object] = {"match": match, "limit": limit, "pool": RANK_POOL, **_scope_params(scope)}
    params.update({"open": MARK_OPEN, "close": MARK_CLOSE})
    # Step 1: the rowid from which on the newest RANK_POOL readable matches start (FTS5 walks rowids
    # newest first and stops there); step 2 ranks only those, with the rowid range pushed into FTS5.
    cutoff_sql = text(
        f"SELECT search_index.rowid FROM search_index {join} WHERE {where} "
        "ORDER BY search_index.rowid DESC LIMIT 1 OFFSET :pool - 1"
    )
    ranked_sql = text(
        f"""
        SELECT search_index.document_id, bm25(search_index, 0, 0, 10.0, 4.0, 1.0) AS rank,
               snippet(search_index, 4, :open, :close, '…', 12) AS snip
        FROM search_index {join}
        WHERE {where} AND search_index.rowid >= :cutoff
        ORDER BY rank LIMIT :limit
        """
    )
    if scope.types:
        cutoff_sql = cutoff_sql.bindparams(bindparam("types", expanding=True))
        ranked_sql = ranked_sql.bindparams(bindparam("types", expanding=True))
    params["cutoff"] = session.execute(cutoff_sql, params).scalar() or 0
    return [RawHit(row[0], -float(row[1]), row[2] or "") for row in session.execute(ranked_sql, params)]


def _search_postgres(session: Session, words: list[str], scope: Scope, limit: int, unfiltered: bool) -> list[RawHit]:
    """Whole words and German stems; if that finds too few, word prefixes."""
    params: dict[str, object] = {f"w{i}": w for i, w in enumerate(words)}
    # Words are \w+ only (see `terms`), so they cannot carry tsquery syntax; 3+ letters match as prefixes.
    params.update({f"p{i}": f"{w}:*" if len(w) >= 3 else w for i, w in enumerate(words)})
    params.update({"phrase": " ".join(words), "limit": limit, "pool": RANK_POOL, **_scope_params(scope)})
    newest = session.execute(text("SELECT max(seq) FROM search_index")).scalar() or 0
    hits = _fulltext_postgres(session, len(words), scope, unfiltered, params, newest, prefix=False)
    if len(hits) < limit:
        seen = {h.document_id for h in hits}
        more = _fulltext_postgres(session, len(words), scope, unfiltered, params, 0, prefix=True)
        hits += [h for h in more if h.document_id not in seen]
    # Names spelt differently are the variants index's (storage.name_index): a trigram pass over every
    # document's names here cost most of a PostgreSQL search and found less.
    return hits[:limit]


def _fulltext_postgres(
    session: Session,
    n_words: int,
    scope: Scope,
    unfiltered: bool,
    params: dict[str, object],
    newest: int,
    *,
    prefix: bool,
) -> list[RawHit]:
    """Ranked full-text hits among the newest RANK_POOL matches, looking at the newest documents first."""
    simple = "to_tsquery('simple', :p{i})" if prefix else "plainto_tsquery('simple', :w{i})"
    tsquery = " && ".join(f"({simple.format(i=i)} || plainto_tsquery('german', :w{i}))" for i in range(n_words))
    join = "JOIN documents d ON d.id = s.document_id" if scope.own_pending_user_id else ""
    # "seq + 0" keeps the planner from walking the seq index backwards through every row.
    statement = text(
        f"""
        WITH q AS (SELECT {tsquery} AS tsq),
        pool AS (
            SELECT s.ctid AS tid, count(*) OVER () AS found FROM search_index s {join}, q
            WHERE s.tsv @@ q.tsq AND s.seq > :low {_filter(scope, "s.doc_type", unfiltered)}
            ORDER BY s.seq + 0 DESC LIMIT :pool
        ),
        ranked AS (
            SELECT s.document_id, s.body, q.tsq, pool.found,
                   ts_rank(s.tsv, q.tsq) + similarity(s.names, :phrase) AS score
            FROM pool JOIN search_index s ON s.ctid = pool.tid, q
            ORDER BY score DESC LIMIT :limit
        )
        SELECT document_id, score, found,
               ts_headline('simple', left(body, 20000), tsq,
                           'StartSel=\x02,StopSel=\x03,MaxWords=14,MinWords=6,MaxFragments=1') AS snip
        FROM ranked ORDER BY score DESC
        """
    )
    if scope.types:
        statement = statement.bindparams(bindparam("types", expanding=True))
    windows = [w for w in PG_WINDOWS if newest - w > 0] + [None]
    rows: list[Any] = []
    for window in windows:
        rows = list(session.execute(statement, {**params, "low": -1 if window is None else newest - window}))
        if rows and rows[0][2] >= RANK_POOL:
            break
    return [RawHit(row[0], float(row[1]), row[3] or "") for row in rows]
