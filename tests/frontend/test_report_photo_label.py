"""The photo field says "erforderlich" (and is `required`) for categories that need a photo —
without JavaScript (step 2 and a preselected category) and with it (switching categories)."""
import re

import pytest
from playwright.sync_api import expect

from reporter.models import Report
from tests.factories import CategoryFactory, city_build
from tests.fixtures_browser import axe_violations

KEY = "b" * 32


def photo_input(html: str) -> str:
    return re.search(r'<input type="file" name="photos"[^>]*>', html).group(0)


def photo_label(html: str) -> str:
    return re.search(r'<label for="id_photos"[^>]*>([^<]*)</label>', html).group(1)


@pytest.fixture
def city(db):
    city = city_build()
    CategoryFactory(slug="muell", name="Illegale Müllablagerung", photo_required=True,
                    default_department=city.department, order=5)
    return city


def step2(client, category):
    """Step 1 sent: the page of step 2 for `category`."""
    return client.post("/melden/", {"step": "ort", "category": category, "lon": "12.05", "lat": "50.875"})


def test_without_javascript_step2_says_required_for_a_photo_category(client, city):
    html = step2(client, "muell").content.decode()
    assert photo_label(html) == "Fotos (erforderlich)"
    assert " required" in photo_input(html)

    html = step2(client, "schlagloch").content.decode()
    assert photo_label(html) == "Fotos (freiwillig)"
    assert " required" not in photo_input(html)


def test_without_a_photo_the_required_field_answers_400_and_files_nothing(client, city):
    response = client.post("/melden/", {"step": "senden", "category": "muell", "lon": "12.05", "lat": "50.875",
                                        "submission_key": KEY})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<li><a href="#id_photos">Für diese Kategorie ist ein Foto erforderlich.</a></li>' in html
    assert photo_label(html) == "Fotos (erforderlich)"
    assert not Report.objects.exists()


def test_preselected_category_sets_the_label_on_the_first_page(client, city):
    html = client.get("/melden/", {"kategorie": "muell"}).content.decode()
    assert photo_label(html) == "Fotos (erforderlich)" and " required" in photo_input(html)
    html = client.get("/melden/").content.decode()
    assert photo_label(html) == "Fotos (freiwillig)" and " required" not in photo_input(html)
    assert 'data-label-required="Fotos (erforderlich)"' in html


@pytest.mark.django_db(transaction=True)
def test_with_javascript_the_label_follows_the_chosen_category(new_context):
    city_build()
    CategoryFactory(slug="muell", name="Illegale Müllablagerung", photo_required=True, order=5)
    page = new_context().new_page()
    page.goto("/melden/")
    label, field = page.locator("label[for=id_photos]"), page.locator("#id_photos")
    expect(label).to_have_text("Fotos (freiwillig)")
    page.get_by_label("Illegale Müllablagerung").check()
    expect(label).to_have_text("Fotos (erforderlich)")
    assert field.evaluate("el => el.required") is True
    page.get_by_label("Schlagloch").check()
    expect(label).to_have_text("Fotos (freiwillig)")
    assert field.evaluate("el => el.required") is False
    page.get_by_label("Illegale Müllablagerung").check()
    assert axe_violations(page) == []
