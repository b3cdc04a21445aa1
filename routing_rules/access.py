"""Whose data a staff user may see: the one owner of the department scope.

A superuser sees every department; any other active user sees the departments they are a
member of (`Department.members`), and nothing else. The back office, the staff API and every
admin page that shows personal data filter through `department_scope`; admin pages of data
that cannot be scoped by department are closed to everybody but superusers
(`SuperuserOnlyAdmin`). `tests/test_admin_privacy.py` walks every admin model as a clerk.
"""
from django.contrib import admin
from django.db.models import F, Lookup, Q, QuerySet, Subquery

from .models import Department

__all__ = ["DepartmentScopedAdmin", "InArray", "SuperuserOnlyAdmin", "department_ids_of", "department_scope",
           "department_scope_any", "departments_of"]

# The attribute of a user object holding its department ids for the life of that object.
_IDS_CACHE = "_routing_rules_department_ids"


def department_scope(queryset: QuerySet, *, user, path: str = "department") -> QuerySet:
    """`queryset` limited to rows whose department (reached by the lookup `path`; "" for a
    queryset of departments) has `user` as a member; unchanged for superusers, empty for
    anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__members" if path else "members": user})


def department_scope_any(queryset: QuerySet, *, user, paths: tuple[str, ...], literal_ids: bool = False,
                         every_row: bool = False) -> QuerySet:
    """`queryset` limited to rows where ANY of the department lookups `paths` (e.g. the lead
    department and the participating ones) has `user` as a member; unchanged for superusers,
    empty for anonymous or inactive users.

    Each path is a semi-join on the user's department ids (`IN (SELECT …)`), a path through a
    to-many relation as `pk IN (…)`: no row is repeated, so no DISTINCT is needed, and the
    planner can use the department indexes and stop early under ORDER BY … LIMIT.
    `literal_ids`: the user's department ids are read first and written into the query as
    literals (one more, tiny query; better plans for lists over many rows).
    `every_row`: the caller reads every matching row (a count), not the first rows of an order;
    a to-many path becomes `pk = ANY(ARRAY(SELECT …))` (see `InArray`), which PostgreSQL
    combines with the other paths' indexes (BitmapOr) instead of scanning the whole table.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    mine = Department.objects.filter(members=user).values("pk")
    if literal_ids:
        # One small query first: with the ids as literals the planner knows how many rows one
        # department has and reads it through its index under ORDER BY … LIMIT.
        mine = list(department_ids_of(user=user))
    condition = Q()
    for path in paths:
        condition |= _in_departments(queryset.model, path, mine, every_row=every_row)
    return queryset.filter(condition)


class InArray(Lookup):
    """`lhs = ANY(ARRAY(<subquery>))`: the same rows as `lhs IN (<subquery>)`, but the subquery
    runs once as an InitPlan and its array is looked up in the index of `lhs`, so an OR of it with
    other indexed conditions becomes a BitmapOr. `IN (…)` is a hashed subplan, which is checked
    row by row: a sequential scan when it is ORed with another condition (PostgreSQL 15)."""

    lookup_name = "in_array"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)  # "(SELECT …)"
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def _is_to_many(model, path: str) -> bool:
    """Whether the lookup `path` passes a to-many relation (rows would repeat in a join)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def _in_departments(model, path: str, departments: QuerySet, *, every_row: bool = False) -> Q:
    """Rows of `model` whose department at the end of `path` is in `departments`, as semi-joins
    that never repeat a row: a to-many step becomes `pk IN (SELECT <fk> FROM <related> …)`
    (`every_row`: `pk = ANY(ARRAY(SELECT …))`, see `department_scope_any`)."""
    if not _is_to_many(model, path):
        return Q(**{f"{path}__in": departments})
    name, _sep, rest = path.partition("__")
    field = model._meta.get_field(name)
    related = field.related_model
    if field.one_to_many and rest:  # a reverse foreign key: the related rows name this row
        inner = related._base_manager.filter(_in_departments(related, rest, departments))
        return _semi_join("pk", inner.values(field.field.attname), every_row=every_row)
    if not (field.many_to_many or field.one_to_many):  # a forward relation, to-many further on
        inner = related._base_manager.filter(_in_departments(related, rest, departments))
        return _semi_join(name, inner.values("pk"), every_row=every_row)
    return _semi_join("pk", model._base_manager.filter(**{f"{path}__in": departments}).values("pk"),
                      every_row=every_row)


def _semi_join(name: str, inner: QuerySet, *, every_row: bool) -> Q:
    return Q(InArray(F(name), Subquery(inner))) if every_row else Q(**{f"{name}__in": inner})


def department_ids_of(*, user) -> tuple[int, ...]:
    """The ids of the departments `user` is a member of, read once per user object (a request
    loads its user afresh, so a page with several lists asks the database once). Not for
    superusers' "all": callers check `is_superuser` first."""
    ids = getattr(user, _IDS_CACHE, None)
    if ids is None:
        ids = tuple(Department.objects.filter(members=user).values_list("pk", flat=True))
        setattr(user, _IDS_CACHE, ids)
    return ids


def departments_of(*, user) -> QuerySet[Department]:
    """The departments whose data the user works on (all for superusers), by name."""
    return department_scope(Department.objects.order_by("name"), user=user, path="")


class DepartmentScopedAdmin(admin.ModelAdmin):
    """An admin whose lists, change pages, searches, lookups and actions see only the rows of
    the user's departments; `department_path` is the lookup from the model to its department."""

    department_path = "department"

    def get_queryset(self, request):
        return department_scope(super().get_queryset(request), user=request.user, path=self.department_path)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """An admin of data that cannot be scoped by department (the notification outbox, user
    accounts, API clients): closed to everybody but superusers, whatever their permissions."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
