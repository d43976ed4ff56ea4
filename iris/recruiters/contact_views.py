"""The contact check's public pages: the page itself and the widget a partner frames.

Both are script-free; the page prints with the time of the check on it. Checks count against
the verify page's limit (IRIS_VERIFY_LIMIT), each in its own scope."""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from iomuk.throttle import public_form, throttle_exceeded, throttle_window_left

from .contact_forms import ContactCheckForm, ContactCheckWidgetForm
from .contact_services import contact_check


def _answered(form) -> dict:
    return {
        "checked": True,
        "check": contact_check(
            text=form.cleaned_data["contact"], region=form.cleaned_data["country"]
        ),
        "checked_at": timezone.localtime(timezone.now()),
    }


@public_form(scope="iris-contact-check", limit_setting="IRIS_VERIFY_LIMIT")
def contact_check_page(request):
    # Sent by POST like every public form: what was pasted never sits in an address.
    form = ContactCheckForm(request.POST if request.method == "POST" else None)
    ctx = {"form": form, "checked": False}
    if form.is_bound and form.is_valid():
        ctx.update(_answered(form))
    return render(request, "iris/contact_check.html", ctx)


@require_GET
@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": settings.IRIS_WIDGET_FRAME_ANCESTORS})
def contact_check_widget(request):
    """The check as a small, script-free form a partner frames in its own page; `?lang=` picks
    one of the portal's languages."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    ctx = {"checked": False, "lang": language}
    with translation.override(language):
        form = ContactCheckWidgetForm(request.GET if "contact" in request.GET else None)
        ctx["form"] = form
        if form.is_bound and form.is_valid():
            limit, period = settings.IRIS_VERIFY_LIMIT
            if throttle_exceeded(request, scope="iris-contact-check", limit=limit, period=period):
                wait = throttle_window_left(period)
                paused = {"lang": language, "wait_minutes": math.ceil(wait / 60)}
                response = render(request, "iris/verify_widget_paused.html", paused, status=429)
                response["Retry-After"] = str(wait)
                return response
            ctx.update(_answered(form))
        return render(request, "iris/contact_check_widget.html", ctx)
