"""A form field drawn as crispy-bootstrap5 draws it, in Python (issue 30).

`{{ field|as_bootstrap_field }}` stands for crispy's `{{ field|as_crispy_field }}`, and
`{% bootstrap_field field %}` for the `{% include field_template %}` of crispy's uni_form.html
(`{{ form|crispy }}`). Both write the HTML of templates/bootstrap5/field.html for the fields the
portal's forms have, with crispy's defaults (no helper, no horizontal form, no inline or wrapper
classes), without a template render per field; anything else (a file already stored, a helper's
layout attributes) is drawn by that template as before. tests/iomuk/test_bootstrap_fields.py holds
the two to the same output, byte for byte.
"""

import hashlib
from datetime import date

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, optgroups
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.forms import BoundField
from django.template.loader import get_template
from django.templatetags.l10n import unlocalize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from iomuk.form_renderer import flat_attrs, text
from iomuk.forms import KeptFieldsForm

register = template.Library()

FIELD_TEMPLATE = f"{TEMPLATE_PACK}/field.html"

# What field.html reads from its context besides the field: the values crispy's filters give
# (`|crispy`, `|as_crispy_field`). Any other value sends the field to the template.
_DEFAULTS = {
    "form_show_errors": True,
    "form_show_labels": True,
    "label_class": "",
    "field_class": "",
}
_UNSET = (
    "tag",
    "wrapper_class",
    "form_class",
    "inline_class",
    "flat_attrs",
    "help_text_inline",
    "error_text_inline",
)


def _widget(field, css_class: str) -> str:
    """`{% crispy_field field 'class' css_class %}`: crispy's classes added, then the widget."""
    widget = field.field.widget
    widgets = getattr(widget, "widgets", [getattr(widget, "widget", widget)])
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    for each in widgets:
        class_name = each.__class__.__name__.lower()
        class_name = converters.get(class_name, class_name)
        classes = each.attrs.get("class", "")
        if classes:
            if classes.find(class_name) == -1:
                classes += f" {class_name}"
        else:
            classes = class_name
        each.attrs["class"] = classes
        for name in css_class.split():
            if name not in each.attrs["class"].split():
                each.attrs["class"] += f" {name}"
    return str(field)


def _errors(field, errors) -> str:
    """help_text_and_errors.html's error list."""
    if not errors:
        return ""
    auto_id = text(field.auto_id)
    items = "".join(
        f'<p id="error_{i}_{auto_id}"><strong>{text(error)}</strong></p>'
        for i, error in enumerate(errors, start=1)
    )
    field_id = text(getattr(errors, "field_id", ""))
    return f'<div id="{field_id}_error" class="invalid-feedback">{items}</div>'


def _help(field) -> str:
    """help_text_and_errors.html's help text (`|safe`: the forms' own text)."""
    help_text = field.help_text
    if not help_text:
        return ""
    id_attr = f'id="{text(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {id_attr}class="form-text">{mark_safe(help_text)}</div>'  # noqa: S308 - the form's own text


def _asterisk(field) -> str:
    required = field.field.required and not getattr(field.form, "marks_optional_fields", False)
    return '<span class="asteriskField">*</span>' if required else ""


def _choices(field, errors) -> str:
    """radio_checkbox_select.html: a radio or checkbox list."""
    out = ["\n<div >\n"]
    invalid = " is-invalid" if errors else ""
    name = text(field.html_name)
    groups = optgroups(field)
    for g, (group, options, _index) in enumerate(groups, start=1):
        if group:
            out.append(f"<strong>{text(group)}</strong>")
        for o, option in enumerate(options, start=1):
            attrs = flat_attrs(option["attrs"])
            out.append(
                f'\n<div class="form-check"><input type="{text(option["type"])}" '
                f'class="form-check-input{invalid}" name="{name}" '
                f'value="{text(unlocalize(option["value"]))}"{attrs}>\n'
                f'<label for="{text(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{text(unlocalize(option['label']))}</label>\n"
            )
            if o == len(options) and g == len(groups):
                out.append(_errors(field, errors))
            out.append("\n</div>")
    out.append(f"\n</div>\n\n{_help(field)}\n\n")
    return "".join(out)


def _file(field, errors) -> str | None:
    """field_file.html: the files held from an earlier sending of the form (each sent again by
    its token, or dropped with Remove), then the file input; None for a file already stored,
    which the template draws."""
    subwidgets = field.subwidgets
    if any(widget.data.get("is_initial") for widget in subwidgets):
        return None
    out = ["\n\n"]
    held = getattr(field.field, "held", None)
    if held:
        name = text(field.html_name)
        remove = gettext("Remove")
        out.append('<ul class="list-unstyled mb-2 held-uploads">')
        for upload in held:
            token, held_name = text(upload.token), text(upload.name)
            attached = gettext("Attached: %(name)s") % {"name": held_name}
            out.append(
                f'\n<li><input type="hidden" name="{name}-held" value="{token}">{attached} '
                f'(<button type="submit" name="held-remove" value="{token}" formnovalidate '
                f'class="btn btn-link p-0 align-baseline">{remove}<span class="visually-hidden"> '
                f"{held_name}</span></button>)</li>"
            )
        out.append("\n</ul>")
    out.append("\n")
    invalid = " is-invalid" if errors else ""
    disabled = " disabled" if field.field.disabled else ""
    for widget in subwidgets:
        data = widget.data
        extra = data["attrs"].get("class")
        extra = f" {text(extra)}" if extra else ""
        attrs = flat_attrs({k: v for k, v in data["attrs"].items() if k != "class"})
        out.append(
            f'\n<div{' class="is-invalid"' if errors else ""}><input type="{text(data["type"])}" '
            f'name="{text(data["name"])}" class="form-control{extra}{invalid}"{disabled}{attrs}>\n'
            f"\n{_errors(field, errors)}\n{_help(field)}\n</div>"
        )
    out.append("\n\n\n")
    return "".join(out)


