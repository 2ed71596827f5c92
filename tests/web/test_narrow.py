"""Every page is usable on a phone: at 390 px wide nothing scrolls sideways (Debian's Chromium, Playwright)."""

from __future__ import annotations

import pytest

from schemas.documents import DocumentType
from tests.web.test_browser import Server, browser, server, shot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
WIDTH = 390


@pytest.fixture
def phone(browser: object) -> object:  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="de-DE", is_mobile=True)  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def overflow(page: object) -> list[str]:
    """How far the page is wider than the screen, and the elements that stick out."""
    return page.evaluate(  # type: ignore[attr-defined, no-any-return]
        """(width) => {
            const out = [];
            const page = document.documentElement.scrollWidth;
            if (page > width + 1) out.push('page ' + page);
            const inScrollBox = (el) => {
                for (let p = el.parentElement; p; p = p.parentElement) {
                    const o = getComputedStyle(p).overflowX;
                    const boxed = o === 'auto' || o === 'scroll' || o === 'hidden';
                    if (boxed && p.getBoundingClientRect().right <= width + 1) return true;
                }
                return false;
            };
            for (const el of document.querySelectorAll('body *')) {
                if (inScrollBox(el)) continue;  // a wide table scrolls inside its own box, not the page
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
                    const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
                    out.push(name + ' ' + Math.round(r.right));
                }
            }
            return out.slice(0, 8);
        }""",
        WIDTH,
    )


def test_no_page_scrolls_sideways_at_390_px(server: Server, phone: object) -> None:  # noqa: F811
    docs = server.documents
    journeys = {
        None: ["/login"],
        "empfang": ["/intake"],
        "abh": [
            "/search",
            "/search?q=Kovalenko",
            "/search?q=Kovalenko&type=passport&status=filed&sort=newest",
            f"/persons/{server.person_id}",
            f"/documents/{docs[DocumentType.PASSPORT]}",
            f"/documents/{docs[DocumentType.PASSPORT]}/review",
            f"/documents/{docs[DocumentType.RESIDENCE_PERMIT]}/review",
            f"/documents/{server.zone_passport}/review",  # both zones' boxes and the findings under the fields
            f"/documents/{server.xss_document}",
            "/documents/doc_ffffffffffff",
        ],
        "archiv": ["/admin"],
        "revision": ["/admin/audit"],
    }
    found: list[str] = []
    for user, paths in journeys.items():
        phone.context.clear_cookies()  # type: ignore[attr-defined]
        if user:
            sign_in(phone, server, user)
        for path in paths:
            phone.goto(server.url + path)  # type: ignore[attr-defined]
            phone.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
            problems = overflow(phone)
            if problems:
                shot(phone, f"390-{(user or 'anon')}-{path.strip('/').replace('/', '-')[:40]}")
                found.append(f"{user} {path}: {problems}")
    assert found == [], "\n".join(found)


def test_passport_review_shows_both_zones_on_a_desk_and_a_phone(server: Server, browser: object) -> None:  # noqa: F811
    """Screenshots for the eye (var/test-artifacts/5-*), and the boxes drawn where the page shows them."""
    for name, viewport in (("5-passport-zones", {"width": 1280, "height": 1100}), ("5-passport-zones-390", None)):
        context = browser.new_context(viewport=viewport or {"width": WIDTH, "height": 844}, locale="de-DE")  # type: ignore[attr-defined]
        page = context.new_page()
        sign_in(page, server, "abh")
        page.goto(f"{server.url}/documents/{server.zone_passport}/review")
        page.focus("#f-birth_date")  # lights up its boxes in both zones
        assert page.locator("#box-birth_date-mrz.active").count() == 1
        assert page.locator("#box-birth_date-viz.active.contradicted").count() == 1
        assert page.locator("#box-surname-viz").count() == 1
        shot(page, name)
        context.close()
