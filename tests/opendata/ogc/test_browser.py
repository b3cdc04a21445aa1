"""The HTML encoding of the OGC API in Chromium: axe-core (WCAG 2.1 A/AA) finds nothing on
the landing page, the collections, one collection, its items and one feature; browsers
get HTML through their Accept header, without `f=html`."""
import pytest

from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_html_pages_have_no_axe_violations(new_context, ogc_data, viewport):
    page = new_context(viewport=viewport).new_page()
    report = ogc_data.visible[0]
    pages = [
        ("/ogc/", "Stadtmelder – Offene Daten – OGC API Features"),
        ("/ogc/collections", "Sammlungen"),
        ("/ogc/collections/reports", "Meldungen"),
        ("/ogc/collections/reports/items?limit=10&offset=10", "Objekte: Meldungen"),
        (f"/ogc/collections/reports/items/{report.pk}", f"Objekt {report.pk}"),
        ("/ogc/conformance", "Konformitätsklassen"),
    ]
    for path, heading in pages:
        response = page.goto(path)
        assert response.status == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8", path
        assert page.locator("h1").inner_text() == heading
        assert axe_violations(page) == [], path
    page.goto("/ogc/collections/reports/items")
    if viewport == DESKTOP:
        screenshot(page, "ogc-items")


def test_paging_through_items_by_keyboard(page, ogc_data):
    page.goto("/ogc/collections/reports/items?limit=10")
    assert page.locator("p.ogc-intro").inner_text() == "Objekte 1 bis 10 von 24."
    page.get_by_role("link", name="Nächste Seite").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/items?*offset=10*")
    assert "Objekte 11 bis 20 von 24." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Vorige Seite").is_visible()
