"""CKAN's package schema: a package dict → `DatasetInput`, or ValidationError (HTTP 409)
with every problem at once, in CKAN's error layout:
`{"name": ["That URL is already in use."], "tags": [{}, {"name": ["…"]}], …}`.

Beyond CKAN's core fields, the DCAT-AP.de columns are read from extras with the keys
ckanext-spatial/-dcatde use (`spatial`, `temporal_start`, `temporal_end`, `frequency`,
`contributorID`) or from top-level keys of the same names (ckanext-scheming style; the
top-level key wins). Licences must come from the DCAT-AP.de vocabulary (opendata.licenses).
"""
import json
import uuid
from dataclasses import dataclass, field
from datetime import date

from ..auth import Actor
from ..errors import ValidationError
from ..licenses import LICENSES, license_id_normalize
from ..models import Dataset, Group, Organization
from ..vocabularies import frequency_normalize
from . import fields as f
from .resource import ResourceInput, resource_input_validate

__all__ = ["DatasetInput", "dataset_input_validate"]

# Top-level keys of a package dict; an extra may not use one of them as its key.
CORE_KEYS = {
    "id", "name", "title", "notes", "license_id", "owner_org", "private", "state", "type", "author",
    "author_email", "maintainer", "maintainer_email", "url", "version", "tags", "tag_string", "groups",
    "extras", "resources", "organization", "metadata_created", "metadata_modified", "creator_user_id",
    "num_resources", "num_tags", "isopen", "license_title", "license_url", "relationships_as_object",
    "relationships_as_subject",
}
SPECIAL_KEYS = ("spatial", "temporal_start", "temporal_end", "frequency", "contributorID")


@dataclass
class DatasetInput:
    id: uuid.UUID | None = None
    name: str = ""
    title: str = ""
    notes: str = ""
    license_id: str = ""
    owner_org: Organization | None = None
    private: bool = False
    author: str = ""
    author_email: str = ""
    maintainer: str = ""
    maintainer_email: str = ""
    url: str = ""
    version: str = ""
    spatial: object = None
    temporal_start: date | None = None
    temporal_end: date | None = None
    frequency: str = ""
    contributor_id: str = ""
    extras: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    # None: the dict had no "resources" key, so existing resources stay as they are.
    resources: list[ResourceInput] | None = None


class _Errors:
    def __init__(self):
        self.errors: dict = {}

    def add(self, key: str, message: str):
        self.errors.setdefault(key, []).append(message)

    def run(self, key: str, validator, value, **kwargs):
        try:
            return validator(value, **kwargs)
        except f.Invalid as exc:
            self.add(key, exc.message)
            return None


def _tags(data: dict, errors: _Errors) -> list[str]:
    names: list[str] = []
    raw = data.get("tags")
    if raw is not None:
        if not isinstance(raw, list):
            errors.add("tags", "Not a list")
            raw = []
        item_errors = []
        for item in raw:
            value = item.get("name") if isinstance(item, dict) else item
            try:
                names.append(f.tag_name(value))
                item_errors.append({})
            except f.Invalid as exc:
                item_errors.append({"name": [exc.message]})
        if any(item_errors):
            errors.errors["tags"] = item_errors
    tag_string = data.get("tag_string")
    if isinstance(tag_string, str) and tag_string.strip():
        for value in tag_string.split(","):
            if value.strip():
                names.append(errors.run("tag_string", f.tag_name, value.strip()) or "")
    return [n for n in dict.fromkeys(names) if n]


def _groups(data: dict, errors: _Errors) -> list[Group]:
    raw = data.get("groups") or []
    if not isinstance(raw, list):
        errors.add("groups", "Not a list")
        return []
    refs = [(item.get("id") or item.get("name")) if isinstance(item, dict) else item for item in raw]
    ids = [r for r in refs if isinstance(r, str) and _uuid(r)]
    found = {g.name: g for g in Group.objects.filter(name__in=[r for r in refs if isinstance(r, str)])}
    found.update({str(g.id): g for g in Group.objects.filter(id__in=[_uuid(r) for r in ids])})
    groups, item_errors = [], []
    for ref in refs:
        group = found.get(ref) if isinstance(ref, str) else None
        item_errors.append({} if group else {"name": ["Group was not found."]})
        if group and group not in groups:
            groups.append(group)
    if any(item_errors):
        errors.errors["groups"] = item_errors
    return groups


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _extras(data: dict, errors: _Errors) -> tuple[dict, dict]:
    """(free extras, special values) from the extras list and top-level special keys."""
    raw = data.get("extras") or []
    if isinstance(raw, dict):  # tolerated: {"key": "value"}
        raw = [{"key": k, "value": v} for k, v in raw.items()]
    if not isinstance(raw, list):
        errors.add("extras", "Not a list")
        raw = []
    free, special, item_errors, seen = {}, {}, [], set()
    for item in raw:
        if not isinstance(item, dict):
            item_errors.append({"key": ["Not a dictionary"]})
            continue
        key, value = item.get("key"), item.get("value")
        problems = {}
        if not key or not isinstance(key, str):
            problems["key"] = [f.MISSING]
        elif key in CORE_KEYS:
            problems["key"] = ["There is a schema field with the same name"]
        elif key in seen:
            errors.add("extras", f'Duplicate key "{key}"')
        if "value" not in item:
            problems["value"] = [f.MISSING]
        item_errors.append(problems)
        if problems or key in seen:
            continue
        seen.add(key)
        if key in SPECIAL_KEYS or key == "contributor_id":
            special["contributorID" if key == "contributor_id" else key] = value
        else:
            free[key] = value if isinstance(value, str) else json.dumps(value) if value is not None else ""
    if any(item_errors):
        errors.errors["extras"] = item_errors + errors.errors.get("extras", [])
    for key in SPECIAL_KEYS:
        if key in data:
            special[key] = data[key]
    if "contributor_id" in data:
        special["contributorID"] = data["contributor_id"]
    return free, special


