"""Import of a list of services as CSV (management command `ozgmonitor_import`, admin page
"CSV importieren"): all or nothing. Every line is checked first; any error names its line
(the header is line 1) and nothing is written. Then, in one transaction, each line creates or
updates the entry with its `key` (`ozgmonitor.services.ozg_service_save`, with history).

The file: UTF-8 (a BOM is allowed), comma- or semicolon-separated (detected from the header),
with a header of the column names below; `key` and `title` are required (the title may stay
empty for a service of this portal, whose title comes from its catalogue entry), every other
column optional. Empty cells are empty values.

- `key`: `[a-z0-9-]`, at most 60 characters, unique in the file;
- `topic`, `status`, `delivery_route`: the keys of `OzgTopic`, `ServiceStatus`, `DeliveryRoute`;
- `department`: the slug of a department (for a clerk: one of their own, and an existing
  entry can only be changed if it is in one of their departments — `routing_rules.access`);
- `go_live_date`, `target_date`: YYYY-MM-DD or DD.MM.YYYY;
- `maturity_model`: "1.1" (default) or "2.0"; `maturity`: `criterion=level` pairs separated by
  ";" (e.g. `leistungsbeschreibung=4; nachweise=3`).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.selectors import service_list
from routing_rules.access import departments_of
from routing_rules.models import Department

from .maturity import MODELS, maturity_errors
from .models import DeliveryRoute, Origin, OzgService, ServiceStatus
from .services import ozg_service_save
from .topics import OzgTopic

__all__ = ["COLUMNS", "CsvImportError", "ImportResult", "services_import_csv"]

COLUMNS = ("key", "title", "title_en", "url", "provider", "leika_key", "topic", "department", "status",
           "go_live_date", "target_date", "delivery_route", "maturity_model", "maturity")
REQUIRED = ("key", "title")
MAX_BYTES = 2 * 1024 * 1024
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LENGTHS = {"title": 300, "title_en": 300, "url": 500, "provider": 200}


class CsvImportError(Exception):
    """The file was refused; `errors` are the messages (each naming its line)."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _choice(value: str, choices, column: str, errors: list[str], where: str) -> str:
    if value and value not in choices.values:
        errors.append(_("%(where)s: „%(value)s“ ist kein gültiger Wert für %(column)s (erlaubt: %(allowed)s).")
                      % {"where": where, "value": value, "column": column, "allowed": ", ".join(choices.values)})
        return ""
    return value


def _maturity(value: str, errors: list[str], where: str) -> dict:
    result = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        criterion, sep, level = (s.strip() for s in part.partition("="))
        if not sep or not re.fullmatch(r"\d{1,2}", level):
            errors.append(_("%(where)s: „%(part)s“ im Reifegrad ist nicht in der Form Kriterium=Stufe.")
                          % {"where": where, "part": part})
            continue
        result[criterion] = int(level)
    return result


