"""Writes of the eforms app: creating a definition version, validating and storing a submission.

`submission_validate` checks data against a definition and returns the cleaned values or the
errors (in the active language: German, or English under translation.override("en")).
`submission_store` does the same and, only when everything is valid, writes the uploaded files
to private storage and returns the JSON-serialisable record a service keeps with its case:
`{"form": slug, "version": n, "values": {...}, "files": [...]}`. Nothing is written on error,
and files already written are removed again if a later one fails.
"""
import uuid
from dataclasses import dataclass, field

from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import get_valid_filename

from .conf import eforms_setting
from .definition import definition_check, fields_of
from .models import FormDefinition
from .rendering import FormBinding

__all__ = ["SubmissionResult", "SubmissionInvalid", "form_definition_create", "submission_validate",
           "submission_store"]


@dataclass
class SubmissionResult:
    """`values` by field key (uploads as UploadedFile objects) if valid, else `errors`:
    (anchor id, message) pairs in the order of the form."""

    values: dict | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    binding: FormBinding | None = None

    @property
    def is_valid(self) -> bool:
        return self.values is not None


class SubmissionInvalid(ValueError):
    """`submission_store` found errors; `errors` as in SubmissionResult."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(message for _, message in errors))


def form_definition_create(*, slug: str, definition: dict, title: str = "", is_active: bool = True) -> FormDefinition:
    """A new version of form `slug` (version = highest + 1). Raises DefinitionInvalid.

    Earlier versions stay as they are: submissions made with them keep naming them.
    """
    definition_check(definition)
    title = title or definition["title"]["de"]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = FormDefinition.objects.filter(slug=slug).aggregate(v=Max("version"))["v"] or 0
                return FormDefinition.objects.create(slug=slug, version=latest + 1, title=title[:200],
                                                     definition=definition, is_active=is_active)
        except IntegrityError:
            continue  # another version was created at the same moment: take the next number
    raise IntegrityError(f"could not create a new version of form {slug!r}")


def submission_validate(definition: FormDefinition, data, files=None, identity: dict | None = None
                        ) -> SubmissionResult:
    """Validate request data (a QueryDict or dict) and files against one definition version."""
    binding = FormBinding(definition.definition, data=data, files=files, identity=identity)
    if binding.is_valid():
        return SubmissionResult(values=binding.values(), binding=binding)
    # While an item is being added to a group the page comes back without error messages.
    return SubmissionResult(errors=binding.errors(), binding=binding)


def _file_specs(definition: dict) -> dict[str, dict]:
    specs = {}
    for spec in fields_of(definition):
        for inner in spec.get("fields", [spec]) if spec["type"] == "group" else [spec]:
            if inner["type"] == "file":
                specs[inner["key"]] = inner
    return specs


def submission_store(definition: FormDefinition, data, files=None, identity: dict | None = None) -> dict:
    """Validate and, if valid, store the uploads; return the submission record (JSON-serialisable).

    Raises `SubmissionInvalid` (nothing written). Files go to the private storage
    (`EFORMS["UPLOAD_STORAGE"]`) under eforms/<slug>/<version>/<random>/<name>.
    """
    result = submission_validate(definition, data, files, identity)
    if not result.is_valid:
        raise SubmissionInvalid(result.errors or [("", "invalid")])
    storage = storages[eforms_setting("UPLOAD_STORAGE")]
    folder = f"eforms/{definition.slug}/{definition.version}/{uuid.uuid4().hex}"
    file_keys = _file_specs(definition.definition)
    written: list[str] = []
    stored_files: list[dict] = []

    def store(values: dict, path: str) -> dict:
        out = {}
        for key, value in values.items():
            if key in file_keys and isinstance(value, list):
                refs = []
                for upload in value:
                    name = get_valid_filename(upload.name)[:100] or "datei"
                    upload.seek(0)
                    saved = storage.save(f"{folder}/{len(written) + 1}-{name}", upload)
                    written.append(saved)
                    ref = {"field": f"{path}{key}", "name": upload.name, "path": saved, "size": upload.size,
                           "content_type": getattr(upload, "checked_content_type", "")}
                    refs.append(ref)
                    stored_files.append(ref)
                out[key] = refs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                out[key] = [store(item, f"{path}{key}.{i}.") for i, item in enumerate(value)]
            else:
                out[key] = value
        return out

    try:
        values = store(result.values, "")
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    return {"form": definition.slug, "version": definition.version, "values": values, "files": stored_files}
