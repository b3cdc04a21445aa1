"""Open311 documents as plain data: discovery, services, service definitions and service
requests (GeoReport v2). `formats` turns them into JSON or XML.

Mapping of our model onto GeoReport v2:

- a service is an active category: `service_code` = slug, `group` = category group,
  `metadata` = whether it has extra questions, `type` always "realtime" (a report gets its
  id at once);
- an attribute is one of the category's questions: text → `string`, integer → `number`,
  boolean → `singlevaluelist` (keys `true`/`false`), choice → `singlevaluelist` (key and
  name = the choice);
- a service request is a report: `status` is "open" for submitted/open/in progress and
  "closed" for every other status; `agency_responsible` is the department;
  `expected_datetime` is the end of the service-level due day (site time zone);
  `service_notice` is the category's target time (or OPEN311["SERVICE_NOTICES"][slug]);
  `zipcode` is the German postcode (five digits) of the report's address when the address
  names one; `address_id` is the id of the address register entry (`geodata.Address`) whose
  street and house number are the report's address, else empty.

Datetimes are W3C (RFC 3339: ISO 8601 with the UTC offset) in the site's time zone, to the
second, e.g. 2026-03-02T11:00:00+01:00 — the one timestamp format of this interface.
"""
import re
from datetime import date, datetime, time

from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from reporter.models import Report
from reporter.public import public_coordinate
from routing_rules.models import Category

from .conf import SPECIFICATION_URL, open311_setting
from .formats import FORMATS
from .selectors import service_list_changed_at

__all__ = [
    "endpoint_url", "discovery_data", "service_data", "service_definition_data", "service_request_data",
    "service_request_created_data", "service_notice", "token_data", "w3c_datetime", "zipcode_from_address",
]

# A German postcode: five digits standing alone ("Markt 1, 07545 Gera").
_ZIPCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_DATATYPES = {"text": "string", "integer": "number", "boolean": "singlevaluelist", "choice": "singlevaluelist"}


def _english() -> bool:
    return (get_language() or "de").startswith("en")


def w3c_datetime(value: datetime | None) -> str | None:
    """`value` as a W3C datetime with the site's UTC offset, e.g. 2026-03-02T09:15:00+01:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _due_datetime(value: date | None) -> str | None:
    if value is None:
        return None
    return w3c_datetime(timezone.make_aware(datetime.combine(value, time(23, 59, 59))))


def endpoint_url() -> str:
    """The absolute base URL of this GeoReport v2 endpoint, without a trailing slash."""
    return settings.SITE_URL + reverse("open311-services", kwargs={"fmt": "json"}).rsplit("/", 1)[0]


def discovery_data() -> dict:
    """The Service Discovery document (wiki.open311.org/Service_Discovery).

    `changeset` is when a category (service, service definition) last changed, as a W3C
    datetime in the site's time zone; OPEN311["CHANGESET"] while there are no categories.
    """
    email = settings.DEFAULT_FROM_EMAIL
    city = getattr(settings, "FRONTEND", {}).get("CITY_NAME", "")
    changed_at = service_list_changed_at()
    changeset = w3c_datetime(changed_at) if changed_at is not None else open311_setting("CHANGESET")
    return {
        "changeset": changeset,
        "contact": open311_setting("CONTACT") or _("Stadtmelder %(city)s, E-Mail: %(email)s") % {
            "city": city, "email": email},
        "key_service": open311_setting("KEY_SERVICE") or _(
            "Lesen ist ohne Schlüssel möglich. Einen API-Schlüssel (api_key) zum Melden vergibt die "
            "Stadtverwaltung auf Anfrage: %(email)s") % {"email": email},
        "endpoints": [{
            "specification": SPECIFICATION_URL,
            "url": endpoint_url(),
            "changeset": changeset,
            "type": "production",
            "formats": list(FORMATS),
        }],
    }


def _service_name(category: Category) -> str:
    return category.display_name


def service_data(category: Category) -> dict:
    """One entry of GET services."""
    days = category.sla_days
    description = ngettext("%(name)s. Zielzeit: %(days)s Arbeitstag.", "%(name)s. Zielzeit: %(days)s Arbeitstage.",
                           days) % {"name": _service_name(category), "days": days}
    if category.photo_required:
        description += " " + _("Ein Foto ist erforderlich (Feld media).")
    keywords = list(dict.fromkeys(k for k in (category.name, category.name_en, category.group) if k))
    return {
        "service_code": category.slug,
        "service_name": _service_name(category),
        "description": description,
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": category.group,
    }


def _attribute(question: dict, order: int) -> dict:
    kind = question.get("type", "text")
    label = (question.get("label_en") if _english() else None) or question["label"]
    attribute = {
        "variable": True,
        "code": question["key"],
        "datatype": _DATATYPES[kind],
        "required": bool(question.get("required")),
        "datatype_description": {
            "text": _("Text, höchstens 1000 Zeichen"), "integer": _("Ganze Zahl"),
        }.get(kind),
        "order": order,
        "description": label,
    }
    if kind == "choice":
        attribute["values"] = [{"key": str(c), "name": str(c)} for c in question["choices"]]
    elif kind == "boolean":
        attribute["values"] = [{"key": "true", "name": _("Ja")}, {"key": "false", "name": _("Nein")}]
    return attribute


def service_definition_data(category: Category) -> dict:
    """GET service definition: the category's questions as attributes, in their order."""
    return {
        "service_code": category.slug,
        "attributes": [_attribute(q, order) for order, q in enumerate(category.questions or [], start=1)],
    }


