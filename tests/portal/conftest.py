"""A throwaway service and navigation item for the portal tests, registered only inside
`register_temporarily` blocks."""

from portal.catalogue import Lebenslage, NavigationItem, Service, TrustLevel

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
