"""The download view for uploaded resources (opendata.views): visibility, headers, links."""
import pytest

from opendata.models import Dataset
from tests.opendata.factories import DatasetFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()["result"]


def test_download_of_public_upload(upload, ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org)
    result = ok(upload("resource_create", {"package_id": dataset.name}, editor_token,
                            content=b"a,b\n1,2\n", filename="werte.csv"))
    path = "/" + result["url"].split("://", 1)[1].split("/", 1)[1]
    response = ckan.client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
    assert response["Content-Disposition"] == 'attachment; filename="werte.csv"'
    bare = ckan.client.get(path.rsplit("/", 1)[0])
    assert bare.status_code == 200
    wrong_dataset = path.replace(str(dataset.id), str(DatasetFactory(owner_org=org).id))
    assert ckan.client.get(wrong_dataset).status_code == 404


def test_download_of_private_or_deleted_dataset(upload, ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org, private=True)
    url = ok(upload("resource_create", {"package_id": dataset.name}, editor_token))["url"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert ckan.client.get(path).status_code == 404
    assert ckan.client.get(path, HTTP_AUTHORIZATION=editor_token).status_code == 200
    Dataset.objects.filter(pk=dataset.pk).update(state="deleted")
    assert ckan.client.get(path, HTTP_AUTHORIZATION=editor_token).status_code == 404


def test_download_of_link_redirects(ckan, org):
    resource = ResourceFactory(package=DatasetFactory(owner_org=org), url="https://daten.example.org/a.csv")
    response = ckan.client.get(f"/dataset/{resource.package_id}/resource/{resource.id}/download")
    assert response.status_code == 302 and response["Location"] == "https://daten.example.org/a.csv"
