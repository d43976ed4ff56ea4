from django.conf import settings


def portal(request):
    """Facts every page shows: the help lines in the header and footer."""
    return {
        "HELPLINE_NUMBER": settings.HELPLINE_NUMBER,
        "IOM_UK_PHONE": settings.IOM_UK_PHONE,
    }
