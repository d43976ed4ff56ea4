"""The open, read-only roster API (/api/v1/) for partner NGOs and job boards.

It shows only what a recruiter's public page shows, answers a number as the verify page does,
and is searched with the roster's own selectors. Anyone may call it, throttled per client
address; a registered partner's key (issued in the admin) gets a higher rate.

Over 400 lines on purpose: the API's whole contract (its serializers, its problems, its
throttles, its conditional answers and its views) reads in one place, as its schema does.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from django.utils.html import strip_tags
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language, gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from iomuk.dates import long_date
from iomuk.sentences import one_full_stop

from .api_addresses import (
    MOVED,
    IndexSerializer,
    api_links,
    canonical_number_redirect,
    trailing_slash_redirect,
)
from .api_limits import ClientThrottle, RateLimitHeaders, refused_key, refused_key_paused
from .api_openapi import (
    ACCEPT_LANGUAGE,
    CONDITIONAL_HEADERS,
    LINK_HEADER,
    LOCATION_HEADER,
    NOT_MODIFIED,
    PROBLEM_JSON,
    RATE_LIMIT_HEADERS,
    REVALIDATION_HEADERS,
    problem,
    problems,
    recruiter_examples,
    verify_examples,
)
from .api_paging import MAX_PAGE_SIZE, ORDERS, PagingQuerySerializer, RosterCursor
from .models import AccreditationState, Country, Recruiter, Sector
from .selectors import (
    LISTED_STANDINGS,
    api_key_active,
    lapsed_since,
    recruiter_answer_load,
    recruiter_by_number,
    roster_changed_at,
    roster_for_api,
    roster_with_page_facts,
    standing_history,
)
from .services import api_key_hash, api_key_note_use

# The longest accreditation number the verify page accepts.
NUMBER_MAX_LENGTH = 30

# ---------------------------------------------------------------------------
# Who is calling, and how often
# ---------------------------------------------------------------------------


class ApiKeyAuthentication(BaseAuthentication):
    """A partner sends `Authorization: Bearer <key>`; an unknown or revoked key, or a key sent
    any other way, is refused (and counted against the address, see api_limits), never
    quietly treated as anonymous."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words:
            return None
        if words[0].lower() != b"bearer" or len(words) != 2:
            raise refused_key(request, "Send the key as: Authorization: Bearer <key>.")
        if paused := refused_key_paused(request):
            raise paused
        token = words[1].decode("latin-1")
        key = api_key_active(key_hash=api_key_hash(token))
        if key is None:
            raise refused_key(request, "This API key is unknown or was revoked.")
        api_key_note_use(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "partnerKey"
    optional = True

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A registered partner's key: a higher rate limit. Optional.",
        }


# ---------------------------------------------------------------------------
# Errors as RFC 9457 problem details
# ---------------------------------------------------------------------------


