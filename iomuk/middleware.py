import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path

from .context_processors import portal_facts

logger = logging.getLogger(__name__)

# What a signed-in account may reach before its second factor is checked: signing in and out,
# setting up or checking the second factor, and a password reset by emailed link. Everything
# else, the password change included, needs both factors: a phished password alone opens nothing.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/")
_OPEN_URL_NAMES = {
    "login",
    "logout",
    "second-factor",
    "set-up",
    "set-up-link",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# A signed-in session ends this long after its password was given, however busy it is.
SESSION_STARTED_KEY = "iomuk_signed_in_at"


def _is_open_before_second_factor(request) -> bool:
    if request.path.startswith(_OPEN_PREFIXES):
        return True
    try:
        return resolve(request.path_info).url_name in _OPEN_URL_NAMES
    except Resolver404:
        return False


class RequireSecondFactorMiddleware:
    """A password alone opens nothing: every signed-in account must pass its second factor.

    Every signed-in session also ends SESSION_ABSOLUTE_SECONDS after sign-in, however busy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED_KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                # Signing in again (or out) goes on as the anonymous visitor it now is.
                if not _is_open_before_second_factor(request):
                    return redirect_to_login(request.get_full_path())
            elif not user.is_verified() and not _is_open_before_second_factor(request):
                return redirect(f"{reverse('second-factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class RefuseNulBytesMiddleware:
    """A NUL byte in the address is never a person's input: a plain 404 or 400 page, not a 500.

    PostgreSQL refuses NUL in text, so a lookup with one would fail deep in a query. In the path
    it names no page (404); in the query string it is a bad request (400). Forms are left to
    their fields, which already say "Null characters are not allowed" beside the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return _refused(request, 404)
        if any("\x00" in key or "\x00" in value for key, value in _pairs(request.GET)):
            return _refused(request, 400)
        return self.get_response(request)


class RefuseLargeBodiesMiddleware:
    """A request body over REQUEST_MAX_BYTES is refused (413) before a byte of it is read.

    Django would otherwise spool a 300 MB upload to disk before a form says "smaller than 5 MB".
    The limit fits the largest form (UPLOAD_MAX_FILES files of UPLOAD_MAX_BYTES and its other
    fields). A body sent without a length (chunked) cannot be shown to fit, and Django would
    read none of it: it is refused too. The page is in the visitor's language, with the exit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refused(request, 400)
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length > settings.REQUEST_MAX_BYTES or (chunked and not length):
            mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            # The exit button on every path: the refused form may be one a person hides.
            ctx = {"file_mb": mb, "files": settings.UPLOAD_MAX_FILES, "show_quick_exit": True}
            return render(request, "413.html", ctx, status=413)
        return self.get_response(request)


class ApiGZipMiddleware(GZipMiddleware):
    """The open API's answers gzip-compressed for a client that asks (`Accept-Encoding: gzip`).

    Only under /api/, and never an HTML page: compressing a page that carries a secret (a CSRF
    token, a key) beside text an attacker can put in it leaks the secret by the length of the
    answers (BREACH). The API's JSON and CSV carry neither.

    Every API answer says it varies by Accept-Encoding, and its ETag is weak: the same record
    compressed or not is the same record, and a 304 (too short to compress) carries the same
    validator as the 200 it stands for (RFC 9110 8.8.1, 15.4.5).
    """

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            response = super().process_response(request, response)
        patch_vary_headers(response, ["Accept-Encoding"])
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response


def api_problem(request, status: int, detail: str) -> JsonResponse:
    """An error under /api/ met before the API's own views (which answer the same way): RFC 9457
    problem details, the path it happened at as its `instance`."""
    problem = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    problem["detail"] = detail
    problem["instance"] = escape_uri_path(request.path)
    return JsonResponse(problem, status=status, content_type="application/problem+json")


# A lost connection (PostgreSQL restarting, a failover) or one Django had to give up on: the
# request's transaction did not commit, so the page can say plainly that nothing was saved.
DATABASE_LOST = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER_SECONDS = 5


def database_unavailable_response(request) -> HttpResponse:
    """The 503 for a lost database connection, in the reader's language (the locale middleware
    has run), drawn from the settings alone: the session, the user and anything else read from
    the database are out of reach."""
    if request is not None and request.path.startswith("/api/"):
        response = api_problem(request, 503, "Nothing was saved. Try again in a moment.")
    else:
        html = loader.get_template("503.html").render(portal_facts())
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


class _WritesOutsideTransactions:
    """Notes a statement other than a read sent outside a transaction: in autocommit it may
    have committed the moment it was sent."""

    def __init__(self):
        self.sent = False

    def __call__(self, execute, sql, params, many, context):
        if not context["connection"].in_atomic_block and sql.lstrip()[:6].upper() != "SELECT":
            self.sent = True
        return execute(sql, params, many, context)


class DatabaseUnavailableMiddleware:
    """A view whose database connection is lost answers the 503 page, not the generic 500.

    Where nothing the view wrote can have committed, it is first tried once more on a new
    connection: no COMMIT was sent (a connection lost mid-transaction rolls it back), no write
    went out in autocommit, and no file came with the request (uploads are stored as the record
    commits, and a retry would meet them half-read). A COMMIT that was sent and then lost may
    have committed: that request is not retried. (An error raised in a middleware before the
    view reaches `views.server_error`, which answers the same 503.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.database_writes = _WritesOutsideTransactions()
        request.database_commits = getattr(connection, "commits_attempted", None)
        with connection.execute_wrapper(request.database_writes):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_LOST):
            return None
        if _nothing_can_have_committed(request):
            match = request.resolver_match
            # Named by its view: a path can hold a booking's token.
            logger.warning(
                "database connection lost before any commit: %s tried again", match.view_name
            )
            connection.close()  # the next statement opens a new connection
            try:
                return match.func(request, *match.args, **match.kwargs)
            except DATABASE_LOST:
                pass
        match = request.resolver_match
        view = match.view_name if match is not None else "an unresolved address"
        # Named by its view, never its path (a path can hold a token).
        logger.error("database unavailable: %s %s answered 503", request.method, view)
        return database_unavailable_response(request)


