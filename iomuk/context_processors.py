from django.conf import settings
from django.utils import translation

from .demo import demo_world_loaded

# Pages a survivor or complainant may be reading when someone walks in: their services, and the
# pages their forms link to. (The 404, 429 and 500 pages show it too: see their templates.)
_QUICK_EXIT_PREFIXES = ("/returns/", "/iris/")
_QUICK_EXIT_PAGES = ("/", "/privacy/", "/accessibility/", "/cookies/", "/cover-your-tracks/")
# Public pages whose content is written in English only (their frame still follows the visitor).
_ENGLISH_ONLY_PREFIXES = ("/training/",)


def portal(request):
    """Facts every page shows: the help lines, the quick exit where it is needed, and whether
    the data is the demo world's."""
    return {
        **portal_facts(),
        "show_quick_exit": request.path in _QUICK_EXIT_PAGES
        or request.path.startswith(_QUICK_EXIT_PREFIXES),
        "content_language": _content_language(request.path),
        # Called only by the pages that show the banner (the template calls it).
        "demo_world_loaded": demo_world_loaded,
    }


def portal_facts() -> dict:
    """The facts from the settings alone: the 500 page, drawn without a request, shows them too."""
    return {
        "HELPLINE_NUMBER": settings.HELPLINE_NUMBER,
        "HELPLINE_NUMBER_TEL": settings.HELPLINE_NUMBER_TEL,
        "IOM_UK_PHONE": settings.IOM_UK_PHONE,
        "IOM_UK_PHONE_TEL": settings.IOM_UK_PHONE_TEL,
        "IOM_UK_PHONE_OPENS": settings.IOM_UK_PHONE_HOURS[0],
        "IOM_UK_PHONE_CLOSES": settings.IOM_UK_PHONE_HOURS[1],
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "CPD_ACCREDITED_BY": settings.CPD_ACCREDITED_BY,
        "IRIS_WEBSITE_URL": settings.IRIS_WEBSITE_URL,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
    }


def _content_language(path: str) -> str | None:
    """The language of the page's content when it is not the visitor's: it is not translated."""
    if path.startswith(_ENGLISH_ONLY_PREFIXES) and translation.get_language() != "en-gb":
        return settings.LANGUAGE_CODE
    return None
