"""The account pages in a real browser: 0 axe-core violations (WCAG 2.1 A/AA) at 390 px and
1280 px in every state, no sideways scrolling on phones, German and English, and the email
login and the account deletion done with the keyboard alone, with and without JavaScript."""
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from accounts.models import EmailLoginToken
from accounts.sections import AccountSection
from accounts.trust import SESSION_CLAIMS, SESSION_LEVEL
from accounts.views import BACKEND
from portal import hooks
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()


def log_in(context, live_server, *, level="basisregistrierung"):
    """A citizen session cookie in the browser context; the user."""
    user = User(username="buerger-browser", email="erika@example.org")
    user.set_unusable_password()
    user.save()
    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": BACKEND,
                    "_auth_user_hash": user.get_session_auth_hash(), SESSION_LEVEL: level,
                    SESSION_CLAIMS: {"given_name": "Erika", "family_name": "Mustermann", "street_address": "Markt 1",
                                     "postal_code": "07545", "locality": "Gera", "birthdate": "1964-08-12"}})
    session.create()
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key,
                          "url": live_server.url}])
    return user


def cases_section(request):
    return AccountSection(title="Meine Vorgänge", template_name="accounts/sections/links.html",
                          context={"items": [{"label": "ANL-2026-000001", "url": "/leistungen/",
                                              "detail": "in Arbeit"}]},
                          order=10)


def check(page, viewport, url, status=200):
    response = page.goto(url)
    assert response.status == status, url
    assert axe_violations(page) == [], url
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_on_any_account_page(new_context, live_server, settings, viewport):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "OIDC_ISSUER": "http://127.0.0.1:9/none", "OIDC_CLIENT_ID": "x",
                         "HTTP_TIMEOUT": 1.0}
    name = "phone" if viewport == PHONE else "desktop"
    context = new_context(viewport=viewport)
    page = context.new_page()
    check(page, viewport, "/konto/anmelden/?next=/konto/")
    screenshot(page, f"konto-anmelden-{name}")
    check(page, viewport, "/konto/anmelden/?stufe=hoch")
    check(page, viewport, "/konto/anmelden/email/")
    page.click("main button[type=submit]")  # empty: the error state
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    check(page, viewport, "/konto/anmelden/oidc/", status=502)  # provider unreachable: the error page
    check(page, viewport, "/konto/oidc/callback/?state=x&code=y", status=400)
    check(page, viewport, "/konto/anmelden/email/some-token/")

    log_in(context, live_server)
    with hooks.register_temporarily("register_account_section", cases_section):
        check(page, viewport, "/konto/")
        screenshot(page, f"konto-{name}")
    check(page, viewport, "/konto/anmelden/?stufe=substanziell&next=/konto/")  # the step-up notice
    expect(page.locator("#step-up-notice")).to_be_visible()
    check(page, viewport, "/konto/loeschen/")
    page.click("main button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/konto/")
    expect(page.locator("h1")).to_have_text("My account")
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_demo_provider_login_page_has_no_axe_violations(new_context, live_server, settings, viewport):
    settings.ROOT_URLCONF = "tests.accounts.urls_with_provider"
    page = new_context(viewport=viewport).new_page()
    check(page, viewport, "/demo-oidc/anmelden/?next=/demo-oidc/authorize/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.click("main button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []


def tab_to(page, selector_js: str, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector_js!r})"):
            return
    raise AssertionError(f"{selector_js} not reached with Tab")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_email_login_with_the_keyboard_alone(new_context, javascript):
    page = new_context(viewport=DESKTOP, java_script_enabled=javascript).new_page()
    page.goto("/konto/anmelden/")
    tab_to(page, "a[href='/konto/anmelden/email/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/anmelden/email/")
    tab_to(page, "#id_email")
    page.keyboard.type("erika@example.org")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Bitte sehen Sie in Ihr Postfach")
    assert wait_for(page, lambda: EmailLoginToken.objects.filter(email="erika@example.org").exists())


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_account_deletion_with_the_keyboard_alone(new_context, live_server, javascript):
    context = new_context(viewport=DESKTOP, java_script_enabled=javascript)
    user = log_in(context, live_server)
    page = context.new_page()
    page.goto("/konto/")
    tab_to(page, "a[href='/konto/loeschen/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/loeschen/")
    tab_to(page, "#id_confirm")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Ihr Konto ist gelöscht")
    assert wait_for(page, lambda: not User.objects.filter(pk=user.pk).exists())
