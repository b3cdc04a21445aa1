"""A category's extra questions (typed attributes): validating definitions and answers."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["questions_validate_definition", "answers_validate"]

_TYPES = {"text", "integer", "boolean", "choice"}


def questions_validate_definition(questions) -> None:
    """Raise ValidationError unless `questions` is a list of well-formed question dicts."""
    if not isinstance(questions, list):
        raise ValidationError(_("Zusatzfragen müssen eine Liste sein."))
    keys = set()
    for q in questions:
        if not isinstance(q, dict) or not q.get("key") or not q.get("label"):
            raise ValidationError(_("Jede Zusatzfrage braucht „key“ und „label“."))
        if q.get("type", "text") not in _TYPES:
            raise ValidationError(_("Unbekannter Fragetyp: %(t)s") % {"t": q.get("type")})
        if q.get("type") == "choice" and not q.get("choices"):
            raise ValidationError(_("Auswahlfrage „%(k)s“ ohne Auswahlwerte.") % {"k": q["key"]})
        if q["key"] in keys:
            raise ValidationError(_("Frage „%(k)s“ doppelt.") % {"k": q["key"]})
        keys.add(q["key"])


def answers_validate(*, questions: list, answers) -> dict:
    """Return the cleaned answers or raise ValidationError with a per-question message dict."""
    if answers in (None, ""):
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Antworten müssen ein Objekt sein.")})
    known = {q["key"]: q for q in questions}
    errors, cleaned = {}, {}
    for key in answers:
        if key not in known:
            errors[key] = _("Unbekannte Frage.")
    for key, q in known.items():
        value = answers.get(key)
        if value in (None, ""):
            if q.get("required"):
                errors[key] = _("Diese Angabe ist erforderlich.")
            continue
        kind = q.get("type", "text")
        if kind == "integer":
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors[key] = _("Bitte eine ganze Zahl angeben.")
                continue
        elif kind == "boolean":
            if isinstance(value, str) and value.lower() in ("true", "1", "ja", "yes", "on"):
                value = True
            elif isinstance(value, str) and value.lower() in ("false", "0", "nein", "no", "off"):
                value = False
            elif not isinstance(value, bool):
                errors[key] = _("Bitte ja oder nein angeben.")
                continue
        elif kind == "choice":
            if value not in q["choices"]:
                errors[key] = _("Ungültige Auswahl. Erlaubt: %(c)s") % {"c": ", ".join(map(str, q["choices"]))}
                continue
        else:
            value = str(value)[:1000]
        cleaned[key] = value
    if errors:
        raise ValidationError({f"answers.{k}": v for k, v in errors.items()})
    return cleaned
