"""Every admin page as a department clerk: nothing of another department's citizens shows.

The clerk holds every view/change permission of every model (the worst a city could grant),
so the test proves the admin's own scoping (`routing_rules.access`), not missing rights.
Canary values of a report in another department — name, email, phone, original text,
location text, internal note, the notification sent about it — must not appear on any
admin list, search result or change page the clerk can open.
"""
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from notifications.models import Notification
from notifications.services import notification_queue
from reporter.models import Report, StatusChange
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

CANARIES = ("Kanarienvogel Canary", "canary-7f3a@example.org", "+49 170 7737373", "KANARIENTEXT-ORIGINAL",
            "KANARIENORT-HINTERHOF", "KANARIEN-INTERNE-NOTIZ")


@pytest.fixture
def other_departments_report(django_capture_on_commit_callbacks):
    department = DepartmentFactory(slug="gruen", name="Grünflächenamt")
    category = CategoryFactory(slug="baum", default_department=department)
    report = ReportFactory(category=category, department=department, reporter_name=CANARIES[0],
                           reporter_email=CANARIES[1], reporter_phone=CANARIES[2], description=CANARIES[3],
                           location_text=CANARIES[4])
    StatusChange.objects.create(report=report, from_status="submitted", to_status="submitted",
                                note_internal=CANARIES[5], kind="note")
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        notification_queue(channel=Notification.Channel.EMAIL, recipient=CANARIES[1], event="report.created",
                           object_id=str(report.pk), subject="Ihre Meldung", body=f"Hallo {CANARIES[0]}")
    return report


@pytest.fixture
def clerk(client):
    own = DepartmentFactory(slug="tiefbau", name="Tiefbauamt")
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__regex=r"^(view|change)_"))
    own.members.add(user)
    ReportFactory(category=CategoryFactory(slug="loch", default_department=own), department=own,
                  reporter_email="own-citizen@example.org")
    client.force_login(user)
    return client


def _pages(model, model_admin):
    info = model._meta.app_label, model._meta.model_name
    try:
        changelist = reverse("admin:{}_{}_changelist".format(*info))
    except NoReverseMatch:
        return []
    pages = [changelist]
    if model_admin.search_fields:
        pages += [f"{changelist}?q={q}" for q in ("canary", "example.org", "KANARIEN", "7737373")]
    pages += [reverse("admin:{}_{}_change".format(*info), args=[pk])
              for pk in model._default_manager.values_list("pk", flat=True)[:50]]
    return pages


def test_no_admin_page_shows_another_departments_personal_data(clerk, other_departments_report):
    walked = 0
    for model, model_admin in admin.site._registry.items():
        for url in _pages(model, model_admin):
            response = clerk.get(url)
            assert response.status_code in (200, 302, 403, 404), url
            html = response.content.decode()
            for canary in CANARIES:
                assert canary not in html, f"{canary!r} on {url}"
            walked += response.status_code == 200
    assert walked > 20  # the walk really opened pages

    # The clerk's own department stays visible: scoping, not a closed admin.
    own = clerk.get(reverse("admin:reporter_report_changelist") + "?q=own-citizen")
    assert own.status_code == 200
    other = clerk.get(reverse("admin:reporter_report_change", args=[other_departments_report.pk]))
    assert other.status_code == 302  # Django's admin redirects a missing object to the index


def test_outbox_and_accounts_are_for_superusers_only(clerk, admin_client, other_departments_report):
    for name in ("notifications_notification", "auth_user", "mobile_api_crewtoken", "open311_open311client",
                 "opendata_apitoken", "axes_accessattempt", "axes_accesslog", "authtoken_tokenproxy",
                 "accounts_identity", "oauth2_provider_accesstoken", "cases_case"):
        assert clerk.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert CANARIES[1] in admin_client.get(reverse("admin:notifications_notification_changelist")).content.decode()


def test_report_admin_actions_and_lookups_are_scoped(clerk, other_departments_report):
    # The raw-id lookup popup of `duplicate_of` is the report changelist: scoped as well.
    popup = clerk.get(reverse("admin:reporter_report_changelist") + "?_popup=1&_to_field=id")
    assert popup.status_code == 200
    assert f">{other_departments_report.pk}<" not in popup.content.decode()
    assert Report.objects.count() == 2
