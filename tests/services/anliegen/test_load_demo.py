"""`manage.py load_demo` also loads the general request's demo (hook `register_demo_data`, after the
city): the triage department, topic rules and four sample requests in different
departments and channels; idempotent."""
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, CaseMessage
from services.anliegen.models import TopicRule

pytestmark = pytest.mark.django_db


def test_load_demo_loads_the_anliegen_demo_once():
    out = io.StringIO()
    call_command("load_demo", "--reports", "5", stdout=out)
    assert "anliegen demo: triage department „Bürgerservice (zentrale Anlaufstelle)“, 5 topic rules, " \
           "4 sample requests created" in out.getvalue()
    cases = {c.submission_key: c for c in Case.objects.filter(service="anliegen").select_related("department")}
    assert {k: (c.department.slug, c.channel) for k, c in cases.items()} == {
        "demo-anliegen-1": ("ordnungsamt", "web"), "demo-anliegen-2": ("gruenflaechen", "phone"),
        "demo-anliegen-3": ("buergerservice", "counter"), "demo-anliegen-4": ("stadtreinigung", "letter")}
    assert set(CaseMessage.objects.filter(case=cases["demo-anliegen-1"]).values_list("direction", flat=True)) == {
        "to_citizen", "from_citizen"}
    assert cases["demo-anliegen-2"].due_date < timezone.localdate()  # overdue
    call_command("load_demo", stdout=(again := io.StringIO()))
    assert "0 sample requests created" in again.getvalue()
    assert (Case.objects.filter(service="anliegen").count(), TopicRule.objects.count()) == (4, 5)
