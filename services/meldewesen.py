"""What the two registration-office services (`services.meldebescheinigung`,
`services.abmeldung`) share: the person as the login's identity names them, and the login
check at a configurable trust level.

Name, date of birth and address identify the person in the population register (§ 18 and
§ 17 BMG): they come from the identity of the login (`accounts.identity`), are shown read
only, and are never taken from the request's form data (a value posted under those names is
ignored). An identity without them cannot apply online.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.identity import identity_for
from accounts.trust import current_trust_level, login_url
from portal.catalogue import TrustLevel

__all__ = ["PersonApplication", "RegisteredPerson", "login_redirect", "person_application", "registered_person"]


@dataclass(frozen=True)
class RegisteredPerson:
    """The applicant as the identity provider vouched for them."""

    given_name: str
    family_name: str
    birthdate: str  # ISO 8601 date
    street_address: str
    postal_code: str
    locality: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def address_line(self) -> str:
        return f"{self.street_address}, {self.postal_code} {self.locality}"

    def as_data(self) -> dict:
        """JSON-ready, for the case's form contents."""
        return asdict(self)


def registered_person(request) -> RegisteredPerson | None:
    """The person of the login on `request`, or None if the identity lacks name, date of birth
    or address (the page then explains that the service needs them)."""
    values = identity_for(request).values
    fields = {name: str(values.get(name) or "").strip() for name in RegisteredPerson.__dataclass_fields__}
    if not all(fields.values()):
        return None
    return RegisteredPerson(**fields)


def login_redirect(request, level: str):
    """None if the citizen's login reaches `level`; else the redirect (302) to the login at that
    level, back to this page afterwards (a lower login logs in again: step-up)."""
    required = TrustLevel(level)
    current = current_trust_level(request)
    if current == TrustLevel.NONE or not current.satisfies(required):
        return redirect(login_url(required, request.get_full_path()))
    return None


@dataclass(frozen=True)
class PersonApplication:
    """A valid POST of a registration-office form: the person and the validated submission."""

    person: RegisteredPerson
    result: object  # eforms.services.SubmissionResult


def person_application(request, *, trust_level: str, definition, page, title: str) -> HttpResponse | PersonApplication:
    """The start every registration-office form shares. Returns a response — the login at
    `trust_level` (step-up), the page saying the identity lacks the person's data (400 on
    POST), the empty form on GET, the form with its errors (400) — or, for a valid POST, the
    `PersonApplication` the service files. `page(request, definition=, binding=, person=,
    errors=, status=)` renders the service's form. The person's fields are not in the form:
    whatever a request posts under their names is ignored."""
    from eforms.rendering import FormBinding
    from eforms.services import submission_validate

    login = login_redirect(request, trust_level)
    if login is not None:
        return login
    person = registered_person(request)
    if person is None:
        return render(request, "accounts/identity_incomplete.html", {"service_title": title},
                      status=400 if request.method == "POST" else 200)
    if request.method != "POST":
        return page(request, definition=definition, binding=FormBinding(definition.definition), person=person)
    result = submission_validate(definition, request.POST, request.FILES)
    if not result.is_valid:
        return page(request, definition=definition, binding=result.binding, person=person, errors=result.errors,
                    status=200 if result.binding.adding else 400)
    return PersonApplication(person=person, result=result)
