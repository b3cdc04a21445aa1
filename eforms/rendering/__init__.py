"""From a form definition to Django forms and an accessible page that works without JavaScript.

`FormBinding(definition, data=, files=, identity=, group_initial=)` builds one Django form for the top-level
fields and one formset per repeating group. Conditional fields (`show_if`) are always in the
HTML: without JavaScript they carry the note "nur ausfüllen, wenn …"; the server validates
them only when their condition holds and drops their values otherwise. With JavaScript
`eforms/js/conditions.js` (our own, served by us) hides and shows them. A repeating group
has a "weitere Person hinzufügen" submit button: the page comes back with one more item and
no error messages (`FormBinding.adding`). Prefilled fields (from identity claims) are marked
"aus Ihrem Konto übernommen". `group_initial` gives a repeating group its first items on an
unbound page (a renewal reusing an earlier application's household).

`identity` is a dict of identity claims (as `accounts.identity.identity_for(request)` gives
them): "given_name", "family_name", "birthdate" (ISO date), "email", "phone", and "address" as
{"street", "house_number", "postcode", "city"}; a field's `prefill` names one of them.

`FormBinding.sections()` is the view model of `eforms/_form.html`: fieldsets with legends,
labels, hints and error messages linked through `aria-describedby`, and `errors` for the
error summary at the top (anchor, message).
"""
from .fields import ADDRESS_PARTS, build_fields, field_names
from .forms import ADD_ITEM_PREFIX, DefinitionForm, FormBinding, GroupFormSet
from .page import value_display, values_display

__all__ = ["ADD_ITEM_PREFIX", "ADDRESS_PARTS", "DefinitionForm", "FormBinding", "GroupFormSet", "build_fields",
           "field_names", "value_display", "values_display"]
