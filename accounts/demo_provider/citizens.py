"""The demo persons of the demo provider: their identity data and the highest trust level
(`max_acr`) each can log in with. The provider's users are Django users with these user
names (made by `manage.py demo_oidc_provider`); the data given out comes from here."""

__all__ = ["DEMO_CITIZENS", "DEMO_DEFAULT_ACR", "acr_rank"]

#: A user not listed below logs in at the lowest level.
DEMO_DEFAULT_ACR = "STORK-QAA-Level-1"

DEMO_CITIZENS = {
    # Online ID card (eID): every level up to "hoch".
    "demo-buerger": {
        "password": "demo-buerger",
        "max_acr": "STORK-QAA-Level-4",
        "given_name": "Erika",
        "family_name": "Mustermann",
        "birthdate": "1964-08-12",
        "email": "erika.mustermann@example.org",
        "address": {"street_address": "Markt 1", "postal_code": "07545", "locality": "Gera", "country": "DE"},
    },
    # User name and password only (BundID's Basisregistrierung).
    "demo-basis": {
        "password": "demo-basis",
        "max_acr": "STORK-QAA-Level-1",
        "given_name": "Max",
        "family_name": "Muster",
        "birthdate": "1990-01-31",
        "email": "max.muster@example.org",
        "address": {"street_address": "Sorge 5", "postal_code": "07545", "locality": "Gera", "country": "DE"},
    },
}


def acr_rank(acr: str) -> int:
    """1…4 for STORK-QAA-Level-1…4, 0 for anything else."""
    prefix = "STORK-QAA-Level-"
    return int(acr[len(prefix):]) if acr.startswith(prefix) and acr[len(prefix):].isdigit() else 0
