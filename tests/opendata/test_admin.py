"""The catalogue admin: every page loads, a new API token is shown once, uploads get
size and hash, saving a dataset refreshes metadata_modified and the search index."""
import hashlib
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opendata.models import ApiToken, Dataset, Group, Organization, OrganizationMember, Resource, Tag
from tests.opendata.factories import DatasetFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Organization, OrganizationMember, Group, Tag, Dataset, Resource, ApiToken])
def test_admin_pages_load(admin_client, org, editor, model):
    ResourceFactory(package=DatasetFactory(owner_org=org, tags=["a1"]))
    opts = model._meta
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_dataset_change_page_with_resources(admin_client, org):
    dataset = DatasetFactory(owner_org=org)
    ResourceFactory(package=dataset)
    assert admin_client.get(reverse("admin:opendata_dataset_change", args=[dataset.pk])).status_code == 200


def test_admin_creates_token_and_shows_it_once(admin_client, editor, ckan, org):
    response = admin_client.post(reverse("admin:opendata_apitoken_add"), {"user": editor.pk, "name": "Portal"},
                                 follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in get_messages(response.wsgi_request)] or [
        m.message for m in response.context["messages"]]
    raw = next(part for part in shown[0].replace("<", " ").replace(">", " ").split() if len(part) >= 40)
    assert token.token_hash == ApiToken.digest(raw)
    assert ckan("package_create", {"name": "admin-token", "owner_org": org.name}, token=raw).status_code == 200
    change_page = admin_client.get(reverse("admin:opendata_apitoken_change", args=[token.pk])).content.decode()
    assert raw not in change_page


def test_admin_upload_gets_size_hash_and_reindexes(admin_client, org):
    content = b'{"type": "FeatureCollection", "features": []}'
    url = reverse("admin:opendata_dataset_add")
    data = {
        "name": "im-admin", "title": "Im Admin angelegt", "notes": "", "owner_org": org.pk, "state": "active",
        "license_id": "dl-zero-de/2.0", "extras": "{}", "spatial": "",
        "resources-TOTAL_FORMS": "1", "resources-INITIAL_FORMS": "0", "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "1000", "resources-0-name": "Flächen", "resources-0-position": "0",
        "resources-0-upload": SimpleUploadedFile("flaechen.geojson", content, content_type="application/geo+json"),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    resource = Resource.objects.get()
    assert resource.url_type == "upload"
    assert resource.size == len(content) and resource.hash == hashlib.sha256(content).hexdigest()
    assert resource.format == "GeoJSON" and resource.mimetype == "application/geo+json"
    assert Dataset.objects.filter(search_vector="admin").exists()
    assert Dataset.objects.get().creator_user.is_superuser


def test_membership_inline_saves(admin_client, org):
    user = UserFactory()
    url = reverse("admin:opendata_organization_change", args=[org.pk])
    response = admin_client.post(url, {
        "name": org.name, "title": org.title, "description": "", "image_url": "", "email": "", "homepage": "",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000", "memberships-0-user": user.pk, "memberships-0-capacity": "admin",
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert OrganizationMember.objects.get().capacity == "admin"


def test_resource_admin_upload(admin_client, org):
    dataset = DatasetFactory(owner_org=org)
    response = admin_client.post(reverse("admin:opendata_resource_add"), {
        "package": dataset.pk, "name": "Tabelle", "position": "0", "extras": "{}",
        "upload": SimpleUploadedFile("tabelle.csv", b"a;b\n", content_type="text/csv"),
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    resource = Resource.objects.get()
    assert (resource.url_type, resource.size, resource.format) == ("upload", 4, "CSV")
    assert resource.hash == hashlib.sha256(b"a;b\n").hexdigest()


def test_resource_admin_keeps_what_an_ingest_wrote_after_the_form_was_read(admin_client, org, monkeypatch):
    """An ingest commits between the admin's read of the resource and its save (here: inside
    `save_form`): the saved row keeps the ingest's result and features version."""
    from opendata.admin import ResourceAdmin

    resource = ResourceFactory(package=DatasetFactory(owner_org=org), name="Alt", url="", url_type="upload",
                               upload=SimpleUploadedFile("sperrungen.geojson", b"{}"), geo_ingest={"status": "pending"})
    ingested, version = {"status": "ok", "feature_count": 2}, uuid.uuid4()
    save_form = ResourceAdmin.save_form

    def ingest_commits_meanwhile(self, request, form, change):
        Resource.objects.filter(pk=resource.pk).update(geo_ingest=ingested, features_version=version)
        return save_form(self, request, form, change)

    monkeypatch.setattr(ResourceAdmin, "save_form", ingest_commits_meanwhile)
    response = admin_client.post(reverse("admin:opendata_resource_change", args=[resource.pk]), {
        "package": resource.package_id, "name": "Neu", "position": "0", "extras": "{}"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    resource.refresh_from_db()
    assert (resource.name, resource.geo_ingest, resource.features_version) == ("Neu", ingested, version)
