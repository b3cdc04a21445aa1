"""`manage.py fitconnect_demo_destinations`: the registration office's demo destinations and the
sender's configuration for the local test server, from its state directory."""
import io
import shlex

import pytest
from django.core.management import CommandError, call_command

from fitconnect_sender.models import FitConnectDestination
from routing_rules.models import Department

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("fitconnect_demo_destinations", *args, stdout=out)
    return out.getvalue()


def test_destinations_for_both_services_are_made_once(fitconnect_server):
    destination_id = fitconnect_server.config["destinationId"]
    assert _run("--state", str(fitconnect_server.state)).splitlines() == [
        f"FIT-Connect: buergeramt / meldebescheinigung → {destination_id}",
        f"FIT-Connect: buergeramt / abmeldung → {destination_id}"]
    _run("--state", str(fitconnect_server.state))  # idempotent
    office = Department.objects.get(slug="buergeramt")
    rows = FitConnectDestination.objects.filter(department=office).order_by("service")
    assert [(r.service, str(r.destination_id), r.is_active) for r in rows] == [
        ("abmeldung", destination_id, True), ("meldebescheinigung", destination_id, True)]


def test_print_env_gives_the_sender_configuration(fitconnect_server):
    out = _run("--state", str(fitconnect_server.state), "--print-env", fitconnect_server.url)
    exports = dict(shlex.split(line)[1].split("=", 1) for line in out.splitlines())
    sender = fitconnect_server.config["sender"]
    assert exports["FITCONNECT_TOKEN_URL"] == f"{fitconnect_server.url}/token"
    assert exports["FITCONNECT_SUBMISSION_API_URL"] == f"{fitconnect_server.url}/v1"
    assert (exports["FITCONNECT_CLIENT_ID"], exports["FITCONNECT_CLIENT_SECRET"]) == (
        sender["clientId"], sender["clientSecret"])
    assert exports["FITCONNECT_TRUSTED_CA_FILE"].endswith("ca.pem")
    assert len(exports["FITCONNECT_CALLBACK_SECRET"]) >= 32
    again = _run("--state", str(fitconnect_server.state), "--print-env", fitconnect_server.url)
    assert again == out  # the callback secret is made once


def test_a_missing_state_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no FIT-Connect test server state"):
        _run("--state", str(tmp_path / "nirgends"))
    assert not FitConnectDestination.objects.exists()