def _contributor(value) -> str:
    if value in (None, "", []):
        return ""
    items = value
    if isinstance(value, str):
        text = value.strip()
        items = json.loads(text) if text.startswith("[") else [text]
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise f.Invalid("contributorID must be a URI or a JSON list of URIs")
    if len(items) > 1:
        raise f.Invalid("Only one contributorID is supported")
    return f.length(items[0].strip(), max_length=300, label="contributorID") if items else ""


def _special(special: dict, clean: "DatasetInput", errors: _Errors):
    clean.spatial = errors.run("spatial", f.spatial, special.get("spatial"))
    clean.temporal_start = errors.run("temporal_start", f.date_value, special.get("temporal_start"))
    clean.temporal_end = errors.run("temporal_end", f.date_value, special.get("temporal_end"))
    if clean.temporal_start and clean.temporal_end and clean.temporal_end < clean.temporal_start:
        errors.add("temporal_end", "End date must not be before start date")
    frequency = f.string(special.get("frequency")) if isinstance(special.get("frequency"), str) else ""
    clean.frequency = frequency_normalize(frequency) or "" if frequency else ""
    if frequency and not clean.frequency:
        errors.add("frequency", f"Unknown frequency {frequency}: use a code of the EU frequency vocabulary, "
                                "e.g. MONTHLY")
    try:
        clean.contributor_id = _contributor(special.get("contributorID"))
    except (f.Invalid, ValueError) as exc:
        errors.add("contributorID", getattr(exc, "message", "contributorID must be a URI or a JSON list of URIs"))


def _owner_org(data: dict, actor: Actor, dataset: Dataset | None, errors: _Errors) -> Organization | None:
    value = data.get("owner_org")
    if value in (None, ""):
        if dataset is not None:
            return dataset.owner_org
        errors.add("owner_org", "An organization must be provided")
        return None
    org = Organization.objects.filter(name=str(value)).first() or (
        Organization.objects.filter(pk=_uuid(value)).first() if _uuid(value) else None)
    if org is None:
        errors.add("owner_org", "Organization does not exist")
        return None
    if (dataset is None or dataset.owner_org_id != org.pk) and not actor.can_edit_org(org):
        errors.add("owner_org", "You cannot add a dataset to this organization")
    return org


def _resources(data: dict, dataset: Dataset | None, errors: _Errors) -> list[ResourceInput] | None:
    raw = data.get("resources")
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors.add("resources", "Not a list")
        return None
    existing = {str(r.id): r for r in dataset.resources.all()} if dataset is not None else {}
    clean, item_errors = [], []
    for item in raw:
        rid = str(item.get("id")) if isinstance(item, dict) and item.get("id") else None
        resource, problems = resource_input_validate(data=item, existing=existing.get(rid))
        clean.append(resource)
        item_errors.append(problems)
    if any(item_errors):
        errors.errors["resources"] = item_errors
    return clean


def dataset_input_validate(*, data: dict, actor: Actor, dataset: Dataset | None = None) -> DatasetInput:
    """Validate a package dict for package_create (dataset None) or package_update."""
    errors = _Errors()
    clean = DatasetInput()
    if dataset is None and data.get("id") and actor.is_sysadmin:
        # Sysadmins may keep ids when mirroring another catalogue (ckanapi load).
        clean.id = _uuid(data["id"])
        if clean.id is None:
            errors.add("id", "Invalid UUID")
        elif Dataset.objects.filter(pk=clean.id).exists():
            errors.add("id", "Dataset id already exists")

    name = data.get("name")
    if name in (None, "") and dataset is not None:
        name = dataset.name
    if name in (None, ""):
        errors.add("name", f.MISSING)
    else:
        clean.name = errors.run("name", f.name, name) or ""
        taken = Dataset.objects.filter(name=clean.name)
        if clean.name and (taken.exclude(pk=dataset.pk) if dataset else taken).exists():
            errors.add("name", "That URL is already in use.")

    clean.title = errors.run("title", f.string, data.get("title"), max_length=1000, label="Title") or clean.name
    clean.notes = errors.run("notes", f.string, data.get("notes")) or ""
    clean.author = errors.run("author", f.string, data.get("author"), max_length=200, label="Author") or ""
    clean.maintainer = errors.run("maintainer", f.string, data.get("maintainer"), max_length=200,
                                  label="Maintainer") or ""
    clean.author_email = errors.run("author_email", f.email, data.get("author_email")) or ""
    clean.maintainer_email = errors.run("maintainer_email", f.email, data.get("maintainer_email")) or ""
    clean.url = errors.run("url", f.string, data.get("url"), max_length=1000, label="URL") or ""
    clean.version = errors.run("version", f.string, data.get("version"), max_length=100, label="Version") or ""
    if "private" in data or dataset is None:
        clean.private = f.boolean(data.get("private"))
    else:
        clean.private = dataset.private

    license_raw = errors.run("license_id", f.string, data.get("license_id")) or ""
    clean.license_id = license_id_normalize(license_raw) or "" if license_raw else ""
    if license_raw and clean.license_id not in LICENSES:
        errors.add("license_id", f"License {license_raw} is not in the DCAT-AP.de licence vocabulary "
                                 "(see license_list)")

    clean.owner_org = _owner_org(data, actor, dataset, errors)
    clean.tags = _tags(data, errors)
    clean.groups = _groups(data, errors)
    clean.extras, special = _extras(data, errors)
    _special(special, clean, errors)
    clean.resources = _resources(data, dataset, errors)
    if errors.errors:
        raise ValidationError(errors.errors)
    return clean