def problem_details(exc, context):
    """Every error the API answers as `application/problem+json`: type, title, status, detail,
    the path as `instance`, and for a bad parameter the messages by parameter under `errors`."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    path = context["request"].path
    if isinstance(detail, dict | list):
        answer = problem(response.status_code, "Some parameters are not valid.", path)
        answer["errors"] = detail if isinstance(detail, dict) else {"non_field_errors": detail}
    else:
        answer = problem(response.status_code, str(detail), path)
    response.data = answer
    response.content_type = PROBLEM_JSON
    return response


# ---------------------------------------------------------------------------
# What a recruiter's public page shows
# ---------------------------------------------------------------------------


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, country: Country) -> str:
        return str(country)


class SectorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, sector: Sector) -> str:
        return str(sector)


PUBLIC_STANDINGS = [state for state in AccreditationState.values if state != "applicant"]
VERIFY_ANSWERS = [*PUBLIC_STANDINGS, "unknown"]


def _public_page(recruiter: Recruiter) -> str:
    return settings.SITE_URL + reverse("iris:recruiter", args=[recruiter.slug])


class RecruiterSerializer(serializers.Serializer):
    """A recruiter as its public page shows it, field for field."""

    # tests/api/test_no_private_data.py compares the two.

    number = serializers.CharField(source="accreditation_number", allow_null=True)
    name = serializers.CharField(source="legal_name")
    trading_names = serializers.ListField(source="trading_name_list", child=serializers.CharField())
    standing = serializers.ChoiceField(source="effective_state", choices=PUBLIC_STANDINGS)
    standing_label = serializers.CharField(source="effective_state_label")
    granted_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    registration_number = serializers.CharField()
    headquarters = CountrySerializer(source="hq_country")
    recruits_from = serializers.SerializerMethodField()
    places_in = serializers.SerializerMethodField()
    sectors = SectorSerializer(many=True, source="sectors.all")
    website = serializers.CharField()
    page = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(
        help_text="When anything this record shows last changed (for `updated_since`)."
    )

    def _countries(self, recruiter: Recruiter, kind: str) -> list[dict]:
        # Iterates the prefetched operations, as the public page does. Each country is drawn by
        # the CountrySerializer this serializer already holds: a new one for each list would
        # copy its fields again, twice for every recruiter of a page.
        country = self.fields["headquarters"]
        return [
            country.to_representation(op.country)
            for op in recruiter.operations.all()
            if op.kind == kind
        ]

    @extend_schema_field(CountrySerializer(many=True))
    def get_recruits_from(self, recruiter: Recruiter) -> list[dict]:
        return self._countries(recruiter, "origin")

    @extend_schema_field(CountrySerializer(many=True))
    def get_places_in(self, recruiter: Recruiter) -> list[dict]:
        return self._countries(recruiter, "destination")

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, recruiter: Recruiter) -> str:
        return _public_page(recruiter)


class VerifySerializer(serializers.Serializer):
    """An accreditation number checked, in the verify page's words."""

    number = serializers.CharField()
    answer = serializers.ChoiceField(
        choices=VERIFY_ANSWERS,
        help_text="The number's standing today, in the words of `standing` (accredited: valid "
        "today), or unknown.",
    )
    valid = serializers.BooleanField(help_text="True when the number is valid today.")
    message = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    page = serializers.URLField(allow_null=True)


def verify_answer(*, number: str) -> dict:
    """What the verify page answers for `number`: valid, suspended, expired, withdrawn or
    unknown, in its own words (and so in the caller's language)."""
    recruiter = recruiter_by_number(number=number)
    if recruiter is None:
        message = (
            strip_tags(
                gettext("“%(number)s” is <strong>not</strong> an accreditation number on our list.")
                % {"number": number}
            )
            + " "
            + gettext(
                "We have no accreditation with that number. Check you typed it exactly as "
                "shown, or search our list by the recruiter's name."
            )
        )
        return {
            "number": number,
            "answer": "unknown",
            "valid": False,
            "message": message,
            "name": None,
            "valid_until": None,
            "page": None,
        }
    issued = recruiter.accreditation_number
    answer = recruiter.effective_state
    if recruiter.is_valid_today:
        message = (
            strip_tags(gettext("%(number)s is <strong>valid</strong> today.") % {"number": issued})
            + " "
            + gettext("It belongs to %(name)s and is valid until %(date)s.")
            % {"name": recruiter.legal_name, "date": long_date(recruiter.valid_until)}
        )
    else:
        message = (
            strip_tags(
                gettext("%(number)s is <strong>not</strong> valid today.") % {"number": issued}
            )
            + " "
            + gettext("It was issued to %(name)s. Its accreditation is: %(state)s.")
            % {"name": recruiter.legal_name, "state": recruiter.effective_state_label}
        )
    return {
        "number": issued,
        "answer": answer,
        "valid": recruiter.is_valid_today,
        "message": one_full_stop(message),
        "name": recruiter.legal_name,
        "valid_until": recruiter.valid_until,
        "page": _public_page(recruiter),
    }


# ---------------------------------------------------------------------------
# The endpoints
# ---------------------------------------------------------------------------


# A NUL character is refused before any view (iomuk.middleware.RefuseNulBytesMiddleware).
NO_NUL = r"^[^\x00]*$"
COUNTRY_PATTERN = r"^([A-Za-z]{2})?$"
SECTOR_PATTERN = r"^[-A-Za-z0-9_]{0,30}$"


class RosterQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=100,
        help_text="A name or trading name (accents, case and small typos forgiven), "
        "or an accreditation number.",
    )
    # A well-formed code that names no country or sector finds no one, as on the roster page.
    # Left empty, as the roster page's "Any country", it filters nothing.
    country = serializers.RegexField(
        COUNTRY_PATTERN,
        required=False,
        allow_blank=True,
        trim_whitespace=False,  # a code is given as the pattern says, spaces and all
        help_text="A country code (GB, RO…): head office or a country of operation.",
    )
    sector = serializers.RegexField(
        SECTOR_PATTERN,
        required=False,
        allow_blank=True,
        trim_whitespace=False,  # a code is given as the pattern says, spaces and all
        help_text="A sector code (care, agriculture…).",
    )


STANDING_PATTERN = (
    r"^(accredited|suspended|expired|withdrawn)(,(accredited|suspended|expired|withdrawn))*$"
)


class SyncQuerySerializer(PagingQuerySerializer):
    """What a partner keeping a copy asks for: every standing, and only what changed."""

    standing = serializers.RegexField(
        STANDING_PATTERN,
        required=False,
        default=",".join(LISTED_STANDINGS),
        trim_whitespace=False,  # a code is given as the pattern says, spaces and all
        error_messages={
            "invalid": "Standings, separated by commas: accredited, suspended, expired, withdrawn."
        },
        help_text="The standings listed, separated by commas: accredited, suspended (the "
        "default: those on the roster), expired, withdrawn. To keep a copy, ask for all four.",
    )
    updated_since = serializers.DateTimeField(
        required=False,
        default=None,
        help_text="Only recruiters whose record changed at or after this time (ISO 8601, with "
        "its offset): each record's `updated_at`.",
    )

    def validate(self, attrs):
        # DRF takes an empty optional value as absent; the schema says a value, so a 400.
        empty = [name for name in self.fields if self.initial_data.get(name) == ""]
        if empty:
            raise serializers.ValidationError({name: ["Give a value."] for name in empty})
        return attrs


CURSOR = OpenApiParameter(
    "cursor",
    {"type": "string", "pattern": NO_NUL},
    description="The cursor of a page: follow the answer's `next` and `previous` (any other "
    "cursor is a 400).",
)


class JsonAlways(BaseContentNegotiation):
    """Every answer is JSON (errors `application/problem+json`), whatever `Accept` or a
    `?format=` asks: a server may answer its one form (RFC 9110 12.5.1) rather than 406."""

    def select_parser(self, request, parsers):
        return None  # nothing is ever sent to the API

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _whole_second_over(changed) -> int | None:
    """The time of a change in whole seconds, once that second is over (else None)."""
    second = int(changed.timestamp())
    return second if second < int(time.time()) else None


