"""System checks of the declared case types, so a bad declaration fails at start-up.

cases.E001 a `register_case_type` hook returned no CaseType; cases.E002 slug used twice;
cases.E003 reference prefix not 2–5 capital letters or used twice; cases.E004 initial status,
closed status or merged status not among the statuses; cases.E005 a transition from or to
an unknown status; cases.E006 duplicate status values; cases.E007 sla_days negative.
"""
import re

from django.core import checks

from portal import hooks

from .types import HOOK, CaseType

PREFIX_RE = re.compile(r"^[A-Z]{2,5}$")


def _type_errors(ct: CaseType, slugs: set, prefixes: set) -> list[checks.Error]:
    where = f"register_case_type: {ct.slug!r}"
    errors = []
    values = ct.status_values
    known = set(values)
    if ct.slug in slugs:
        errors.append(checks.Error(f"{where}: slug registered twice.", id="cases.E002"))
    slugs.add(ct.slug)
    if not PREFIX_RE.match(ct.reference_prefix or ""):
        errors.append(checks.Error(f"{where}: reference prefix must be 2-5 capital letters.", id="cases.E003"))
    elif ct.reference_prefix in prefixes:
        errors.append(checks.Error(f"{where}: reference prefix {ct.reference_prefix!r} used twice.",
                                   id="cases.E003"))
    prefixes.add(ct.reference_prefix)
    extra = [ct.initial_status, *ct.closed_statuses] + ([ct.merged_status] if ct.merged_status else [])
    for status in extra:
        if status not in known:
            errors.append(checks.Error(f"{where}: unknown status {status!r}.", id="cases.E004"))
    if ct.merged_status and ct.merged_status not in ct.closed_statuses:
        errors.append(checks.Error(f"{where}: merged status must be closed.", id="cases.E004"))
    for source, targets in ct.transitions.items():
        for status in (source, *targets):
            if status not in known:
                errors.append(checks.Error(f"{where}: transition with unknown status {status!r}.",
                                           id="cases.E005"))
    if len(values) != len(known):
        errors.append(checks.Error(f"{where}: duplicate status values.", id="cases.E006"))
    if ct.sla_days is not None and ct.sla_days < 0:
        errors.append(checks.Error(f"{where}: sla_days must not be negative.", id="cases.E007"))
    return errors


@checks.register()
def case_types_check(app_configs=None, **kwargs) -> list[checks.Error]:
    """Validate every `register_case_type` declaration."""
    errors, slugs, prefixes = [], set(), set()
    for fn in hooks.get_hooks(HOOK):
        ct = fn()
        if not isinstance(ct, CaseType):
            errors.append(checks.Error(f"register_case_type hook {fn.__qualname__} returned {ct!r}, "
                                       "not a CaseType.", id="cases.E001"))
            continue
        errors.extend(_type_errors(ct, slugs, prefixes))
    return errors
