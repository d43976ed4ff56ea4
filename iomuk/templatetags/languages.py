"""{% load languages %}: `{% language_choices as languages %}`, the switcher's languages."""

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info

register = template.Library()

# Each language named as its own speakers write it at the head of a list: Django's own names
# are "British English" and a lower-case "čeština".
_OWN_NAMES = {"en-gb": "English", "cs": "Čeština"}


@register.simple_tag
def language_choices() -> tuple[tuple[str, str, str], ...]:
    """(code, code for a query string, name in that language) for each language offered: the
    same for every visitor, so made once per process."""
    return _choices(tuple(code for code, _ in settings.LANGUAGES))


@lru_cache(maxsize=4)
def _choices(codes: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (code, quote(code), _OWN_NAMES.get(code) or capfirst(get_language_info(code)["name_local"]))
        for code in codes
    )
