"""Fixtures of the registration certificate's tests (shared with the deregistration's)."""
from tests.cases.conftest import PDF, _fast_passwords, _private_files, upload  # noqa: F401
from tests.services.meldewesen_fixtures import ERIKA_CLAIMS, erika, login_as, office  # noqa: F401


def form_data(**extra) -> dict:
    """A valid filling-in of the form (the bundled definition), for me only, PDF in the account."""
    data = {"kind": "einfach", "for_whom": "ich", "purpose": "Vorlage beim Arbeitgeber", "delivery": "konto",
            "declaration": "on", "submission_key": "mb-0001", "_submit": "1"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}
