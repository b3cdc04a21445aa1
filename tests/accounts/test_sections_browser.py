"""/konto/ with the services' real sections ("Meine Anliegen und Anträge", "Meine Meldungen") in
Chromium: 0 axe-core violations (WCAG 2.1 A/AA) at 390 and 1280 px, no sideways scrolling on
phones, and the email switch of a case and of a report used with the keyboard alone."""
import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Case
from portal import hooks
from reporter.models import Report, ReportOwnership
from tests.cases.conftest import PDF, TEST_TYPE, _private_files, upload  # noqa: F401 (autouse fixture)
from tests.factories import DepartmentFactory, ReportFactory, UserFactory, city_build
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot, wait_for

from .test_browser import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def case_type():
    with hooks.register_temporarily("register_case_type", lambda: TEST_TYPE):
        yield


def _fill(user):
    """A case of `user` with a department's document and an unread message, and a report."""
    department = DepartmentFactory(slug="buergeramt", name="Bürgeramt", email="buergeramt@stadt.example")
    clerk = UserFactory(username="clerk", is_staff=True)
    case, _created = case_services.case_create(service="testdienst", department=department, owner=user,
                                               title="Meldebescheinigung", contact_email="erika@example.org")
    case_services.case_message_add(case=case, body="Anbei Ihre Bescheinigung.", direction="to_citizen", author=clerk,
                                   attachments=[upload("meldebescheinigung.pdf", PDF)])
    report = ReportFactory(category=city_build().category, reporter_email="erika@example.org")
    ReportOwnership.objects.create(report=report, user=user, how="filed")
    return case, report


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with Tab")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_account_sections_are_accessible_and_switch_by_keyboard(new_context, live_server, viewport):
    context = new_context(viewport=viewport)
    user = log_in(context, live_server)
    case, report = _fill(user)
    page = context.new_page()
    response = page.goto("/konto/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Meine Anliegen und Anträge")).to_be_visible()
    expect(page.get_by_role("heading", name="Meine Meldungen")).to_be_visible()
    expect(page.get_by_role("link", name="meldebescheinigung.pdf")).to_be_visible()
    expect(page.locator(f"#vorgang-{case.reference}")).to_contain_text("1 ungelesene Nachricht")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"konto-sections-{'phone' if viewport == PHONE else 'desktop'}")

    tab_to(page, f"#vorgang-{case.reference} .notify-switch button")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_have_text(
        f"Sie erhalten keine E-Mails mehr zu Ihrem Vorgang {case.reference}.")
    expect(page.locator(f"#notify-state-{case.reference}")).to_have_text("E-Mail-Benachrichtigungen: aus")
    assert wait_for(page, lambda: Case.objects.get(pk=case.pk).notify_citizen is False)
    assert axe_violations(page) == []

    page.locator("body").focus()
    tab_to(page, f"#meldung-{report.pk} .notify-switch button")
    page.keyboard.press(" ")
    expect(page.locator(f"#notify-state-{report.pk}")).to_have_text("E-Mail-Benachrichtigungen: aus")
    assert wait_for(page, lambda: Report.objects.get(pk=report.pk).notify_reporter is False)
    assert Case.objects.get(pk=case.pk).notify_citizen is False


def test_email_switch_works_without_javascript(new_context, live_server):
    context = new_context(viewport=PHONE, java_script_enabled=False)
    user = log_in(context, live_server)
    case, _report = _fill(user)
    page = context.new_page()
    page.goto("/konto/")
    page.locator(f"#vorgang-{case.reference} .notify-switch button").click()
    expect(page.locator(f"#notify-state-{case.reference}")).to_have_text("E-Mail-Benachrichtigungen: aus")
    page.locator(f"#vorgang-{case.reference} .notify-switch button").click()
    expect(page.locator(f"#notify-state-{case.reference}")).to_have_text("E-Mail-Benachrichtigungen: an")
    assert wait_for(page, lambda: Case.objects.get(pk=case.pk).notify_citizen is True)