class RosterApiView(RateLimitHeaders, APIView):
    """GET only; each answer carries Last-Modified (the roster's newest change) and an ETag
    of its content, so a repeat fetch with If-None-Match or If-Modified-Since gets a 304."""

    http_method_names = ["get", "head", "options"]
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ClientThrottle]
    content_negotiation_class = JsonAlways

    @classmethod
    def as_view(cls, **initkwargs):
        return decorator_from_middleware(ConditionalGetMiddleware)(super().as_view(**initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Names of states and countries follow the caller's language.
        patch_vary_headers(response, ["Accept-Language"])
        # A 304 carries what the 200 would (RFC 9110 15.4.5).
        if response.status_code in (200, 304):
            # HTTP dates count whole seconds: a change later in the second of the newest one
            # would carry the same date, and If-Modified-Since would answer 304 with the old
            # data. So a Last-Modified is sent only once its second is over (the ETag always).
            changed = _whole_second_over(getattr(self, "changed_at", None) or roster_changed_at())
            if changed is not None:
                response["Last-Modified"] = http_date(changed)
            # Shared caches may keep it, but ask each time: a suspension shows at once.
            response["Cache-Control"] = "public, no-cache"
        return response


# Sent and answered by every operation of RosterApiView.
ROSTER_HEADERS = [ACCEPT_LANGUAGE, *CONDITIONAL_HEADERS, *RATE_LIMIT_HEADERS, *REVALIDATION_HEADERS]


class RecruiterList(RosterApiView):
    pagination_class = RosterCursor

    @extend_schema(
        operation_id="recruiters_search",
        summary="Search the roster",
        description="The public roster's search: recruiters matching a name or a number, a "
        "country, a sector, standings (by default those on the roster: accredited and "
        "suspended) and a time of change, a page at a time by cursor. A number found by `q` "
        "must pass the other filters too.",
        # Each parameter as a plain string: spectacular would add an empty value as a second
        # oneOf branch that the pattern already allows, so "" would match both, and so neither.
        parameters=[
            OpenApiParameter(name, {"type": "string", **pattern}, description=field.help_text)
            for (name, field), pattern in zip(
                RosterQuerySerializer().fields.items(),
                [
                    {"maxLength": 100, "pattern": NO_NUL},
                    {"pattern": COUNTRY_PATTERN},
                    {"pattern": SECTOR_PATTERN},
                ],
                strict=True,
            )
        ]
        + [
            OpenApiParameter(name, schema, description=SyncQuerySerializer().fields[name].help_text)
            for name, schema in [
                ("standing", {"type": "string", "pattern": STANDING_PATTERN}),
                ("updated_since", {"type": "string", "format": "date-time"}),
                ("order", {"type": "string", "enum": list(ORDERS)}),
                ("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}),
            ]
        ]
        + [CURSOR, *ROSTER_HEADERS, LINK_HEADER],
        responses={
            200: OpenApiResponse(
                RecruiterSerializer(many=True),
                description="A page of matching recruiters, with the total `count` and the "
                "cursors of the next and previous pages (also in `Link`).",
            ),
            304: NOT_MODIFIED,
            **problems(),
        },
    )
    def get(self, request):
        query = RosterQuerySerializer(data=request.query_params)
        sync = SyncQuerySerializer(data=request.query_params)
        if not (query.is_valid() & sync.is_valid()):
            raise exceptions.ValidationError({**query.errors, **sync.errors})
        filters, asked = query.validated_data, sync.validated_data
        recruiters = roster_for_api(
            q=filters["q"],
            country=filters.get("country", "").upper(),
            sector=filters.get("sector", ""),
            standings=asked["standing"].split(","),
            updated_since=asked["updated_since"],
        )
        paginator = self.pagination_class(order=asked["order"], page_size=asked["page_size"])
        page = paginator.paginate_queryset(roster_with_page_facts(recruiters), request, view=self)
        if page:
            self.changed_at = roster_changed_at(
                updated=page[0].roster_updated, written=page[0].roster_written
            )
        return paginator.get_paginated_response(RecruiterSerializer(page, many=True).data)


NUMBER = OpenApiParameter(
    "number",
    {"type": "string", "maxLength": NUMBER_MAX_LENGTH, "pattern": NO_NUL},
    OpenApiParameter.PATH,
    description="An accreditation number, written any way (IRIS-A-000123, iris a 123, 123).",
)


NOT_FOUND = "No recruiter has this accreditation number."


def _number(number: str) -> str:
    if len(number) > NUMBER_MAX_LENGTH:
        raise exceptions.ValidationError(
            {"number": [f"An accreditation number has at most {NUMBER_MAX_LENGTH} characters."]}
        )
    return number


class DecisionSerializer(serializers.Serializer):
    """One decision on a recruiter's accreditation, as its public page shows it: never why."""

    date = serializers.DateTimeField(source="decided_at")
    decision = serializers.CharField(source="kind")
    decision_label = serializers.CharField(source="get_kind_display")
    standing = serializers.ChoiceField(source="state", choices=PUBLIC_STANDINGS)
    granted_on = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)


class RecruiterHistory(RosterApiView):
    @extend_schema(
        operation_id="recruiter_history",
        summary="The history of one recruiter's standing",
        description="Each decision IRIS took on the accreditation, newest first: its date, "
        "the standing and dates it left. The reasons are not public.",
        parameters=[NUMBER, *ROSTER_HEADERS],
        responses={
            200: OpenApiResponse(
                DecisionSerializer(many=True),
                description="The decisions on the accreditation, newest first.",
            ),
            304: NOT_MODIFIED,
            **problems(not_found=NOT_FOUND),
        },
    )
    def get(self, request, number: str):
        recruiter = recruiter_by_number(number=_number(number))
        if recruiter is None:
            raise exceptions.NotFound(NOT_FOUND)
        history = standing_history(recruiter=recruiter)
        return Response(DecisionSerializer(history, many=True).data)


class RecruiterDetail(RosterApiView):
    @extend_schema(
        operation_id="recruiter",
        summary="One recruiter",
        description="A recruiter's standing, valid-until date, countries, sectors and public "
        "page, by accreditation number: as its public page shows them.",
        parameters=[NUMBER, *ROSTER_HEADERS, LOCATION_HEADER],
        responses={
            200: OpenApiResponse(
                RecruiterSerializer,
                description="The recruiter with this number, in whichever standing.",
                examples=recruiter_examples(),
            ),
            301: MOVED,
            304: NOT_MODIFIED,
            **problems(not_found=NOT_FOUND),
        },
    )
    def get(self, request, number: str):
        if moved := canonical_number_redirect(request, url_name="api:recruiter", number=number):
            return moved
        recruiter = recruiter_by_number(number=_number(number))
        if recruiter is None:
            raise exceptions.NotFound(NOT_FOUND)
        # Every change to its answer moves its `updated_at` (see Recruiter.updated_at); a
        # standing computed from dates may change at midnight; names follow the language.
        self.changed_at = max(recruiter.updated_at, lapsed_since())
        etag = quote_etag(
            hashlib.sha256(
                f"{recruiter.pk}|{self.changed_at.isoformat()}|{get_language()}".encode()
            ).hexdigest()[:32]
        )
        changed = _whole_second_over(self.changed_at)
        if not_modified := get_conditional_response(
            request._request, etag=etag, last_modified=changed
        ):
            not_modified["ETag"] = etag  # known without reading or rendering the rest
            return not_modified
        recruiter_answer_load(recruiter)
        return Response(RecruiterSerializer(recruiter).data, headers={"ETag": etag})


class Verify(RosterApiView):
    @extend_schema(
        operation_id="verify",
        summary="Check an accreditation number",
        description="Valid, suspended, expired, withdrawn or unknown, in the words of the "
        "verify page (in the language of Accept-Language: en, bg, cs, hu, ro).",
        parameters=[NUMBER, *ROSTER_HEADERS, LOCATION_HEADER],
        responses={
            200: OpenApiResponse(
                VerifySerializer,
                description="The number's standing today, or `unknown`: never a 404, as the "
                "verify page answers any number.",
                examples=verify_examples(),
            ),
            301: MOVED,
            304: NOT_MODIFIED,
            **problems(),
        },
    )
    def get(self, request, number: str):
        if moved := canonical_number_redirect(request, url_name="api:verify", number=number):
            return moved
        return Response(VerifySerializer(verify_answer(number=_number(number))).data)


class ApiIndex(RateLimitHeaders, APIView):
    """/api/v1/: the address of each part of the API."""

    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ClientThrottle]
    content_negotiation_class = JsonAlways

    @extend_schema(
        operation_id="index",
        summary="The API's links",
        description="The address of each part of the API; `{number}` stands for an "
        "accreditation number.",
        parameters=[*RATE_LIMIT_HEADERS],
        responses={
            200: OpenApiResponse(IndexSerializer, description="The API's addresses, by name."),
            **problems(),
        },
    )
    def get(self, request):
        return Response(IndexSerializer(api_links()).data)


class Moved(Exception):  # noqa: N818 - not an error: the answer is a redirect
    """Raised from `initial()` to answer with a redirect instead of the view."""

    def __init__(self, response):
        self.response = response


@extend_schema(exclude=True)
class NowhereView(RateLimitHeaders, APIView):
    """Any other address under /api/: a 404 in problem details, not the HTML page."""

    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ClientThrottle]
    content_negotiation_class = JsonAlways

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if moved := trailing_slash_redirect(request, NowhereView):
            raise Moved(moved)
        raise exceptions.NotFound("There is nothing at this address of the API.")

    def handle_exception(self, exc):
        if isinstance(exc, Moved):
            return exc.response
        return super().handle_exception(exc)

    def get(self, request, *args, **kwargs):
        raise AssertionError("not reached: initial() refuses every request")

    post = put = patch = delete = get
