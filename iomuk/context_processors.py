from django.conf import settings

# Pages a survivor or complainant may be reading when someone walks in.
_QUICK_EXIT_PREFIXES = ("/returns/", "/iris/")


def portal(request):
    """Facts every page shows: the help lines, and the quick exit where it is needed."""
    return {
        "HELPLINE_NUMBER": settings.HELPLINE_NUMBER,
        "IOM_UK_PHONE": settings.IOM_UK_PHONE,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "show_quick_exit": request.path == "/" or request.path.startswith(_QUICK_EXIT_PREFIXES),
    }