# A value shown in a kept field: one that its repr names exactly.
_PLAIN = (str, int, bool, type(None), date)


def kept_draw(field) -> str | None:
    """`draw(field)`, kept for a visible field of an unbound KeptFieldsForm: under its form's
    class and `kept_key()`, its name, id, value and the language (the HTML is a function of
    these). Kept in `CACHES["template_fragments"]`: per process, never while developing."""
    form, widget = field.form, field.field.widget
    if form.is_bound or widget.is_hidden or not isinstance(form, KeptFieldsForm):
        return draw(field)
    value = field.value()
    if form.kept_key_now is None or not isinstance(value, _PLAIN):
        return draw(field)
    form_class = type(form)
    named = (form_class.__module__, form_class.__qualname__, form.kept_key_now)
    named += (field.html_name, field.auto_id, get_language(), value)
    key = "field." + hashlib.md5(repr(named).encode(), usedforsecurity=False).hexdigest()
    try:
        kept = caches["template_fragments"]
    except InvalidCacheBackendError:  # settings without it (a test's): drawn afresh
        return draw(field)
    html = kept.get(key)
    if html is None:
        html = draw(field)
        if html is not None:
            kept.set(key, html, None)
    return html


def draw(field) -> str | None:
    """field.html for `field` with crispy's default context; None where the template must draw.

    Each newline is one the template writes (the end of one of its lines), so the HTML is the
    same to the byte, not only to the whitespace."""
    widget = field.field.widget
    if widget.is_hidden:
        return f"{field}\n"
    errors = field.errors
    checkbox = isinstance(widget, forms.CheckboxInput)
    auto_id = text(field.auto_id)
    css = field.css_classes()
    css = f" {text(css)}" if css else ""
    required = field.field.required
    label = field.label
    out = ['\n<div class="mb-3">\n' if checkbox else "\n\n"]
    out.append(f'<div id="div_{auto_id}" class="{"form-check" if checkbox else "mb-3"}{css}">\n')
    fieldset = field.use_fieldset
    if label and not checkbox:
        if fieldset:
            described = field.aria_describedby
            described = f' aria-describedby="{text(described)}"' if described else ""
            out.append(f"<fieldset{described}>")
        tag = "legend" if fieldset else "label"
        id_for_label = field.id_for_label
        for_attr = f'for="{text(id_for_label)}"' if id_for_label else ""
        classes = "form-label" + (" requiredField" if required else "")
        classes += " fs-6" if fieldset else ""
        out.append(
            f'\n<{tag} {for_attr} class="{classes}">{text(label)}{_asterisk(field)}</{tag}>\n'
        )
    out.append("\n")
    invalid = " is-invalid" if errors else ""
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        out.append(_choices(field, errors))
    elif isinstance(widget, forms.FileInput):
        file_html = _file(field, errors)
        if file_html is None:
            return None
        out.append(file_html)
    elif checkbox:
        widget_html = _widget(field, f"form-check-input{invalid}")
        out.append(
            f"\n{widget_html}\n"
            f'<label for="{text(field.id_for_label)}" class="form-check-label'
            f'{" requiredField" if required else ""}">{text(label)}{_asterisk(field)}</label>\n'
            f"\n{_errors(field, errors)}\n{_help(field)}\n\n"
        )
    else:
        if isinstance(widget, forms.Select):
            widget_html = _widget(field, f"form-select{invalid}") + "\n"
        else:
            widget_html = _widget(field, f"form-control{invalid}")
        out.append(f"\n{widget_html}\n\n{_errors(field, errors)}\n{_help(field)}\n\n\n")
    if fieldset and label:
        out.append("</fieldset>")
    out.append("\n</div>\n")
    if checkbox:
        out.append("</div>")
    out.append("\n\n")
    return "".join(out)


@register.filter
def as_bootstrap_field(field):
    """`{{ field|as_crispy_field }}`, drawn in Python where field.html would draw the same."""
    if isinstance(field, BoundField) and getattr(field.form, "helper", None) is None:
        html = kept_draw(field)
        if html is not None:
            return SafeString(html)
    return as_crispy_field(field)


@register.simple_tag(takes_context=True)
def bootstrap_field(context, field):
    """crispy's `{% include field_template %}` for one field of `{{ form|crispy }}`."""
    usual = context.get("field_template") == FIELD_TEMPLATE and all(
        context.get(name) == value for name, value in _DEFAULTS.items()
    )
    if usual and not any(context.get(name) for name in _UNSET):
        html = kept_draw(field)
        if html is not None:
            return SafeString(html)
    with context.push(field=field):
        return SafeString(get_template(context.get("field_template")).template.render(context))
