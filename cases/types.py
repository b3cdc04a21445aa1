"""Case types: what a service declares about its cases (the hook `register_case_type`).

    from portal import hooks
    from cases.types import CaseType

    @hooks.register("register_case_type")
    def anliegen_case_type():
        return CaseType(slug="anliegen", reference_prefix="AN", statuses=[...], ...)

The slug is the service's slug (`portal.catalogue.Service.slug`). `cases.checks` validates
every declaration at start-up (ids `cases.E001`…). The registry is read on every call (no
cache), so `portal.hooks.register_temporarily` works in tests.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from portal import hooks

__all__ = ["HOOK", "CaseType", "case_type_get", "case_type_list"]

HOOK = "register_case_type"


@dataclass(frozen=True)
class CaseType:
    """The workflow of one service's cases.

    `statuses`: (value, label) pairs, labels lazily translated; `closed_statuses`: the values
    that end a case (closed_at is set on entering one); `transitions`: status → the statuses
    a clerk may move it to; `initial_status`: the status of a new case; `sla_days`: working
    days from filing to the due date (None: no due date); `merged_status`: the closed status
    a duplicate gets when merged into its original (None: this type cannot merge);
    `public_labels`: the citizen's wording of internal statuses (several internal statuses
    may read the same, e.g. "In Bearbeitung"); missing ones use the status label;
    `escalation_departments`: slugs of departments told, besides the lead department, when a
    case passes its due date (`cases.escalation`), e.g. a central triage team.

    For delivery routes to a specialist system (`cases.delivery`, e.g. FIT-Connect):
    `delivered_status`, the status a case takes once the route handed it over;
    `accepted_status` and `rejected_status`, the statuses the system's accept and reject
    answers map to (None: the route changes no status, it only writes the message).
    """

    slug: str
    reference_prefix: str
    statuses: tuple
    closed_statuses: frozenset
    transitions: dict
    initial_status: str
    sla_days: int | None = None
    merged_status: str | None = None
    public_labels: dict = field(default_factory=dict)
    escalation_departments: tuple = ()
    delivered_status: str | None = None
    accepted_status: str | None = None
    rejected_status: str | None = None

    def __post_init__(self):
        # Accept lists and sets from declarations; keep the dataclass hashable-ish and immutable.
        object.__setattr__(self, "statuses", tuple(tuple(s) for s in self.statuses))
        object.__setattr__(self, "closed_statuses", frozenset(self.closed_statuses))
        object.__setattr__(self, "transitions", {k: tuple(v) for k, v in self.transitions.items()})
        object.__setattr__(self, "escalation_departments", tuple(self.escalation_departments))

    def __hash__(self) -> int:
        # The generated hash would fail on the dict fields; slug and prefix identify a type.
        return hash((self.slug, self.reference_prefix))

    @property
    def status_values(self) -> list[str]:
        return [value for value, _label in self.statuses]

    def status_label(self, status: str) -> str:
        """The clerk's label of a status (the value itself if unknown)."""
        return str(dict(self.statuses).get(status, status))

    def is_closed(self, status: str) -> bool:
        return status in self.closed_statuses

    def transitions_from(self, status: str) -> tuple:
        """The statuses a clerk may set from `status`."""
        return self.transitions.get(status, ())

    def public_status_label(self, status: str, *, department_states=()) -> str:
        """The one overall status a citizen sees. `department_states` are the states ("open",
        "done") of the participating departments: an open case whose participants are all
        done reads as its status; the default rule ignores them, a case type that needs
        another rule subclasses CaseType and overrides this method."""
        return str(self.public_labels.get(status) or self.status_label(status))


def case_type_list() -> list[CaseType]:
    """Every declared case type, in hook order (invalid returns are left to the checks)."""
    return [ct for ct in (fn() for fn in hooks.get_hooks(HOOK)) if isinstance(ct, CaseType)]


def case_type_get(slug: str) -> CaseType | None:
    """The case type of the service `slug`, or None."""
    for case_type in case_type_list():
        if case_type.slug == slug:
            return case_type
    return None
