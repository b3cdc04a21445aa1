"""The hook ``register_case_actions``: a service's action links on the shared case work screen.
Generic: any service may add some for its cases, the screen shows them with their description,
something else than a CaseAction is left out, and without a hook the section is not there."""
import pytest
from django.test import Client

from cases.actions import CaseAction, case_actions
from portal import hooks

pytestmark = pytest.mark.django_db


def _testdienst_actions(*, case, user):
    if case.service != "testdienst":
        return []
    return [CaseAction(label="Prüfen", url=f"/probe/{case.pk}/", description="im Fachverfahren"), "kein Link"]


def test_a_service_contributes_actions_through_the_hook(org, make_case):
    case = make_case()
    clerk = Client()
    clerk.force_login(org.anna)
    assert 'id="service-actions"' not in clerk.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").content.decode()
    with hooks.register_temporarily("register_case_actions", _testdienst_actions):
        assert case_actions(case=case, user=org.anna) == [
            CaseAction(label="Prüfen", url=f"/probe/{case.pk}/", description="im Fachverfahren")]
        page = clerk.get(f"/sachbearbeitung/vorgaenge/{case.pk}/")
        html = page.content.decode()
        assert page.status_code == 200 and 'id="service-actions"' in html
        assert (f'<li><a class="button" href="/probe/{case.pk}/">Prüfen</a> '
                '<span class="muted">im Fachverfahren</span></li>') in html
        case.service = "anderer"  # another service's case: this hook offers nothing
        assert case_actions(case=case, user=org.anna) == []
    assert case_actions(case=case, user=org.anna) == []
