import math

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from iomuk.forms import filters_that_hold
from iomuk.throttle import (
    public_form,
    throttle_exceeded,
    throttle_window_left,
)

from . import services, watch
from .contact_services import contacts_for_public
from .forms import (
    JoinForm,
    RosterFilterForm,
    VerifyForm,
    VerifyWidgetForm,
    WatchForm,
)
from .selectors import (
    recruiter_by_number,
    recruiter_for_public,
    roster_entries,
    roster_matches,
    standing_history,
    watches_of_address,
)


def index(request):
    return render(request, "iris/index.html")


@require_GET
def roster(request):
    form = RosterFilterForm(request.GET or None)
    filters = filters_that_hold(form)
    # An accreditation number names one recruiter: its page, not a list of one.
    if numbered := recruiter_by_number(number=filters.get("q", "")):
        return redirect("iris:recruiter", numbered.slug)
    most = settings.IRIS_ROSTER_MOST_LISTED
    ids = roster_matches(
        q=filters.get("q", ""),
        country=filters.get("country", ""),
        sector=filters.get("sector", ""),
        most=most,
    )
    page = Paginator(ids[:most], settings.IRIS_ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filter_form": form,
        "page": page,
        "recruiters": roster_entries(ids=page.object_list),
        "more_than": most if len(ids) > most else None,
        "query": query.urlencode(),
        "searched": bool(filters),
    }
    return render(request, "iris/roster.html", ctx)


def recruiter_detail(request, slug: str):
    recruiter = recruiter_for_public(slug=slug)
    if recruiter is None:
        raise Http404
    form = WatchForm(initial={"language": translation.get_language() or settings.LANGUAGE_CODE})
    ctx = {
        "recruiter": recruiter,
        "watch_form": form,
        "history": standing_history(recruiter=recruiter),
        "contacts": contacts_for_public(recruiter=recruiter),
    }
    return render(request, "iris/recruiter_detail.html", ctx)


@require_POST
@public_form(scope="iris-watch", limit_setting="IRIS_WATCH_LIMIT")
def recruiter_watch(request, slug: str):
    recruiter = recruiter_for_public(slug=slug)
    if recruiter is None:
        raise Http404
    form = WatchForm(request.POST)
    if not form.is_valid():
        history = standing_history(recruiter=recruiter)
        ctx = {
            "recruiter": recruiter,
            "watch_form": form,
            "history": history,
            "contacts": contacts_for_public(recruiter=recruiter),
        }
        return render(request, "iris/recruiter_detail.html", ctx)
    watch.watch_request(
        recruiter=recruiter,
        email=form.cleaned_data["email"],
        language=form.cleaned_data["language"],
    )
    # The same answer whether the address already watches or not.
    return render(request, "iris/watch_requested.html", {"recruiter": recruiter})


@never_cache
def watch_confirm(request, token: str):
    # A link opened by a mail scanner must not confirm: the button does.
    if request.method == "POST":
        confirmed = watch.watch_confirm(token=token)
        if confirmed is None:
            return render(request, "iris/watch_unknown.html", status=404)
        return render(request, "iris/watch_confirmed.html", {"watch": confirmed})
    return render(request, "iris/watch_confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: a mail client POSTs here with only the token in the URL
@never_cache
def watch_stop(request, token: str):
    if request.method == "POST":
        recruiter = watch.watch_stop(token=token)
        return render(request, "iris/watch_stopped.html", {"recruiter": recruiter})
    return render(request, "iris/watch_stop.html", {"token": token})


@never_cache
def watch_manage(request, token: str):
    if request.method == "POST":
        stopped = watch.watches_stop_all(token=token)
        return render(request, "iris/watch_stopped.html", {"stopped": stopped})
    watches = watches_of_address(token=token)
    if watches is None:
        return render(request, "iris/watch_unknown.html", status=404)
    return render(request, "iris/watch_manage.html", {"watches": watches, "token": token})


def recruiter_proof(request, slug: str):
    recruiter = recruiter_for_public(slug=slug)
    if recruiter is None:
        raise Http404
    ctx = {
        "recruiter": recruiter,
        "checked_at": timezone.localtime(timezone.now()),
        "page_url": settings.SITE_URL + request.path.removesuffix("proof/"),
    }
    return render(request, "iris/recruiter_proof.html", ctx)


@public_form(scope="iris-verify", limit_setting="IRIS_VERIFY_LIMIT")
def verify(request):
    # Sent by POST like every public form; a link with ?number= fills the box in.
    if request.method == "POST":
        form = VerifyForm(request.POST)
    else:
        form = VerifyForm(initial={"number": request.GET.get("number", "")[:30]})
    ctx = {"form": form, "checked": False}
    if form.is_bound and form.is_valid():
        ctx.update(
            checked=True,
            number=form.cleaned_data["number"],
            recruiter=recruiter_by_number(number=form.cleaned_data["number"]),
            checked_at=timezone.localtime(timezone.now()),
        )
    return render(request, "iris/verify.html", ctx)


@public_form(scope="iris-join", limit_setting="IRIS_JOIN_LIMIT")
def join(request):
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            application = services.application_submit(
                **{k: v for k, v in data.items()},
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return render(request, "iris/join_done.html", {"application": application})
    else:
        form = JoinForm()
    return render(request, "iris/join.html", {"form": form})


def _widget_paused(request, *, language: str, period: int):
    """The widget's own 429, frame-sized and script-free, with when to try again."""
    wait = throttle_window_left(period)
    ctx = {"lang": language, "wait_minutes": math.ceil(wait / 60)}
    response = render(request, "iris/verify_widget_paused.html", ctx, status=429)
    response["Retry-After"] = str(wait)
    response["Content-Language"] = language
    return response


@require_GET
@xframe_options_exempt
@csp_override({**settings.SECURE_CSP, "frame-ancestors": settings.IRIS_WIDGET_FRAME_ANCESTORS})
def verify_widget(request):
    """The verify page as a small, script-free form a partner frames in its own page.

    Sent by GET (a framed form on another site carries no cookie for a CSRF check); checks
    count against the verify page's limit. `?lang=` picks one of the portal's languages.
    """
    form = VerifyWidgetForm(request.GET if "number" in request.GET else None)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    ctx = {"form": form, "checked": False, "lang": language}
    with translation.override(language):
        if form.is_bound and form.is_valid():
            limit, period = settings.IRIS_VERIFY_LIMIT
            if throttle_exceeded(request, scope="iris-verify", limit=limit, period=period):
                return _widget_paused(request, language=language, period=period)
            ctx.update(
                checked=True,
                number=form.cleaned_data["number"],
                recruiter=recruiter_by_number(number=form.cleaned_data["number"]),
                checked_at=timezone.localtime(timezone.now()),
            )
        return render(request, "iris/verify_widget.html", ctx)
