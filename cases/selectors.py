"""Reads of cases: the clerk's inbox and work screen (scoped to the clerk's departments
through `routing_rules.access`), the citizen's view by tracking token or account, and the
one overall status a citizen sees.

`CitizenCaseView` holds only what a citizen may see of their own case: their own data,
public notes, messages and the files of the messages; internal notes, participating
departments' notes and clerks' names are not in it.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from routing_rules.access import department_scope_any

from .errors import CaseNotFound
from .models import Case, CaseAttachment, CaseDepartment, CaseEvent, CaseLink, CaseMessage
from .types import case_type_get, case_type_list

__all__ = [
    "TABS", "case_list_for_staff", "case_get_for_staff", "case_get_by_token", "case_list_for_owner",
    "case_overall_status", "case_status_label", "CitizenCaseView", "case_attachment_get_for_staff",
    "department_options", "department_get", "case_for_token", "case_get_for_staff_by_reference",
    "case_attachment_get_by_token", "case_links_for_staff", "closed_filter", "new_filter",
]

TABS = ("new", "open", "overdue", "all")
# secrets.token_urlsafe: URL-safe base64 characters only.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _query_text(value, max_length: int) -> str:
    """User input for a lookup: without NUL characters (PostgreSQL refuses them), shortened."""
    return str(value or "").replace("\x00", "").strip()[:max_length]


def closed_filter() -> Q:
    """Closed cases: `closed_at` is set on entering a closed status of the case's type and
    cleared on leaving it (`services.case_status_change`, `case_merge`), so the condition is one
    column, whatever the number of case types."""
    return Q(closed_at__isnull=False)


def new_filter() -> Q:
    """Cases in the initial status of their type (new, not yet taken up). Types that share an
    initial status (all of today's use "new") share one term: `status = … AND service IN (…)`."""
    services_by_status: dict[str, list[str]] = {}
    for case_type in case_type_list():
        services_by_status.setdefault(case_type.initial_status, []).append(case_type.slug)
    condition = Q(pk__in=[])
    for status, slugs in services_by_status.items():
        condition |= Q(status=status, service__in=slugs)
    return condition


def _staff_scope(queryset: QuerySet, *, user, literal_ids: bool = False, every_row: bool = False) -> QuerySet:
    return department_scope_any(queryset, user=user, paths=("department", "participations__department"),
                                literal_ids=literal_ids, every_row=every_row)


def case_list_for_staff(*, user, tab: str = "open", service: str = "", department: str = "", q: str = "",
                        today: date | None = None, literal_ids: bool = False, every_row: bool = False
                        ) -> QuerySet[Case]:
    """The cases of the clerk's departments (lead or participating), whatever the service
    (`literal_ids`, `every_row` for counts: see `routing_rules.access.department_scope_any`).

    Tabs: "new" (initial status of its type, open), "open" (not closed), "overdue" (open and
    due before today), "all". Each case carries `unread_messages` (the citizen's messages not
    yet opened by a clerk, or None). Filters: service slug, department slug (lead), `q` matching the
    reference, contact name or email, title or description (case-insensitive).
    """
    today = today or timezone.localdate()
    unread = (CaseMessage.objects.filter(case=OuterRef("pk"), direction=CaseMessage.Direction.FROM_CITIZEN,
                                         read_at__isnull=True)
              .order_by().values("case").annotate(n=Count("pk")).values("n"))
    qs = (_staff_scope(Case.objects.all(), user=user, literal_ids=literal_ids, every_row=every_row)
          .select_related("department")
          .annotate(unread_messages=Subquery(unread, output_field=IntegerField())))
    closed = closed_filter()
    if tab == "new":
        qs = qs.filter(new_filter())
    elif tab == "overdue":
        qs = qs.exclude(closed).filter(due_date__lt=today)
    elif tab != "all":
        qs = qs.exclude(closed)
    service, department = _query_text(service, 60), _query_text(department, 50)
    if service:
        qs = qs.filter(service=service)
    if department:
        qs = qs.filter(department__slug=department)
    q = _query_text(q, 200)
    if q:
        qs = qs.filter(Q(reference__iexact=q) | Q(contact_name__icontains=q) | Q(contact_email__icontains=q)
                       | Q(title__icontains=q) | Q(description__icontains=q))
    order = ("due_date", "created_at") if tab == "overdue" else ("-created_at",)
    return qs.order_by(*order, "pk")


def case_get_for_staff(*, user, pk: int) -> Case:
    """One case of the clerk's departments with its history, messages, departments and files;
    CaseNotFound (404) otherwise."""
    case = (
        _staff_scope(Case.objects.filter(pk=pk), user=user)
        .select_related("department", "owner", "merged_into")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
            Prefetch("messages",
                     queryset=CaseMessage.objects.select_related("author").prefetch_related("attachments")),
            Prefetch("participations",
                     queryset=CaseDepartment.objects.select_related("department").order_by("role", "pk")),
            "attachments",
        )
        .first()
    )
    if case is None:
        raise CaseNotFound()
    return case


def case_attachment_get_for_staff(*, user, pk: int) -> CaseAttachment:
    """An attachment of a case the clerk may see; CaseNotFound (404) otherwise."""
    cases = _staff_scope(Case.objects.all(), user=user).values("pk")
    attachment = CaseAttachment.objects.filter(pk=pk, case__in=cases).first()
    if attachment is None:
        raise CaseNotFound()
    return attachment


def case_status_label(case: Case) -> str:
    """The clerk's label of the case's status."""
    case_type = case_type_get(case.service)
    return case_type.status_label(case.status) if case_type else case.status


