"""The Sozialcard's action on the shared case work screen: "Entscheiden" → its decision page,
while the application is open (German and English); none on other services' cases."""
import pytest
from django.test import Client

from cases.actions import case_actions
from cases.models import Case

from .test_application import KID, _apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(sc):
    _apply(Client(), sc, members=[KID])
    clerk = Client()
    clerk.force_login(sc.sina)
    return Case.objects.get(), clerk


def test_the_case_screen_links_to_the_decision_page_while_open(sc, filed):
    case, clerk = filed
    page = clerk.get(f"/sachbearbeitung/vorgaenge/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<a class="button" href="/sachbearbeitung/sozialcard/{case.pk}/">Entscheiden</a>' in html
    english = Client(headers={"accept-language": "en"})
    english.force_login(sc.sina)
    assert ">Decide</a>" in english.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").content.decode()
    Case.objects.filter(pk=case.pk).update(status="approved")
    assert 'id="service-actions"' not in clerk.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").content.decode()


def test_other_services_get_no_sozialcard_action(sc, filed):
    case, _clerk = filed
    case.service = "anliegen"
    assert case_actions(case=case, user=sc.sina) == []
