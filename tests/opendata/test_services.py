"""Services beyond what the API tests show: a failed write leaves no stored file behind,
tokens are random and stored as hashes, dataset_touch refreshes the index."""
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from opendata import services
from opendata.auth import Actor
from opendata.models import ApiToken, Dataset, Resource
from opendata.search.query import text_search_query
from tests.opendata.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def test_failed_resource_write_removes_the_stored_file(org, editor, monkeypatch):
    dataset = DatasetFactory(owner_org=org)
    stored = []
    original_store = services.resource_file_store

    def store_then_remember(*, resource, upload):
        original_store(resource=resource, upload=upload)
        stored.append(resource.upload.name)

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "resource_file_store", store_then_remember)
    monkeypatch.setattr(Resource, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.resource_create(actor=Actor(user=editor), data={
            "package_id": dataset.name, "upload": SimpleUploadedFile("a.csv", b"x,y\n", content_type="text/csv")})
    assert stored and not storages["private"].exists(stored[0])
    assert Resource.objects.count() == 0


def test_api_tokens_are_random_and_hashed(editor):
    first, raw_first = services.api_token_create(user=editor, name="eins")
    second, raw_second = services.api_token_create(user=editor, name="zwei")
    assert raw_first != raw_second and len(raw_first) >= 40
    assert {first.token_hash, second.token_hash} == {ApiToken.digest(raw_first), ApiToken.digest(raw_second)}
    services.api_token_revoke(token=first)
    first.refresh_from_db()
    assert first.revoked is True


def test_dataset_touch_reindexes(org):
    dataset = DatasetFactory(owner_org=org, title="Alt")
    Dataset.objects.filter(pk=dataset.pk).update(title="Spielplätze")
    matches = Dataset.objects.filter(search_vector=text_search_query("Spielplatz"))
    assert not matches.exists()
    before = dataset.metadata_modified
    services.dataset_touch(dataset=dataset)
    dataset.refresh_from_db()
    assert list(matches) == [dataset]
    assert dataset.metadata_modified > before
