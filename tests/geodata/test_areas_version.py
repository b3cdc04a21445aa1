"""`JurisdictionLayer.areas_version` (the ETag of the layer's vector tiles) changes in the
transaction of every write of the layer's areas: import, replace, admin edit, admin delete;
and only the written layer's. An admin edit takes the layer's row before the area's, as the
import does: the two wait for each other, they do not deadlock (two connections)."""
import threading

import pytest

from geodata.models import JurisdictionArea, JurisdictionLayer
from geodata.services import area_save, layer_import
from tests.concurrency import run_until_a_lock_wait
from tests.factories import AreaFactory, LayerFactory
from tests.geodata.test_importers import GERA_RING, feature, geojson_write, polygon


def _version(layer) -> str:
    return JurisdictionLayer.objects.values_list("areas_version", flat=True).get(pk=layer.pk).hex


def _gera(tmp_path, name: str):
    return geojson_write(tmp_path / f"{name}.geojson", [feature(polygon(GERA_RING), name=name)])


@pytest.mark.django_db
def test_import_and_replace_give_a_new_version(tmp_path):
    other = AreaFactory().layer
    other_version = _version(other)
    first = layer_import(path=_gera(tmp_path, "Alt"), layer_slug="stadtteile").layer
    imported = _version(first)
    layer_import(path=_gera(tmp_path, "Neu"), layer_slug="stadtteile", replace=True)
    assert _version(first) != imported
    assert _version(other) == other_version
    # Deleted and imported again under the same slug: a value the old layer never had.
    replaced = _version(first)
    JurisdictionLayer.objects.filter(pk=first.pk).delete()
    again = layer_import(path=_gera(tmp_path, "Alt"), layer_slug="stadtteile").layer
    assert _version(again) not in (imported, replaced)


@pytest.mark.django_db
def test_admin_edit_and_delete_give_a_new_version(admin_client):
    area, second = AreaFactory(name="Alt"), None
    second = AreaFactory(layer=area.layer, name="Zweites")
    other = AreaFactory()
    before, other_before = _version(area.layer), _version(other.layer)

    response = admin_client.post(f"/admin/geodata/jurisdictionarea/{area.pk}/change/",
                                 {"name": "Neu", "code": "N1", "authority": "", "attributes": "{}"})

    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.code) == ("Neu", "N1")
    edited = _version(area.layer)
    assert edited != before
    assert _version(other.layer) == other_before

    response = admin_client.post(f"/admin/geodata/jurisdictionarea/{second.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not JurisdictionArea.objects.filter(pk=second.pk).exists()
    deleted = _version(area.layer)
    assert deleted != edited

    response = admin_client.post("/admin/geodata/jurisdictionarea/", {
        "action": "delete_selected", "_selected_action": [area.pk, other.pk], "post": "yes"})

    assert response.status_code == 302
    assert JurisdictionArea.objects.count() == 0
    assert _version(area.layer) != deleted
    assert _version(other.layer) != other_before


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_and_an_import_of_the_same_layer_do_not_deadlock(tmp_path, monkeypatch):
    """The edit has updated its area and holds it; an import replacing the layer comes. The
    edit holds the layer's row too (taken first), so the import waits for the layer and
    proceeds when the edit commits. Had the edit taken the area's row before the layer's, the
    import would hold the layer and wait for the area, the edit wait for the layer: a deadlock."""
    area = AreaFactory(layer=LayerFactory(slug="stadtteile"), name="Alt")
    path = _gera(tmp_path, "Importiert")
    saved, import_waits = threading.Event(), threading.Event()
    save = JurisdictionArea.save

    def save_then_hold(self, *args, **kwargs):
        save(self, *args, **kwargs)
        saved.set()
        import_waits.wait(30)

    monkeypatch.setattr(JurisdictionArea, "save", save_then_hold)

    def edit():
        area.name = "Bearbeitet"
        area_save(area=area)
        return "ok"

    def replace():
        saved.wait(30)
        return layer_import(path=path, layer_slug="stadtteile", replace=True).created

    # The edit goes on when the import waits.
    results, waited = run_until_a_lock_wait(ready=saved, release=import_waits, edit=edit, replace=replace)
    assert waited
    assert results == {"edit": "ok", "replace": 1}
    assert list(JurisdictionArea.objects.values_list("name", flat=True)) == ["Importiert"]
