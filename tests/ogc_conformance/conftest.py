"""The OGC conformance runs read the same small city as the OGC API tests: public, pending
and hidden reports, the jurisdiction layers and an ingested vector dataset."""
from tests.opendata.ogc.conftest import ogc_data  # noqa: F401 — the fixture, shared
