"""The search page: spelling variants, real highlighting, German labels and dates, filters, saved searches."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from tests.web.conftest import World


def test_a_spelling_variant_finds_the_person_with_marks_and_german_labels(world: World, login: Callable) -> None:
    client = login("abh")
    html = client.get("/search", params={"q": "Kowalenko 14.03.1990"}).text
    assert "Kovalenko" in html or "KOVALENKO" in html
    assert re.search(r"<mark>[^<]*(?i:kovalenko)[^<]*</mark>", html)
    assert "<dt>Geburtsdatum</dt><dd><mark>14.03.1990</mark></dd>" in html
    fields = "".join(re.findall(r'<dl class="facts hitfields">(.*?)</dl>', html, re.S))
    assert "birth_date" not in fields and "1990-03-14" not in fields  # (the test's page text has raw keys)
    assert "[" not in re.sub(r"<[^>]+>", "", unescape(html.split('id="hits"')[1]))


def test_filters_alone_list_documents_and_keep_need_to_know(world: World, login: Callable) -> None:
    client = login("jobcenter")
    html = client.get("/search", params={"type": ["passport", "notice"]}).text
    listed = set(re.findall(r'href="/documents/(doc_[0-9a-f]+)"', html))
    assert world.documents[next(t for t in world.documents if t.value == "notice")] in listed
    assert world.documents[next(t for t in world.documents if t.value == "passport")] not in listed


def test_a_saved_search_is_listed_for_its_user_only(world: World, login: Callable) -> None:
    anna = login("abh")
    answer = anna.post(
        "/search/saved",
        data={"name": "Kovalenko offen", "params": "q=Kovalenko&status=needs_review", "csrf_token": anna.csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "status=needs_review" in answer.headers["location"]
    page = anna.get("/search").text
    assert "Kovalenko offen" in page
    assert "Kovalenko offen" not in login("integration").get("/search").text
    search_id = re.search(r"/search/saved/(srch_[0-9a-f]+)/delete", page).group(1)  # type: ignore[union-attr]
    assert login("integration").post(
        f"/search/saved/{search_id}/delete", data={"csrf_token": login("integration").csrf}
    ).status_code in (403, 404)
    anna.post(f"/search/saved/{search_id}/delete", data={"csrf_token": anna.csrf})
    assert "Kovalenko offen" not in anna.get("/search").text


def test_the_api_takes_the_same_filters(world: World, login: Callable) -> None:
    client = login("abh")
    answer = client.post("/api/v1/token", data={"username": "abh", "password": "richtig-langes-passwort-1"})
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    hits = client.get("/api/v1/search", params={"q": "Kowalenko", "type": "passport"}, headers=headers).json()
    assert [h["type"] for h in hits] == ["passport"]
    assert hits[0]["fields"] and all(isinstance(m, list) for m in hits[0]["marks"])
    assert client.get("/api/v1/search", headers=headers).status_code == 400
