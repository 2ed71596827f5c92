"""Passport review with both zones: the visual-zone boxes beside the MRZ boxes, the cross-check's findings
in German on the field they concern, and the page image only for a reader of the document, audited."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.web.conftest import World, file_zone_passport
from tests.web.test_german_screens import problems


def test_the_review_draws_both_zones_and_says_on_the_field_what_the_visual_zone_shows(
    world: World, login: Callable
) -> None:
    passport = file_zone_passport(world.archive)
    client = login("abh")
    page = client.get(f"/documents/{passport}/review").text
    boxes = dict(re.findall(r'<rect id="box-([a-z_]+-(?:mrz|viz))"[^>]*class="fieldbox ([a-z ]+)"', page))
    for name in ("surname", "given_names", "document_number", "birth_date", "expiry_date"):
        assert f"{name}-mrz" in boxes and f"{name}-viz" in boxes, name
    assert boxes["birth_date-viz"] == "viz contradicted" and boxes["surname-viz"] == "viz"
    assert "box-nationality-mrz" in page and "box-nationality-viz" not in page  # the VIZ does not print UKR
    # focusing a field lights up its boxes in both zones
    assert 'data-box="box-birth_date-mrz box-birth_date-viz"' in page
    birth = re.search(r'<ul class="zone-findings" id="zone-birth_date">(.*?)</ul>', page, re.S)
    assert birth and "gedruckt steht „01 JAN 1988“" in birth.group(1) and "MRZ: „850101“" in birth.group(1)
    surname = re.search(r'<ul class="zone-findings" id="zone-surname">(.*?)</ul>', page, re.S)
    assert surname and "Sichtzone bestätigt: „TKACHENKO“" in surname.group(1)
    # the contradicted field is no longer shown as read with 99 % certainty
    assert re.search(r'class="field low contradicted">\s*<label for="f-birth_date">', page)
    assert problems(page) == []
    assert 'class="fieldbox viz' in client.get(f"/documents/{passport}").text  # the document page draws them too


def test_the_page_under_the_boxes_is_read_only_by_a_reader_of_the_document_and_audited(
    world: World, login: Callable
) -> None:
    passport = file_zone_passport(world.archive)
    assert login("jobcenter").get(f"/documents/{passport}/review").status_code == 403
    assert login("jobcenter").get(f"/documents/{passport}/pages/1.png").status_code == 403
    assert login("abh").get(f"/documents/{passport}/pages/1.png").status_code == 200
    trail = world.archive.audit_log(world.actors["revision"], limit=1000)  # type: ignore[attr-defined]
    seen = {(e.actor, e.action) for e in trail if e.object_id == passport}
    assert ("jobcenter", "read_denied") in seen and ("abh", "read") in seen
