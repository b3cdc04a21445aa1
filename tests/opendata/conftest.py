"""Fixtures for the open data tests: uploads in tmp storage, an organisation with an
editor and a token, a logged-in superuser's client for the admin, the live server as the
site, and a helper calling the Action API like a CKAN client does."""
import json

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opendata.models import Resource
from tests.opendata.factories import OrganizationFactory, UserFactory, member_add, token_for


@pytest.fixture(autouse=True)
def _resource_storage_in_tmp(_eager_celery_and_tmp_media, monkeypatch):
    """The upload FileField resolved its storage at import time: point it at tmp."""
    monkeypatch.setattr(Resource._meta.get_field("upload"), "storage", storages["private"])


@pytest.fixture
def org(db):
    return OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")


@pytest.fixture
def editor(org):
    user = UserFactory(username="redakteurin")
    member_add(org, user, "editor")
    return user


@pytest.fixture
def editor_token(editor):
    return token_for(editor)


@pytest.fixture
def admin_client(db):
    """A test client logged in as a superuser (username "root"), for the Django admin."""
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def site(live_server, settings):
    """The live server's URL, also used for the absolute URLs the API and DCAT write."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def ckan():
    """call(action, data=None, *, token=None, method="POST", **extra) → response."""
    client = Client()

    def call(action, data=None, *, token=None, method="POST", path="/api/3/action/", **extra):
        headers = {"HTTP_AUTHORIZATION": token} if token else {}
        if method == "GET":
            return client.get(path + action, data or {}, **headers, **extra)
        return client.post(path + action, json.dumps(data or {}), content_type="application/json",
                           **headers, **extra)

    call.client = client
    return call


@pytest.fixture
def upload(ckan):
    """upload(action, fields, token, content=…, filename=…) → response of a multipart
    POST with the file in the `upload` field, as ckanapi sends resource uploads."""
    def call(action, fields, token, content=b"lon,lat,name\n12.08,50.88,Baustelle\n",
             filename="baustellen.csv", content_type="text/csv"):
        data = {**fields, "upload": SimpleUploadedFile(filename, content, content_type=content_type)}
        return ckan.client.post(f"/api/3/action/{action}", data, HTTP_AUTHORIZATION=token)
    return call
