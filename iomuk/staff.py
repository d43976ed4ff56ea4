"""Staff pages: marked where they are defined, and always drawn in English.

The public portal follows the language a visitor chose; staff pages and the admin are not
translated, so a caseworker who reads the public pages in Romanian still gets the case list
in English. A view is marked with `@staff_page`; a URL set the portal includes but does not
define (the admin, Django's sign-in pages) with `staff_pages()` where it is included.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.urls import URLPattern, URLResolver
from django.utils import translation


def staff_page(view: Callable) -> Callable:
    """Mark a view as a staff page: it is drawn in English, whatever language was chosen."""

    @wraps(view)
    def in_english(request, *args, **kwargs):
        # Activated for the rest of the request: a TemplateResponse is drawn after the view returns.
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return view(request, *args, **kwargs)

    in_english.staff_page = True
    return in_english


def staff_pages(included: tuple) -> tuple:
    """`include()`'s result (or the admin's `site.urls`) with every page in it marked."""
    urlconf, app_name, namespace = included
    patterns = getattr(urlconf, "urlpatterns", urlconf)
    return [_marked(pattern) for pattern in patterns], app_name, namespace


def _marked(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(pattern, URLResolver):
        return URLResolver(
            pattern.pattern,
            [_marked(inner) for inner in pattern.url_patterns],
            pattern.default_kwargs,
            pattern.app_name,
            pattern.namespace,
        )
    return URLPattern(
        pattern.pattern, staff_page(pattern.callback), pattern.default_args, pattern.name
    )
