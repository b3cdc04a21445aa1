"""The catalogue's search input, one set of rules for the page (`ServiceSearchForm`) and the
API (`portal.api`): a free-text query of at most `QUERY_MAX_LENGTH` characters without control
characters, and a Lebenslage slug that some registered service names."""
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .selectors import lebenslage_list

__all__ = [
    "QUERY_MAX_LENGTH", "ServiceSearchForm", "validate_lebenslage", "validate_no_control_characters",
    "validate_query_length",
]

QUERY_MAX_LENGTH = 100
UNKNOWN_LEBENSLAGE = _("Unbekannte Lebenslage. Bitte wählen Sie eine aus der Liste.")
QUERY_TOO_LONG = _("Der Suchbegriff ist zu lang (höchstens %(limit_value)d Zeichen).")

#: The length rule of the query, with the page's message, for the API's serializer.
validate_query_length = MaxLengthValidator(QUERY_MAX_LENGTH, message=QUERY_TOO_LONG)


def validate_no_control_characters(value: str) -> None:
    """Refuse C0/C1 control characters (Unicode category Cc: tab, newline, DEL, …). NUL is left
    to Django's and DRF's own null-character check of every CharField (one message, not two)."""
    if any(unicodedata.category(ch) == "Cc" and ch != "\x00" for ch in value):
        raise ValidationError(_("Der Suchbegriff enthält Steuerzeichen."), code="control_characters")


def validate_lebenslage(value: str) -> None:
    """Refuse a Lebenslage slug that no registered service names."""
    if value not in {lage.slug for lage in lebenslage_list()}:
        raise ValidationError(UNKNOWN_LEBENSLAGE, code="unknown_lebenslage")


class SearchInput(forms.TextInput):
    input_type = "search"


class ServiceSearchForm(forms.Form):
    """GET form of `/leistungen/`: `q` (words) and `lebenslage` (slug; empty: all)."""

    q = forms.CharField(
        label=_("Suchbegriff"), required=False, max_length=QUERY_MAX_LENGTH,
        validators=[validate_no_control_characters],
        widget=SearchInput(attrs={"enterkeyhint": "search"}),
        help_text=_("Zum Beispiel: Schlagloch, Straßenlaterne, Müll"),
        error_messages={"max_length": QUERY_TOO_LONG},
    )
    lebenslage = forms.ChoiceField(label=_("Lebenslage"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lebenslage"].choices = [("", _("Alle Lebenslagen"))] + [
            (lage.slug, lage.title) for lage in lebenslage_list()]
        self.fields["lebenslage"].error_messages["invalid_choice"] = UNKNOWN_LEBENSLAGE