def _nothing_can_have_committed(request) -> bool:
    commits = getattr(connection, "commits_attempted", None)
    return (
        request.resolver_match is not None
        and commits is not None
        and commits == getattr(request, "database_commits", None)
        and not request.database_writes.sent
        and not connection.in_atomic_block
        and not _carries_files(request)
    )


def _carries_files(request) -> bool:
    try:
        return bool(request.FILES)
    except Exception:  # noqa: BLE001 - a body the view read as a stream: it cannot be read again
        return True


def _refused(request, status: int):
    if request.path.startswith("/api/"):
        return api_problem(request, status, "A NUL character is not allowed.")
    return render(request, f"{status}.html", status=status)


def _pairs(query):
    return ((key, value) for key, values in query.lists() for value in values)


class NoStoreByDefaultMiddleware:
    """A page is never kept by a browser or a proxy unless its view says it may be.

    Booking pages, a complaint's status, evidence, exports and every staff page carry secrets or
    personal data; rather than remember each, every response without its own Cache-Control gets
    `no-store`. Static files are answered before this runs and keep their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response


# The query parameter that names the language of a link's page: ?lang=ro.
LANGUAGE_QUERY = "lang"


def remember_language(response, language: str) -> None:
    """Keep a language for the rest of the visit: a session cookie, gone when the browser closes."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's choice of language (cookie, then the browser's), unless the link names one.

    A link in an email written in Romanian carries ?lang=ro: it opens its page in Romanian in
    any browser, one that has never been here included, and the visit stays in Romanian, as if
    the reader had chosen it with the language links. The page's own address stays as it was.
    """

    def process_request(self, request):
        super().process_request(request)
        language = request.GET.get(LANGUAGE_QUERY, "")
        if language in dict(settings.LANGUAGES) and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
            request.language_from_link = language

    def process_response(self, request, response):
        response = super().process_response(request, response)
        language = getattr(request, "language_from_link", "")
        # A page made to be framed in a partner's site (the verify widget) sets no cookie.
        framed = getattr(response, "xframe_options_exempt", False)
        if (
            language
            and not framed
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            remember_language(response, language)
        return response
