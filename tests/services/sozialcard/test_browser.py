"""In Chromium: the Sozialcard's start page and the section "Meine Karten" of `/konto/` have no
axe-core WCAG 2.1 A/AA violation at 390 and 1280 px, in German and English, and read the
same without JavaScript."""
import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from services.sozialcard.services import card_issue
from tests.accounts.test_browser import log_in
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations

from .conftest import PERSON

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("viewport", "js"), [(PHONE, True), (DESKTOP, True), (PHONE, False)],
                         ids=["390", "1280", "no-js"])
def test_start_page_and_account_card(new_context, live_server, sc, viewport, js):
    context = new_context(viewport=viewport, java_script_enabled=js)
    user = log_in(context, live_server, level="substanziell")
    today = timezone.localdate()
    card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
               valid_until=today + relativedelta(months=6), owner=user)
    page = context.new_page()
    page.goto("/sozialcard/")
    expect(page.locator("h1")).to_have_text("Sozialcard und Ermäßigungsprogramme")
    expect(page.locator("#programm-sozialcard")).to_contain_text("ab 6 Jahren")
    assert not js or axe_violations(page) == []
    page.goto("/konto/")
    card = page.locator(".account-card")
    expect(card.locator("h3")).to_have_text("Sozialcard: Karla")
    expect(card.locator(".card-state")).to_have_text("gültig")
    assert not js or axe_violations(page) == []


def test_english(new_context, live_server, sc):
    context = new_context(viewport=PHONE, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    page.goto("/sozialcard/")
    expect(page.locator("h1")).to_have_text("Social card and discount programmes")
    expect(page.locator("#programm-sozialcard h3")).to_have_text("Social card")
    assert axe_violations(page) == []
