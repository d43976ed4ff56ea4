"""The form renderer: Django's basic widgets drawn in Python (issue 30).

The project's own widget templates (templates/django/forms/widgets/) are already flat: an
input, a textarea or a select with its options, nothing else. Drawing them still cost a template
render per field, most of it resolving variables. Here the same HTML is written directly from
the widget's context, and so are the public forms' hidden field for bots and the country and
sector lists (iris/widgets/reference_select.html); any other template (radio lists, file
inputs, a form's own layout) goes through the templates as before.
tests/iomuk/test_form_renderer.py holds the two to the same output.
"""

from django.forms.renderers import TemplatesSetting
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext

# Values are written as the templates write them: escaped unless already safe, localized.
_CONTEXT = Context(autoescape=True)


def text(value) -> str:
    """`{{ value }}`. A label or a message is most often a string, or a lazy translation:
    neither is a date or a number for the template to localize."""
    if type(value) is str:
        return escape(value)
    if isinstance(value, Promise):
        return conditional_escape(str(value))
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    if isinstance(value, SafeData):
        return value
    return escape("%s" % value)  # noqa: UP031 - what the stringformat filter does


def flat_attrs(attrs: dict) -> str:
    """The attributes as attrs.html writes them: True as a bare name, False left out."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {text(name)}")
        else:
            out.append(f' {text(name)}="{_string(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    value = "" if value is None else f' value="{_string(value)}"'
    attrs = flat_attrs(widget["attrs"])
    return f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{value}{attrs}>'


def _honeypot(widget: dict) -> str:
    """templates/includes/honeypot_input.html: the field bots fill in, hidden from people."""
    label = escape(gettext("Leave this field empty"))
    for_id = text(widget["attrs"].get("id", ""))
    return (
        f'<div class="hp-field" aria-hidden="true"><label for="{for_id}">{label}</label>'
        f"{_input(widget)}</div>"
    )


def _reference_select(widget: dict, end: str = "</select>") -> str:
    """templates/iris/widgets/reference_select.html: its options come drawn already."""
    name, attrs, options = (
        text(widget["name"]),
        flat_attrs(widget["attrs"]),
        text(widget["options"]),
    )
    return f'<select name="{name}"{attrs}>{options}{end}'


def _kept_select(widget: dict) -> str:
    """templates/includes/kept_select.html (iomuk.forms.KeptSelect): ends as select.html does."""
    return _reference_select(widget, end="\n</select>")


def _textarea(widget: dict) -> str:
    value = text(widget["value"]) if widget["value"] else ""
    attrs = flat_attrs(widget["attrs"])
    return f'<textarea name="{text(widget["name"])}"{attrs}>\n{value}</textarea>'


def _select(widget: dict) -> str:
    out = [f'<select name="{text(widget["name"])}"{flat_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{text(group_name)}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{_string(option["value"])}"{flat_attrs(option["attrs"])}>'
                f"{text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_INPUTS = ("checkbox", "date", "email", "hidden", "input", "number", "password", "text", "url")
_DRAWN = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "includes/honeypot_input.html": _honeypot,
    "iris/widgets/reference_select.html": _reference_select,
    "includes/kept_select.html": _kept_select,
}


class FormRenderer(TemplatesSetting):
    """TemplatesSetting, with the widgets of `_DRAWN` written without their template."""

    def render(self, template_name, context, request=None):
        draw = _DRAWN.get(template_name)
        if draw is None or context.keys() != {"widget"}:
            return super().render(template_name, context, request)
        return SafeString(draw(context["widget"]))
