"""The email switch of a case or a report on the citizen pages: the form behind the template
`frontend/includes/notify_switch.html` (field `notify`: "1" on, "0" off) and the answers of
the views it posts to (303 back to the page, or 400 with a message). Used by `cases` (account
and tracking page) and the reports in the account (`frontend.views.account`)."""
from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

__all__ = ["NotifySwitchForm", "notify_switch_refused", "see_other"]

_CHOICE_MESSAGE = _("Bitte wählen Sie, ob Sie E-Mails erhalten möchten.")


class NotifySwitchForm(forms.Form):
    """`cleaned_data["notify"]` is True (emails on) or False (off)."""

    notify = forms.TypedChoiceField(choices=[("1", _("an")), ("0", _("aus"))], coerce=lambda value: value == "1",
                                    error_messages={"required": _CHOICE_MESSAGE, "invalid_choice": _CHOICE_MESSAGE})


def notify_switch_refused(request, form: NotifySwitchForm, *, back_url: str):
    """The answer to a switch posted without a valid choice (400), with a link back."""
    return render(request, "frontend/notify_switch_refused.html", {
        "message": form.errors["notify"][0], "back_url": back_url}, status=400)


def see_other(url: str):
    """A redirect after a POST (303 See Other: the browser GETs the page)."""
    response = redirect(url)
    response.status_code = 303
    return response
