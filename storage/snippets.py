"""What a hit shows: the fields the query matched and a passage of the text, with the spans that matched.

Spans, not markup: the web app escapes the text and wraps the spans in `<mark>`, the CLI makes them bold,
the API hands them on. A field matches when one of its words stands for a term the variants index matched
(`Сиротенко` for a query `Sirotenko`), when a word starts with a query word, or when its date or number is
the one asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from classifiers.search_terms import NAME_FIELDS, fold, name_words, value_terms, word_terms
from schemas.search_hit import HitField
from storage.search import MARK_CLOSE, MARK_OPEN, RawHit, terms

_LINE = re.compile(r"^([a-z_]+): (.*)$")
_WORDS = re.compile(r"\w+", re.UNICODE)
BODY_CHARS = 20_000


@dataclass(frozen=True)
class Snippet:
    text: str
    marks: tuple[tuple[int, int], ...]
    fields: tuple[HitField, ...]


def _indexed(session: Session, ids: list[str]) -> dict[str, tuple[str, str, str]]:
    if not ids:
        return {}
    if session.get_bind().dialect.name == "sqlite":
        sql = (
            "SELECT r.document_id, s.names, s.fields, substr(s.body, 1, :n) FROM search_rowids r "
            "JOIN search_index s ON s.rowid = r.fts_rowid WHERE r.document_id IN :ids"
        )
    else:
        sql = "SELECT document_id, names, fields, left(body, :n) FROM search_index WHERE document_id IN :ids"
    statement = text(sql).bindparams(bindparam("ids", expanding=True))
    return {
        row[0]: (row[1] or "", row[2] or "", row[3] or "")
        for row in session.execute(statement, {"ids": ids, "n": BODY_CHARS})
    }


def from_marked(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text and spans from text with MARK_OPEN/MARK_CLOSE around matched words."""
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    start = 0
    length = 0
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", marked):
        if piece == MARK_OPEN:
            start = length
        elif piece == MARK_CLOSE:
            marks.append((start, length))
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), tuple(marks)


def _word_marks(value: str, matched: frozenset[str], words: tuple[str, ...]) -> list[tuple[int, int]]:
    marks: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\W\d_]+(?:[-‐'’][^\W\d_]+)*", value):
        word = m.group(0)
        folded = fold(word)
        if any(folded.startswith(w) for w in words if len(w) >= 3) or any(t in matched for t, _ in word_terms(word)):
            marks.append((m.start(), m.end()))
    return marks


def _fields(field_text: str, matched: frozenset[str], words: tuple[str, ...]) -> tuple[HitField, ...]:
    seen: dict[str, str] = {}
    for line in field_text.splitlines():
        m = _LINE.match(line)
        if m and m.group(1) not in seen:  # the index holds a second copy with numbers spaced out
            seen[m.group(1)] = m.group(2)
    out: list[HitField] = []
    for key, value in seen.items():
        marks: list[tuple[int, int]]
        if key in NAME_FIELDS:
            marks = _word_marks(value, matched, words)
        elif value_terms(key, value) & matched or any(fold(value).startswith(w) for w in words if len(w) >= 3):
            marks = [(0, len(value))]
        else:
            marks = [(m.start(), m.end()) for m in _WORDS.finditer(value) if fold(m.group(0)) in words]
        if marks:
            out.append(HitField(name=key, value=value, marks=tuple(marks)))
    return tuple(out)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Where words beginning with one of `wanted` stand in `text`, ignoring case, each to the end of its word
    (what `\\b(?:w1|w2)\\w*` finds). Found with `str.find`: a regular expression compiled per hit (each
    document brings its own name words) cost more than the rest of the snippet."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer (İ): positions would shift
        pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, wanted), key=len, reverse=True)) + r")\w*", re.I)
        return [(m.start(), m.end()) for m in pattern.finditer(text)]
    starts: dict[int, int] = {}
    for word in {w.lower() for w in wanted if w}:
        at = lower.find(word)
        while at >= 0:
            if (at == 0 or not _is_word(lower[at - 1])) and _is_word(word[0]) and at not in starts:
                end = at + len(word)
                while end < len(lower) and _is_word(lower[end]):
                    end += 1
                starts[at] = end
            at = lower.find(word, at + 1)
    spans: list[tuple[int, int]] = []
    for start in sorted(starts):
        if not spans or start >= spans[-1][1]:
            spans.append((start, starts[start]))
    return spans


def _body_passage(body: str, names: str, matched: frozenset[str], query_words: list[str]) -> Snippet:
    """A window of the text around the first word that matched: a query word, or a name word of the
    document whose spelling the query matched (a query in Latin letters finds the Cyrillic name)."""
    wanted = {w for w in name_words(names) if any(t in matched for t, _ in word_terms(w))}
    wanted |= {w for w in query_words if len(w) >= 3}
    if not body.strip():
        return Snippet("", (), ())
    found = _word_spans(body, wanted) if wanted else []
    at = found[0][0] if found else 0
    start = body.rfind(" ", 0, max(0, at - 40)) + 1 if at > 40 else 0
    end = body.find(" ", at + 120)
    end = len(body) if end < 0 else end
    text_ = ("…" if start > 0 else "") + " ".join(body[start:end].split()) + ("…" if end < len(body) else "")
    return Snippet(text_, tuple(_word_spans(text_, wanted)) if wanted else (), ())


def snippets(session: Session, hits: list[RawHit], query: str) -> dict[str, Snippet]:
    """A snippet per hit: its matched fields and a passage of its text."""
    typed = terms(query)
    words = tuple(dict.fromkeys(fold(w) for w in typed))
    indexed = _indexed(session, [h.document_id for h in hits])
    out: dict[str, Snippet] = {}
    for hit in hits:
        names, field_text, body = indexed.get(hit.document_id, ("", "", ""))
        fields = _fields(field_text, hit.terms, words)
        if hit.snippet:
            plain, marks = from_marked(hit.snippet)
            passage = Snippet(" ".join(plain.split()) if not marks else plain, marks, ())
        else:
            passage = _body_passage(body, names, hit.terms, typed) if query else Snippet("", (), ())
        out[hit.document_id] = Snippet(passage.text, passage.marks, fields)
    return out
