"""Demo data shared by the two registration services (`services.abmeldung`,
`services.meldebescheinigung`): the demo citizen as the population register knows her, and the
registration office (Bürgeramt, Meldebehörde) with the demo clerk as member. Only the demo
loaders (`<service>.demo`) use this module."""
from django.contrib.auth import get_user_model

from routing_rules.models import Department
from services.meldewesen import RegisteredPerson

__all__ = ["DEMO_PERSON", "registration_office"]

#: The demo citizen of the demo provider (accounts.demo_provider.citizens), the samples' person.
DEMO_PERSON = RegisteredPerson(given_name="Erika", family_name="Mustermann", birthdate="1964-08-12",
                               street_address="Markt 1", postal_code="07545", locality="Gera")
_OFFICE = ("Bürgeramt (Meldebehörde)", "buergeramt@gera.example")


def registration_office(slug: str) -> Department:
    """The registration office with the demo clerk as member (created once)."""
    office, _created = Department.objects.get_or_create(slug=slug, defaults={"name": _OFFICE[0], "email": _OFFICE[1]})
    clerk = get_user_model().objects.filter(username="sachbearbeitung").first()
    if clerk is not None:
        office.members.add(clerk)
    return office
