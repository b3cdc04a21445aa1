"""Fixtures of the deregistration abroad's tests."""
from datetime import timedelta

from django.utils import timezone

from tests.cases.conftest import PDF, _fast_passwords, _private_files, upload  # noqa: F401
from tests.services.meldewesen_fixtures import ERIKA_CLAIMS, erika, login_as, office  # noqa: F401


def form_data(**extra) -> dict:
    """A valid filling-in: moving out in three days to Vienna, nobody moves too, no documents."""
    moved = timezone.localdate() + timedelta(days=3)
    data = {"move_date": moved.strftime("%d.%m.%Y"), "new_street": "Praterstraße 1", "new_postcode": "1020",
            "new_city": "Wien", "new_country": "AT", "declaration": "on", "submission_key": "ab-0001",
            "_submit": "1"}
    for group, most in (("members", 10), ("documents", 12)):  # the groups' management forms, no items
        data.update({f"{group}-TOTAL_FORMS": "0", f"{group}-INITIAL_FORMS": "0", f"{group}-MIN_NUM_FORMS": "0",
                     f"{group}-MAX_NUM_FORMS": str(most)})
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}