def case_overall_status(case: Case) -> str:
    """The one status a citizen sees (the case type's `public_status_label`)."""
    case_type = case_type_get(case.service)
    if case_type is None:
        return case.status
    states = [p.state for p in case.participations.all() if p.role == CaseDepartment.Role.PARTICIPANT]
    return case_type.public_status_label(case.status, department_states=states)


@dataclass(frozen=True)
class CitizenEvent:
    created_at: object
    kind: str
    status_label: str
    note_public: str


@dataclass(frozen=True)
class CitizenCaseView:
    """What a citizen sees of their case (see the module docstring)."""

    tracking_token: str
    reference: str
    service: str
    title: str
    description: str
    contact_name: str
    created_at: object
    closed: bool
    overall_status: str
    events: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    notify_citizen: bool = True


def _citizen_view(case: Case) -> CitizenCaseView:
    case_type = case_type_get(case.service)
    events = [
        CitizenEvent(created_at=e.created_at, kind=e.kind,
                     status_label=(case_type.public_status_label(e.to_status) if case_type and e.to_status else ""),
                     note_public=e.note_public)
        for e in case.events.all() if e.kind in (CaseEvent.Kind.CREATED, CaseEvent.Kind.STATUS, CaseEvent.Kind.MERGE)
    ]
    return CitizenCaseView(
        tracking_token=case.tracking_token, reference=case.reference, service=case.service, title=case.title,
        description=case.description,
        contact_name=case.contact_name, created_at=case.created_at,
        closed=bool(case_type and case_type.is_closed(case.status)), overall_status=case_overall_status(case),
        events=events, messages=list(case.messages.all()), notify_citizen=case.notify_citizen,
    )


def case_get_by_token(*, token: str) -> CitizenCaseView:
    """The citizen's view of the case with this tracking token; CaseNotFound (404) otherwise."""
    if not _TOKEN_RE.match(token or ""):
        raise CaseNotFound()
    case = (
        Case.objects.filter(tracking_token=token)
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.only(
                "pk", "case_id", "kind", "to_status", "note_public", "created_at")),
            Prefetch("messages", queryset=CaseMessage.objects.only(
                "pk", "case_id", "direction", "body", "created_at").prefetch_related(
                Prefetch("attachments", queryset=CaseAttachment.objects.only(
                    "pk", "message_id", "original_name", "content_type", "size")))),
            Prefetch("participations", queryset=CaseDepartment.objects.only("pk", "case_id", "role", "state")),
        )
        .first()
    )
    if case is None:
        raise CaseNotFound()
    return _citizen_view(case)


def case_for_token(*, token: str) -> Case:
    """The case (model) with this tracking token, for the citizen's writes; CaseNotFound."""
    case = Case.objects.filter(tracking_token=token).first() if _TOKEN_RE.match(token or "") else None
    if case is None:
        raise CaseNotFound()
    return case


def case_list_for_owner(*, user) -> list[CitizenCaseView]:
    """The cases of a citizen account, newest first, as citizen views."""
    if user is None or not user.is_authenticated:
        return []
    cases = Case.objects.filter(owner=user).prefetch_related("events", "messages__attachments", "participations")
    return [_citizen_view(c) for c in cases.order_by("-created_at")]


def department_options() -> QuerySet:
    """The active departments a clerk may add to a case or hand it to, by name."""
    from routing_rules.models import Department

    return Department.objects.filter(is_active=True).order_by("name").only("pk", "slug", "name", "email")


def department_get(*, slug: str):
    """An active department by slug; CaseInputError (400) if there is none."""
    from django.utils.translation import gettext as _

    from .errors import CaseInputError

    department = department_options().filter(slug=_query_text(slug, 50)).first()
    if department is None:
        raise CaseInputError(_("Bitte wählen Sie einen Fachbereich."), field="department")
    return department


def case_get_for_staff_by_reference(*, user, reference: str) -> Case:
    """A case of the clerk's departments by reference number (for merging); CaseNotFound."""
    case = _staff_scope(Case.objects.filter(reference__iexact=_query_text(reference, 32)), user=user).first()
    if case is None:
        raise CaseNotFound()
    return case


def case_attachment_get_by_token(*, token: str, pk: int) -> CaseAttachment:
    """A file of a message of the case with this tracking token (what the citizen may download:
    the files of the messages both ways); CaseNotFound (404) otherwise."""
    if not _TOKEN_RE.match(token or ""):
        raise CaseNotFound()
    attachment = CaseAttachment.objects.filter(pk=pk, case__tracking_token=token, message__isnull=False).first()
    if attachment is None:
        raise CaseNotFound()
    return attachment


@dataclass(frozen=True)
class LinkedCase:
    """A case linked to the one on the work screen: its reference and status label, and
    whether this clerk may open it (`visible`; otherwise only the number is shown)."""

    pk: int
    reference: str
    status_label: str
    visible: bool


def case_links_for_staff(*, user, case: Case) -> list[LinkedCase]:
    """The cases linked to `case` (either side of the pair), by reference; only the reference
    and status of a case outside the clerk's departments, never its contents."""
    links = CaseLink.objects.filter(Q(first=case) | Q(second=case)).values_list("first_id", "second_id")
    other_ids = {a if b == case.pk else b for a, b in links}
    visible = set(_staff_scope(Case.objects.filter(pk__in=other_ids), user=user).values_list("pk", flat=True))
    others = Case.objects.filter(pk__in=other_ids).only("pk", "reference", "service", "status").order_by("reference")
    return [LinkedCase(pk=o.pk, reference=o.reference, status_label=case_status_label(o), visible=o.pk in visible)
            for o in others]
