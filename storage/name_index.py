"""The variants index: spelling-proof terms per document (`search_terms`) and a trigram vocabulary of name
forms (`search_vocab`) for typos, on SQLite and PostgreSQL alike (tables of migration 0011).

A query is a set of parts (a name word, a date, a number: `classifiers.search_terms.plan`), each satisfied
by any of its terms with a weight. A document scores the sum over the parts of the best weight it matches,
so a document matching surname, given name and birth date ranks above one matching the surname only. The
reader's rights sit in the statement (`doc_type` beside every term), as in `storage.search`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from classifiers.search_terms import NAME, Part, document_terms, fuzzy_distance_ok

log = logging.getLogger(__name__)

#: Similar name forms looked at per query word (trigram candidates before the edit-distance check).
FUZZY_CANDIDATES = 40


def _dialect(conn: Connection | Session) -> str:
    return conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name


def write_terms(conn: Connection | Session, document_id: str, doc_type: str, names: str, fields: str) -> None:
    """Index a document's terms (and any name form not yet in the vocabulary)."""
    terms = sorted(t for t in document_terms(names, fields) if len(t) <= 80)
    if not terms:
        return
    sqlite = _dialect(conn) == "sqlite"
    forms = [t[len(NAME) :] for t in terms if t.startswith(NAME)]
    if forms:
        known = {
            row[0]
            for row in conn.execute(
                text("SELECT DISTINCT term FROM search_terms WHERE term IN :terms").bindparams(
                    bindparam("terms", expanding=True)
                ),
                {"terms": [NAME + f for f in forms]},
            )
        }
        new = [{"term": f} for f in forms if NAME + f not in known]
        if new:
            conn.execute(
                text(
                    "INSERT INTO search_vocab (term) VALUES (:term)"
                    if sqlite
                    else "INSERT INTO search_vocab (term) VALUES (:term) ON CONFLICT DO NOTHING"
                ),
                new,
            )
    conn.execute(
        text(
            "INSERT INTO search_terms (term, document_id, doc_type) VALUES (:term, :id, :doc_type) "
            "ON CONFLICT DO NOTHING"
        ),
        [{"term": t, "id": document_id, "doc_type": doc_type} for t in terms],
    )


def remove_terms(session: Session, document_id: str) -> None:
    session.execute(text("DELETE FROM search_terms WHERE document_id = :id"), {"id": document_id})


def rewrite_terms(session: Session, document_id: str, doc_type: str, names: str, fields: str) -> None:
    remove_terms(session, document_id)
    write_terms(session, document_id, doc_type, names, fields)


def _similar_forms(session: Session, form: str) -> list[str]:
    """Name forms in the vocabulary that share trigrams with `form` (the typo candidates)."""
    if _dialect(session) == "sqlite":
        grams = {form[i : i + 3] for i in range(len(form) - 2)}
        match = " OR ".join(f'"{g}"' for g in sorted(grams))
        statement = text("SELECT term FROM search_vocab WHERE search_vocab MATCH :m ORDER BY rank LIMIT :n")
        rows = session.execute(statement, {"m": match, "n": FUZZY_CANDIDATES})
    else:
        statement = text("SELECT term FROM search_vocab WHERE term % :form ORDER BY term <-> :form LIMIT :n")
        rows = session.execute(statement, {"form": form, "n": FUZZY_CANDIDATES})
    return [row[0] for row in rows]


def _known_forms(session: Session, parts: Sequence[Part]) -> set[str]:
    wanted = sorted({t for p in parts if p.fuzzy for t in p.terms if t.startswith(NAME)})
    if not wanted:
        return set()
    statement = text("SELECT DISTINCT term FROM search_terms WHERE term IN :terms").bindparams(
        bindparam("terms", expanding=True)
    )
    return {row[0] for row in session.execute(statement, {"terms": wanted})}


def expand_typos(session: Session, parts: Sequence[Part]) -> list[Part]:
    """The parts with name forms a typo away added as weaker alternatives: for words whose own forms are in
    no document (a name that is on file as typed is what the clerk meant; this also keeps search fast)."""
    known = _known_forms(session, parts)
    out: list[Part] = []
    for part in parts:
        if not part.fuzzy or any(t in known for t in part.terms):
            out.append(part)
            continue
        terms = dict(part.terms)
        for found in _similar_forms(session, part.fuzzy):
            weight = fuzzy_distance_ok(part.fuzzy, found)
            if weight > 0:
                terms.setdefault(NAME + found, weight)
        out.append(Part(part.text, terms, part.fuzzy))
    return out


@dataclass(frozen=True)
class TermHit:
    document_id: str
    score: float
    terms: frozenset[str]  # the terms it matched (for highlighting)


def lookup(
    session: Session, parts: Sequence[Part], type_filter: str, params: dict[str, object], limit: int
) -> list[TermHit]:
    """The best `limit` documents for the parts, by summed part weights. `type_filter` is the rights (and
    type filter) clause on `st.doc_type` with its parameters in `params` (`types` expanding)."""
    values: list[str] = []
    bind: dict[str, object] = dict(params)
    n = 0
    for p_index, part in enumerate(parts):
        for term, weight in part.terms.items():
            values.append(f"(:p{n}, :t{n}, :w{n})")
            bind.update({f"p{n}": p_index, f"t{n}": term, f"w{n}": float(weight)})
            n += 1
    if not values:
        return []
    sqlite = _dialect(session) == "sqlite"
    agg = "group_concat(term, ' ')" if sqlite else "string_agg(term, ' ')"
    cast = "" if sqlite else "::int"
    statement = text(
        f"""
        WITH q(part, term, weight) AS (VALUES {", ".join(values)}),
        per_part AS (
            SELECT st.document_id, q.part{cast} AS part, max(q.weight) AS best, {agg.replace("term", "st.term")} AS term
            FROM search_terms st JOIN q ON q.term = st.term
            WHERE 1 = 1 {type_filter}
            GROUP BY st.document_id, q.part
        )
        SELECT document_id, sum(best) AS score, {agg} AS terms FROM per_part
        GROUP BY document_id ORDER BY score DESC, document_id DESC LIMIT :limit
        """
    )
    if ":types" in type_filter:
        statement = statement.bindparams(bindparam("types", expanding=True))
    rows = session.execute(statement, {**bind, "limit": limit})
    return [TermHit(row[0], float(row[1]), frozenset((row[2] or "").split())) for row in rows]
