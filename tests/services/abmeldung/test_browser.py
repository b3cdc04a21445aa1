"""In Chromium: the deregistration form (with a household member added without JavaScript),
its error summary and the receipt have no axe-core WCAG 2.1 A/AA violation at 390 and
1280 px, in German and English."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from tests.accounts.test_browser import log_in
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("viewport", "js"), [(PHONE, True), (DESKTOP, True), (PHONE, False)],
                         ids=["390", "1280", "no-js"])
def test_pages_are_accessible_and_work_without_javascript(new_context, live_server, office, viewport, js):
    context = new_context(viewport=viewport, java_script_enabled=js)
    log_in(context, live_server, level="hoch")
    page = context.new_page()
    page.goto("/abmeldung-ausland/")
    expect(page.locator("h1")).to_have_text("Abmeldung ins Ausland")
    assert not js or axe_violations(page) == []
    too_late = (timezone.localdate() + timedelta(days=30)).isoformat()  # a date input takes ISO
    page.get_by_label("Tag des Auszugs").fill(too_late)
    page.get_by_label("Straße und Hausnummer").fill("Praterstraße 1")
    page.get_by_label("Ort", exact=True).fill("Wien")
    page.get_by_label("Staat").select_option("AT")
    page.get_by_label("Ich behalte keine Wohnung in Deutschland").check()
    page.get_by_role("button", name="Abmeldung absenden").click()
    expect(page.locator("#error-summary")).to_contain_text("Der Tag des Auszugs muss zwischen dem")
    assert not js or axe_violations(page) == []
    page.get_by_label("Tag des Auszugs").fill(timezone.localdate().isoformat())
    page.get_by_label("Ich behalte keine Wohnung in Deutschland").check()
    page.get_by_role("button", name="Abmeldung absenden").click()
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert case.data["new_address"]["country"] == "AT"
    assert not js or axe_violations(page) == []


def test_english_page_is_accessible(new_context, live_server, office):
    context = new_context(viewport=DESKTOP, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    log_in(context, live_server, level="hoch")
    page = context.new_page()
    page.goto("/abmeldung-ausland/")
    expect(page.locator("h1")).to_have_text("Deregistration when moving abroad")
    assert axe_violations(page) == []
