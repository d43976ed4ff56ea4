import sys

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, TooManyFieldsSent
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login

from . import dashboard, health, roles
from .accounts import (
    ENROLMENT_LINK_HOURS,
    EnrolmentLinkError,
    enrolment_link_open,
    enrolment_link_send,
    totp_device_being_set_up,
    totp_device_for,
    totp_enrolment,
    totp_verify,
)
from .context_processors import portal_facts
from .csv_export import csv_response
from .forms import PasswordResetRequestForm, SecondFactorForm, SubjectAccessForm
from .middleware import (
    DATABASE_LOST,
    api_problem,
    database_unavailable_response,
    remember_language,
)
from .periods import period_in_words
from .staff import staff_page
from .subject_access import (
    SUBJECT_ACCESS_PERMISSION,
    Person,
    SubjectAccessError,
    subject_access_erase,
    subject_access_export,
    subject_access_find,
    subject_access_language,
    subject_access_pdf,
    subject_access_sources,
)
from .throttle import public_form, throttle_key_exceeded, throttled_response


def server_error(request):
    """The 500 page, with the quick exit and the help lines but no context processors: whatever
    failed (the database, the cache) must not stop this page being drawn. A lost database
    connection met outside a view (loading the session, the user) gets the 503 page instead."""
    if isinstance(sys.exc_info()[1], DATABASE_LOST):
        return database_unavailable_response(request)
    html = loader.get_template("500.html").render(portal_facts())
    return HttpResponseServerError(html)


def bad_request(request, exception):
    """Django's own 400 (a request refused before any view, as too many query parameters):
    problem details under /api/, the portal's page elsewhere (the project's `handler400`)."""
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, TooManyFieldsSent):
        detail = f"At most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} query parameters are read."
    else:
        detail = "The request could not be read."
    return api_problem(request, 400, detail)


def api_nowhere(request):
    """Any address under /api/ outside a version the portal serves: a 404 problem."""
    return api_problem(request, 404, "There is nothing at this address of the API.")


def home(request):
    return render(request, "iomuk/home.html")


def privacy(request):
    """What each service collects, why, who sees it and when it goes: from the settings in force."""
    ctx = {
        "training_period": period_in_words(settings.TRAINING_RETENTION_DAYS),
        "request_period": period_in_words(settings.TRAINING_REQUEST_RETENTION_DAYS),
        "returns_period": period_in_words(settings.RETURNS_RETENTION_DAYS),
        "iris_period": period_in_words(settings.IRIS_RETENTION_DAYS),
        "outbox_days": settings.OUTBOX_RETENTION_DAYS,
    }
    return render(request, "iomuk/privacy.html", ctx)


def accessibility(request):
    return render(request, "iomuk/accessibility.html")


def cover_your_tracks(request):
    """How to leave fewer traces of a visit: history, this site's cookies, a private window."""
    return render(request, "iomuk/cover_your_tracks.html", _cookie_facts())


def cookies(request):
    return render(request, "iomuk/cookies.html", _cookie_facts())


def _cookie_facts() -> dict:
    """The names of the cookies this site sets and how long they last, from the settings."""
    return {
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "messages_cookie": "messages",
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
    }


@require_GET
@never_cache
def set_language(request):
    """Remember the chosen language for the visit and go back to a page of this site, else home.

    A plain link, not a form: public pages set no CSRF cookie.
    """
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        remember_language(response, language)
    return response


@never_cache
def healthz(request):
    """Liveness without `?checks`; readiness (database, cache, broker) by default."""
    if request.GET.get("checks") == "none":
        return JsonResponse({"status": "ok"})
    checks = {
        "database": health.check_database(),
        "cache": health.check_cache(),
        "broker": health.check_broker(),
    }
    ready = checks["database"] == "ok" and checks["broker"] in ("ok", "eager")
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    # Still ready without the cache (the forms stay open), but not as safe: say what is off.
    degraded = health.degraded(cache_state=checks["cache"])
    if degraded:
        body["degraded"] = degraded
    return JsonResponse(body, status=200 if ready else 503)


@staff_page
@login_required
@never_cache
def staff_dashboard(request):
    user = request.user
    if not user.has_perm("iomuk.view_staff_workspace"):
        # Partner referrers have one page of their own: the referrals they made.
        if roles.user_has_role(user, roles.PARTNER_REFERRERS):
            return redirect("returns:my-referrals")
        raise PermissionDenied
    user_roles = [role for role in roles.ALL if role in {g.name for g in user.groups.all()}]
    teams: dict[str, list] = {}
    for spec in dashboard.panels_for(user):
        teams.setdefault(str(spec.team), []).append(spec.build(user))
    # The same check as /healthz: while it says "degraded", staff see it here too.
    degraded = health.degraded(cache_state=health.check_cache())
    ctx = {"user_roles": user_roles, "teams": teams, "degraded": degraded}
    return render(request, "iomuk/staff_dashboard.html", ctx)


@staff_page
@login_required
@permission_required("iomuk.view_staff_workspace", raise_exception=True)
@never_cache
def staff_panel_csv(request, slug: str):
    """One panel's figures as CSV, for the people who may see the panel."""
    spec = dashboard.panel_spec(slug)
    if spec is None:
        raise Http404
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    panel = spec.build(request.user)
    filename = f"{slug}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, panel.headers, panel.rows)


