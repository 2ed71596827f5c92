"""Search: names in any spelling, dates, numbers and words of the text; filters, sorting, saved searches.

The query string carries the whole search (`q`, `type`, `status`, `department`, `from`, `to`, `sort`), so a
result page can be bookmarked, and a saved search is that query string kept under a name for the user.
Storage filters by the reader's rights and audits every search; this layer parses and presents.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from markupsafe import Markup, escape
from starlette.responses import RedirectResponse, Response

from schemas.documents import DocumentType
from schemas.record import Actor, Department, SearchHit
from schemas.search import SavedSearch, SearchFilters, SearchStatus, SortOrder
from schemas.strings_de import german_date, label
from web.deps import archive, render, require
from web.policy import Capability

router = APIRouter()
#: Departments a document can be filed under (the front desk and the archive keep no matters).
FILED_DEPARTMENTS = tuple(d for d in Department if d not in (Department.FRONT_DESK, Department.DATA_PROTECTION))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _enum_values(values: list[str], kind: type) -> tuple:
    out = []
    for value in values:
        try:
            out.append(kind(value))
        except ValueError:
            continue  # an outdated bookmark: ignore the value rather than fail the page
    return tuple(dict.fromkeys(out))


def filters_from(
    types: list[str], statuses: list[str], departments: list[str], filed_from: str, filed_to: str, sort: str
) -> SearchFilters:
    return SearchFilters(
        types=_enum_values(types, DocumentType),
        statuses=_enum_values(statuses, SearchStatus),
        departments=_enum_values(departments, Department),
        filed_from=_date(filed_from),
        filed_to=_date(filed_to),
        sort=(_enum_values([sort], SortOrder) or (SortOrder.RELEVANCE,))[0],
    )


def query_string(q: str, filters: SearchFilters) -> str:
    """The URL query of a search (for links and saved searches)."""
    pairs: list[tuple[str, str]] = [("q", q)] if q else []
    pairs += [("type", t.value) for t in filters.types]
    pairs += [("status", s.value) for s in filters.statuses]
    pairs += [("department", d.value) for d in filters.departments]
    pairs += [("from", filters.filed_from.isoformat())] if filters.filed_from else []
    pairs += [("to", filters.filed_to.isoformat())] if filters.filed_to else []
    pairs += [("sort", filters.sort.value)] if filters.sort is not SortOrder.RELEVANCE else []
    return urlencode(pairs)


def marked(text: str, marks: tuple[tuple[int, int], ...] | list[list[int]]) -> Markup:
    """`text` escaped, with the matched spans in <mark> (spans from storage, never markup from the text)."""
    out: list[str] = []
    at = 0
    for start, end in sorted((int(a), int(b)) for a, b in marks):
        if start < at or end > len(text) or start >= end:
            continue
        out += [str(escape(text[at:start])), "<mark>", str(escape(text[start:end])), "</mark>"]
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def hit_fields(hit: SearchHit) -> list[tuple[str, Markup]]:
    """The matched fields of a hit as (German label, value with marks); dates as German dates."""
    out: list[tuple[str, Markup]] = []
    for f in hit.fields:
        shown = german_date(f.value)
        value = marked(shown, ((0, len(shown)),)) if shown != f.value else marked(f.value, f.marks)
        out.append((label("field", f.name), value))
    return out


@router.get("/search")
def search(
    request: Request,
    q: str = Query("", max_length=200),
    type_: list[str] = Query([], alias="type"),
    status: list[str] = Query([]),
    department: list[str] = Query([]),
    filed_from: str = Query("", alias="from", max_length=10),
    filed_to: str = Query("", alias="to", max_length=10),
    sort: str = Query("relevance", max_length=20),
    actor: Actor = Depends(require(Capability.SEARCH)),
) -> Response:
    filters = filters_from(type_, status, department, filed_from, filed_to, sort)
    store = archive(request)
    asked = bool(q.strip()) or filters.narrowing
    hits = store.search(q.strip(), actor, limit=50, filters=filters) if asked else []
    template = "_hits.html" if request.headers.get("hx-request") else "search.html"
    return render(
        request,
        template,
        q=q,
        hits=hits,
        asked=asked,
        filters=filters,
        marked=marked,
        hit_fields=hit_fields,
        saved=store.saved_searches(actor),
        current=query_string(q.strip(), filters),
        types=list(DocumentType),
        statuses=list(SearchStatus),
        departments=FILED_DEPARTMENTS,
        sorts=list(SortOrder),
        query_string=query_string,
    )


@router.post("/search/saved")
def save_search(
    request: Request,
    name: str = Form(max_length=120),
    params: str = Form("", max_length=2000),
    actor: Actor = Depends(require(Capability.SEARCH)),
) -> Response:
    from urllib.parse import parse_qs

    got = parse_qs(params)
    q = (got.get("q") or [""])[0][:200]
    filters = filters_from(
        got.get("type", []),
        got.get("status", []),
        got.get("department", []),
        (got.get("from") or [""])[0],
        (got.get("to") or [""])[0],
        (got.get("sort") or ["relevance"])[0],
    )
    saved: SavedSearch = archive(request).save_search(name, q, filters, actor)
    return RedirectResponse(f"/search?{query_string(saved.query, saved.filters)}", status_code=303)


@router.post("/search/saved/{search_id}/delete")
def delete_saved_search(
    request: Request, search_id: str, actor: Actor = Depends(require(Capability.SEARCH))
) -> Response:
    archive(request).delete_saved_search(search_id[:64], actor)
    return RedirectResponse("/search", status_code=303)
