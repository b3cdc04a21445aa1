"""A throwaway service and navigation item for the portal tests, registered only inside
`register_temporarily` blocks; the plug-in services of `services/` are hidden here, so the
portal's tests see the core's registrations only, whatever a city installs."""
import pytest

from portal import hooks
from portal.catalogue import Lebenslage, NavigationItem, Service, TrustLevel


@pytest.fixture(autouse=True)
def _core_registrations_only(monkeypatch):
    hooks.get_hooks("register_service")  # discover once, then filter the registry
    registry = {name: [(order, fn) for order, fn in entries if not fn.__module__.startswith("services.")]
                for name, entries in hooks._registry.items()}
    monkeypatch.setattr(hooks, "_registry", registry)

WOHNGELD_LAGE = Lebenslage("wohnen-test", "Wohnen (Test)", order=5)


def wohngeld_service():
    return Service(
        slug="wohngeld-test",
        title="Wohngeld beantragen (Test)",
        short_description="Zuschuss zur Miete für Haushalte mit geringem Einkommen.",
        audience="Mieterinnen und Mieter mit geringem Einkommen",
        trust_level=TrustLevel.SUBSTANZIELL,
        fees="keine",
        processing_time="etwa sechs Wochen",
        url_name="frontend:stats",
        lebenslagen=(WOHNGELD_LAGE,),
        leika_key="99107001000000",
        keywords=("Mietzuschuss", "Miete"),
        order=50,
    )


def wohngeld_navigation_item():
    return NavigationItem(label="Wohngeld (Test)", url_name="frontend:stats", order=60)