def _rows(content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    if len(content) > MAX_BYTES:
        raise CsvImportError([_("Die Datei ist zu groß (höchstens %(mb)d MB).") % {"mb": MAX_BYTES // (1024 * 1024)}])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportError([_("Die Datei ist nicht in UTF-8 kodiert.")]) from None
    if "\x00" in text:
        raise CsvImportError([_("Die Datei enthält Nullzeichen; ist es wirklich eine CSV-Datei?")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise CsvImportError([_("Die Datei ist leer.")]) from None
    except csv.Error as exc:
        raise CsvImportError([_("Zeile 1: keine lesbare CSV-Zeile (%(error)s).") % {"error": exc}]) from None
    errors = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        errors.append(ngettext("Zeile 1: unbekannte Spalte %(names)s (erlaubt: %(allowed)s).",
                               "Zeile 1: unbekannte Spalten %(names)s (erlaubt: %(allowed)s).", len(unknown))
                      % {"names": ", ".join(f"„{n}“" for n in unknown), "allowed": ", ".join(COLUMNS)})
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        errors.append(ngettext("Zeile 1: die Spalte %(names)s fehlt.", "Zeile 1: die Spalten %(names)s fehlen.",
                               len(missing)) % {"names": ", ".join(f"„{n}“" for n in missing)})
    if len(set(header)) != len(header):
        errors.append(_("Zeile 1: eine Spalte kommt doppelt vor."))
    if errors:
        raise CsvImportError(errors)
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):  # reported in line order with the other errors
                rows.append((reader.line_num, _("Zeile %(line)d: %(found)d Felder statt %(expected)d.")
                             % {"line": reader.line_num, "found": len(cells), "expected": len(header)}))
                continue
            rows.append((reader.line_num, {name: cell.strip() for name, cell in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        errors.append(_("Zeile %(line)d: keine lesbare CSV-Zeile (%(error)s).")
                      % {"line": reader.line_num, "error": exc})
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([_("Die Datei enthält keine Leistung.")])
    return header, rows


def services_import_csv(*, content: bytes, user=None) -> ImportResult:
    """Check the whole file, then create or update its entries in one transaction. `user`:
    the staff member importing (None: the command line, every department). Raises
    CsvImportError with every error found; then nothing is written."""
    header, rows = _rows(content)
    departments = {d.slug: d for d in Department.objects.all()}
    allowed = set(departments) if user is None else set(departments_of(user=user).values_list("slug", flat=True))
    existing = {row.key: row for row in OzgService.objects.select_related("department")
                .filter(key__in=[values["key"] for _line, values in rows if isinstance(values, dict)])}
    declared = {service.slug for service in service_list()}
    errors: list[str] = []
    cleaned = []
    seen: dict[str, int] = {}
    validate_url = URLValidator(schemes=["http", "https"])
    for line, values in rows:
        if isinstance(values, str):
            errors.append(values)
            continue
        where = _("Zeile %(line)d") % {"line": line}
        count_before = len(errors)
        key = values["key"]
        if not KEY_RE.match(key) or len(key) > 60:
            errors.append(_("%(where)s: die Kennung „%(key)s“ darf nur Kleinbuchstaben, Ziffern und Bindestriche "
                            "enthalten (höchstens 60 Zeichen).") % {"where": where, "key": key})
        elif key in seen:
            errors.append(_("%(where)s: die Kennung „%(key)s“ steht schon in Zeile %(other)d.")
                          % {"where": where, "key": key, "other": seen[key]})
        seen.setdefault(key, line)
        entry = existing.get(key)
        portal_entry = (entry.origin == Origin.PORTAL) if entry is not None else key in declared
        if not values["title"] and not portal_entry:
            errors.append(_("%(where)s: der Titel fehlt.") % {"where": where})
        for column, limit in _LENGTHS.items():
            if len(values.get(column, "")) > limit:
                errors.append(_("%(where)s: %(column)s ist zu lang (höchstens %(limit)d Zeichen).")
                              % {"where": where, "column": column, "limit": limit})
        if values.get("url"):
            try:
                validate_url(values["url"])
            except ValidationError:
                errors.append(_("%(where)s: „%(value)s“ ist keine gültige Adresse (http oder https).")
                              % {"where": where, "value": values["url"]})
        if values.get("leika_key") and not re.fullmatch(r"\d{14}", values["leika_key"]):
            errors.append(_("%(where)s: der LeiKa-Schlüssel „%(value)s“ hat nicht genau 14 Ziffern.")
                          % {"where": where, "value": values["leika_key"]})
        topic = _choice(values.get("topic", ""), OzgTopic, "topic", errors, where)
        status = _choice(values.get("status", ""), ServiceStatus, "status", errors, where)
        route = _choice(values.get("delivery_route", ""), DeliveryRoute, "delivery_route", errors, where)
        dates = {}
        for column in ("go_live_date", "target_date"):
            if values.get(column):
                try:
                    dates[column] = _date(values[column])
                except ValueError:
                    errors.append(_("%(where)s: „%(value)s“ in %(column)s ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ).")
                                  % {"where": where, "value": values[column], "column": column})
        department = None
        if values.get("department"):
            department = departments.get(values["department"])
            if department is None:
                errors.append(_("%(where)s: unbekannter Fachbereich „%(slug)s“.")
                              % {"where": where, "slug": values["department"]})
            elif department.slug not in allowed:
                errors.append(_("%(where)s: Sie dürfen keine Leistungen des Fachbereichs „%(name)s“ bearbeiten.")
                              % {"where": where, "name": department.name})
        if entry is not None and user is not None and not user.is_superuser and (
                entry.department is None or entry.department.slug not in allowed):
            errors.append(_("%(where)s: die Leistung „%(key)s“ gehört nicht zu Ihren Fachbereichen.")
                          % {"where": where, "key": key})
        model = values.get("maturity_model") or (entry.maturity_model if entry else "1.1")
        maturity = _maturity(values.get("maturity", ""), errors, where)
        for message in maturity_errors(model, maturity if model in MODELS else {}):
            errors.append(f"{where}: {message}")
        if len(errors) == count_before:
            cleaned.append((values, entry, {"topic": topic, "status": status, "delivery_route": route,
                                            "department": department, "maturity_model": model,
                                            "maturity": maturity, **dates}))
    if errors:
        raise CsvImportError(errors)
    created = updated = 0
    with transaction.atomic():
        for values, entry, clean in cleaned:
            if entry is None:
                origin = Origin.PORTAL if values["key"] in declared else Origin.EXTERNAL
                entry = OzgService(key=values["key"], origin=origin, title=values["title"])
                created += 1
            else:
                updated += 1
            for column in ("title", "title_en", "url", "provider", "leika_key"):
                if column in header and (values[column] or column != "title"):
                    setattr(entry, column, values[column])
            for column in ("topic", "status", "delivery_route", "department", "maturity"):
                if column in header:
                    setattr(entry, column, clean[column] or ({} if column == "maturity" else
                                                             None if column == "department" else ""))
            if "status" in header and not clean["status"]:
                entry.status = ServiceStatus.PLANNED
            for column in ("go_live_date", "target_date"):
                if column in header:
                    setattr(entry, column, clean.get(column))
            entry.maturity_model = clean["maturity_model"]
            ozg_service_save(service=entry)
    return ImportResult(created=created, updated=updated)
