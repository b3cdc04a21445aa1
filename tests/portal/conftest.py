"""A throwaway service, navigation item and inbox source for the portal tests, registered only
inside `register_temporarily` blocks; the plug-in services of `services/` are hidden here, so
the portal's tests see the core's registrations only, whatever a city installs."""
from datetime import UTC, datetime

import pytest
from django.db.models import DateField, Value
from django.db.models.functions import Cast, Concat

from portal import hooks
from portal.catalogue import Lebenslage, NavigationItem, Service, TrustLevel
from portal.inbox import InboxSource, inbox_values
from routing_rules.access import department_scope
from routing_rules.models import Department


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


class WohngeldInboxSource(InboxSource):
    """A throwaway inbox source: one "application" per department of the clerk (rows of the
    departments table dressed as inbox rows), to show that a source plugs in alone."""

    kind = "wohngeld"
    label = "Wohngeldantrag"
    label_plural = "Wohngeldanträge"

    def services(self):
        return ["wohngeld-test"]

    def items(self, *, user, filters, today):
        rows = department_scope(Department.objects.all(), user=user, path="")
        if filters.department_ids:
            rows = rows.filter(pk__in=filters.department_ids)
        if filters.search:
            rows = rows.filter(name__icontains=filters.search)
        return inbox_values(
            rows, kind=Value(self.kind), id="pk", reference=Concat(Value("WG-"), "slug"),
            title=Value("Antrag auf Wohngeld"), service=Value("wohngeld-test"), status=Value("neu"),
            department_id="pk", department="name", created_at=Value(datetime(2026, 1, 5, 9, 0, tzinfo=UTC)),
            due_date=Cast(Value(None), DateField()), is_open=Value(True), is_new=Value(True))

    def url(self, pk):
        return "/statistik/"
