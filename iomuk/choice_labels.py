"""A model's choice labels looked up, not rebuilt (issue 30).

Django's `get_FOO_display()` builds a dict of every choice of the field each time it is called,
and to hash each label it translates it: a session's region translated all thirteen regions,
for each session on the list. Here each field's dict is built once per process. The labels stay
lazy, so each drawing still translates the one it shows, in the reader's language.
"""

from functools import cache

from django.utils.encoding import force_str


@cache
def _labels(field) -> dict:
    # Every field of the models below has fixed choices (an enum), never a callable.
    return dict(field.flatchoices)


class ChoiceLabels:
    """Put before `models.Model` in a model's bases: its `get_FOO_display()` look labels up."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(value, value), strings_only=True)