@staff_page
@login_required
@never_cache
def second_factor(request):
    """Check a code from the account's authenticator, or set one up after a set-up link was
    opened in this session; an account with neither is told to use its set-up link."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.user.is_verified():
        return redirect(next_url or "staff-dashboard")
    enrolling = totp_device_being_set_up(
        user=request.user, device_id=request.session.get(_SET_UP_DEVICE)
    )
    device = enrolling or totp_device_for(user=request.user)
    if device is None:
        ctx = {"sent": request.GET.get("sent"), "hours": ENROLMENT_LINK_HOURS}
        return render(request, "registration/set_up_needed.html", ctx)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_verify(device=device, code=form.cleaned_data["code"]):
            request.session.pop(_SET_UP_DEVICE, None)
            # A new session id once both factors are passed: one seen before is worth nothing.
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(next_url or "staff-dashboard")
        form.add_error("code", _("That code is not right, or it has expired. Try the newest one."))
    ctx = {"form": form, "next": next_url, "enrolling": enrolling is not None}
    if enrolling:
        ctx.update(totp_enrolment(device=enrolling))
    return render(request, "registration/second_factor.html", ctx)


_SET_UP_DEVICE = "iomuk_set_up_device"


@staff_page
@login_required
@never_cache
def set_up(request, token):
    """A one-time set-up link, opened by the signed-in account it was sent to."""
    try:
        device = enrolment_link_open(user=request.user, token=token)
    except EnrolmentLinkError:
        ctx = {"bad_link": True, "hours": ENROLMENT_LINK_HOURS}
        return render(request, "registration/set_up_needed.html", ctx, status=404)
    request.session[_SET_UP_DEVICE] = device.pk
    return redirect("second-factor")


@staff_page
@login_required
@require_POST
def set_up_link_request(request):
    """Email a new set-up link to the signed-in account's own address (a few an hour)."""
    if totp_device_for(user=request.user) is not None:
        return redirect("second-factor")  # it has an authenticator: a code is asked for
    limit, period = settings.SET_UP_LINK_LIMIT
    if throttle_key_exceeded(
        scope="set-up-link", key=str(request.user.pk), limit=limit, period=period
    ):
        return throttled_response(request, period=period)
    sent = "yes" if enrolment_link_send(user=request.user) else "no-address"
    return redirect(f"{reverse('second-factor')}?sent={sent}")


# Each client may ask for PASSWORD_RESET_CLIENT_LIMIT reset emails an hour; the form limits
# each address asked for on its own.
password_reset = staff_page(
    public_form(scope="password-reset", limit_setting="PASSWORD_RESET_CLIENT_LIMIT")(
        auth_views.PasswordResetView.as_view(form_class=PasswordResetRequestForm)
    )
)


def _person(form: SubjectAccessForm) -> Person:
    data = form.cleaned_data
    return Person(
        name=data["name"].strip(),
        email=data["email"],
        date_of_birth=data["date_of_birth"],
        phone=data["phone"].strip(),
    )


@staff_page
@login_required
@permission_required(SUBJECT_ACCESS_PERMISSION, raise_exception=True)
@never_cache
def subject_access(request):
    """A subject access request across the portal: the identifiers are posted, never in the
    address; each button finds, exports (JSON or PDF) or erases, through the service."""
    ctx = {"sources": subject_access_sources()}
    if request.method != "POST":
        ctx["form"] = SubjectAccessForm()
        return render(request, "iomuk/subject_access.html", ctx)
    form = SubjectAccessForm(request.POST, action=request.POST.get("action", "find"))
    ctx["form"] = form
    if not form.is_valid():
        if form.non_field_errors() or set(form.errors) - {"confirm_erase"}:
            return render(request, "iomuk/subject_access.html", ctx, status=400)
        # Only the erasure's confirmation is missing: the records stay in view beside the error.
        ctx["found"] = subject_access_find(person=_person(form), by=request.user)
        return render(request, "iomuk/subject_access.html", ctx, status=400)
    person = _person(form)
    try:
        if form.action == "json":
            export = subject_access_export(person=person, by=request.user)
            response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
            response["Content-Disposition"] = 'attachment; filename="subject-access.json"'
            response["Cache-Control"] = "private, no-store"
            return response
        if form.action == "pdf":
            pdf, language = subject_access_pdf(
                person=person, by=request.user, language=form.cleaned_data["language"]
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="subject-access-{language}.pdf"'
            )
            response["Cache-Control"] = "private, no-store"
            return response
        if form.action == "erase":
            ctx["erasure"] = subject_access_erase(person=person, by=request.user)
        ctx["found"] = subject_access_find(person=person, by=request.user)
    except SubjectAccessError as exc:
        ctx["error"] = str(exc)
        return render(request, "iomuk/subject_access.html", ctx, status=400)
    ctx["language_name"] = dict(settings.LANGUAGES)[subject_access_language(ctx["found"])]
    return render(request, "iomuk/subject_access.html", ctx)