def _media_url(name: str | None) -> str | None:
    if not name:
        return None
    url = storages["default"].url(name)
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def service_notice(*, code: str, sla_days: int) -> str:
    """What the city does with a request of this service (GeoReport v2 `service_notice`):
    OPEN311["SERVICE_NOTICES"][code] if set, else the category's target time."""
    configured = (open311_setting("SERVICE_NOTICES") or {}).get(code)
    if configured:
        return str(configured)
    return ngettext("Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von %(days)s Arbeitstag.",
                    "Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von %(days)s Arbeitstagen.",
                    sla_days) % {"days": sla_days}


def zipcode_from_address(address: str | None) -> str | None:
    """The five-digit postcode named in `address`, or None."""
    match = _ZIPCODE.search(address or "")
    return match.group(0) if match else None


def service_request_data(row: dict) -> dict:
    """One service request from a row of `selectors.service_request_list` (public fields only)."""
    name = row["category__name_en"] if _english() and row["category__name_en"] else row["category__name"]
    return {
        "service_request_id": row["id"],
        "status": "open" if row["status"] in Report.OPEN_STATUSES else "closed",
        "status_notes": row["status_notes"] or None,
        "service_name": name,
        "service_code": row["category__slug"],
        "description": row["public_text"] or None,
        "agency_responsible": row["department__name"],
        "service_notice": service_notice(code=row["category__slug"], sla_days=row["category__sla_days"]),
        "requested_datetime": w3c_datetime(row["created_at"]),
        "updated_datetime": w3c_datetime(row["updated_at"]),
        "expected_datetime": _due_datetime(row["due_date"]),
        "address": row["address"] or None,
        "address_id": str(row["address_id"]) if row.get("address_id") else None,
        "zipcode": zipcode_from_address(row["address"]),
        "lat": public_coordinate(row["lat"]),
        "long": public_coordinate(row["lon"]),
        "media_url": _media_url(row["media"]),
    }


def service_request_created_data(report: Report) -> dict:
    """The answer to POST requests; `token` (our tracking token) is an extension. The notice
    names the department, the due date and the tracking page, then the service's configured
    notice (OPEN311["SERVICE_NOTICES"]) if it has one."""
    from reporter.notify import tracking_url

    department = (report.routing_explanation or {}).get("department_name", "")
    notice = _("Vielen Dank! Zuständig ist %(department)s.") % {"department": department}
    if report.due_date is not None:
        notice += " " + _("Zielzeit: bis %(date)s.") % {"date": report.due_date.strftime("%d.%m.%Y")}
    notice += " " + _("Den Stand sehen Sie unter %(url)s") % {"url": tracking_url(report)}
    configured = (open311_setting("SERVICE_NOTICES") or {}).get(report.category.slug)
    if configured:
        notice += " " + str(configured)
    return {
        "service_request_id": report.pk,
        "service_notice": notice,
        "account_id": None,
        "token": report.tracking_token,
    }


def token_data(*, token: str, service_request_id: int) -> dict:
    """GET request id from a token."""
    return {"service_request_id": service_request_id, "token": token}
