import re

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

# Paths a signed-in account may reach before its second factor is checked.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class RequireSecondFactorMiddleware:
    """A password alone opens nothing: every signed-in account must pass its second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect(f"{reverse('second-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


# Pages for staff (and the admin) stay in English whatever language a visitor chose.
_STAFF_PAGES = re.compile(
    r"^/(staff|admin|accounts)/"
    r"|^/returns/(cases|referrals)/"
    r"|^/training/[^/]+/(attendance/|attendees\.csv)"
    r"|^/iris/officers/"
)


class StaffPagesInEnglishMiddleware:
    """Staff pages and the admin are always in English; the public portal follows the visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _STAFF_PAGES.match(request.path):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
