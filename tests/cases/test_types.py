"""Case types: the selector and the system checks of bad declarations."""
from django.utils.translation import gettext_lazy as _

from cases.checks import case_types_check
from cases.types import CaseType, case_type_get, case_type_list
from portal import hooks


def _type(**kwargs):
    values = {"slug": "zweiter", "reference_prefix": "ZW", "statuses": [("new", _("Neu")), ("done", _("Fertig"))],
              "closed_statuses": {"done"}, "transitions": {"new": ("done",)}, "initial_status": "new"}
    values.update(kwargs)
    return CaseType(**values)


def test_selector_finds_the_registered_type(case_type):
    assert case_type_get("testdienst") is case_type
    assert case_type_get("gibtsnicht") is None
    assert case_type in case_type_list()


def test_public_label_maps_internal_statuses(case_type):
    assert case_type.public_status_label("waiting") == "In Bearbeitung"
    assert case_type.public_status_label("done") == "Erledigt"


def test_valid_declarations_pass_the_checks():
    assert case_types_check() == []


def _ids(fn):
    with hooks.register_temporarily("register_case_type", fn):
        return [e.id for e in case_types_check()]


def test_not_a_case_type_is_e001():
    assert _ids(lambda: "kaputt") == ["cases.E001"]


def test_duplicate_slug_is_e002_and_duplicate_prefix_e003():
    assert _ids(lambda: _type(slug="testdienst", reference_prefix="XY")) == ["cases.E002"]
    assert _ids(lambda: _type(reference_prefix="TD")) == ["cases.E003"]
    assert _ids(lambda: _type(reference_prefix="t1")) == ["cases.E003"]


def test_unknown_statuses_are_e004_and_e005():
    assert _ids(lambda: _type(initial_status="offen")) == ["cases.E004"]
    assert _ids(lambda: _type(transitions={"new": ("archiv",)})) == ["cases.E005"]
    assert _ids(lambda: _type(sla_days=-1)) == ["cases.E007"]
