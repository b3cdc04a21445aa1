"""The registration certificate's demo (hook `register_demo_data`, run by `manage.py load_demo`):
the registration office, the form and one sample certificate application (paid, in the office's
inbox). Idempotent (fixed submission key)."""
from django.contrib.auth import get_user_model

from services.demo import DEMO_PERSON, registration_office

from .conf import meldebescheinigung_setting
from .services import case_data_build, form_definition_ensure, meldebescheinigung_file

__all__ = ["meldebescheinigung_demo_load"]


def meldebescheinigung_demo_load(*, stdout) -> None:
    """See the module docstring; one line of output to `stdout`."""
    registration_office(meldebescheinigung_setting("DEPARTMENT"))
    definition = form_definition_ensure()
    owner = get_user_model().objects.filter(username="demo-buerger").first()
    data = case_data_build(person=DEMO_PERSON, values={
        "kind": "einfach", "for_whom": "ich", "purpose": "Vorlage beim Arbeitgeber", "delivery": "konto"})
    data["payment"] = {"provider": "demo", "reference": "demo", "amount_cents": data["fee_cents"]}
    case = meldebescheinigung_file(data=data, owner=owner, contact_email="erika.mustermann@example.org",
                                   language="de", submission_key="demo-meldebescheinigung-1",
                                   form_version=f"{definition.slug}@{definition.version}")
    stdout.write(f"meldebescheinigung demo: sample application {case.reference}")
