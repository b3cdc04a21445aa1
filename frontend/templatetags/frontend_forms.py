"""Template helpers for accessible forms and the report pages.

`{{ field|a11y }}` renders a form field's widget with `aria-describedby` pointing at its
hint (`<id>-hint`) and error message (`<id>-error`) and `aria-invalid` when it has errors,
so screen readers announce them with the field (WCAG 2.1, 1.3.1 and 3.3.1).
`{% category_icon name %}` renders the inline SVG icon of a category (decorative).
"""
from django import template
from django.template.loader import render_to_string

register = template.Library()

ICONS = {"pothole", "sidewalk", "sign", "drain", "light", "trash", "graffiti", "playground", "tree",
         "traffic-light", "car"}


@register.filter
def a11y(bound_field, extra_class=""):
    """The widget of `bound_field` with ARIA attributes for its hint and errors."""
    widget_id = bound_field.auto_id
    described = []
    if bound_field.help_text:
        described.append(f"{widget_id}-hint")
    attrs = {}
    if bound_field.errors:
        described.append(f"{widget_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if extra_class:
        attrs["class"] = extra_class
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag
def category_icon(name: str):
    """Inline SVG for a category icon name (a generic marker for unknown names)."""
    return render_to_string("frontend/icons/category.svg", {"icon": name if name in ICONS else "marker"})
