"""/api/v1/contacts/check/: the contact check, as the page answers it, for partners' apps.

Answered in the page's own words, in the language of Accept-Language; throttled as the rest
of the API. No Last-Modified: an answer changes when a contact or an impostor is recorded,
which the roster's date does not follow; the ETag still saves a repeat download."""

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from iomuk.dates import long_date
from iomuk.sentences import one_full_stop

from .api import ApiKeyAuthentication, JsonAlways
from .api_limits import ClientThrottle, RateLimitHeaders
from .api_openapi import (
    ACCEPT_LANGUAGE,
    CONDITIONAL_HEADERS,
    NOT_MODIFIED,
    RATE_LIMIT_HEADERS,
    REVALIDATION_HEADERS,
    problems,
)
from .contact_keys import REGIONS
from .contact_services import ANSWERS, AUTHORISED, NOT_VALID, UNKNOWN, WARNING, contact_check

ETAG, IF_NONE_MATCH = REVALIDATION_HEADERS[0], CONDITIONAL_HEADERS[0]
CONTACT_MAX_LENGTH = 200
# Something to check: at least one character that is not a space (and no NUL, see api.py).
# The spaces are named as well as `\s`: a client reads the pattern as JavaScript, whose `\s`
# lacks the separators and NEL that Python strips, and has the BOM, which Python keeps.
REGION_PATTERN = "^(" + "|".join(REGIONS) + ")?$"
CONTACT_PATTERN = r"^[^\x00]*[^\x00\s\x1c-\x1f\x85\ufeff][^\x00]*$"


class ContactQuerySerializer(serializers.Serializer):
    contact = serializers.RegexField(
        CONTACT_PATTERN,
        max_length=CONTACT_MAX_LENGTH,
        help_text="The phone number, web address, email address, social media page or agent's "
        "name to check, written any way.",
    )
    country = serializers.RegexField(
        REGION_PATTERN,
        required=False,
        allow_blank=True,
        trim_whitespace=False,  # a code is given as the pattern says, spaces and all
        help_text="The country a phone number written without its country code is from "
        "(BG, CZ, HU, RO or GB; GB when left out or empty).",
    )


class CheckedRecruiterSerializer(serializers.Serializer):
    name = serializers.CharField(source="legal_name")
    number = serializers.CharField(source="accreditation_number", allow_null=True)
    standing = serializers.CharField(source="effective_state")
    valid_until = serializers.DateField(allow_null=True)
    page = serializers.SerializerMethodField()

    def get_page(self, recruiter) -> str:
        return settings.SITE_URL + reverse("iris:recruiter", args=[recruiter.slug])


class ContactCheckSerializer(serializers.Serializer):
    """A contact checked, in the check page's words."""

    contact = serializers.CharField(source="text")
    answer = serializers.ChoiceField(
        choices=list(ANSWERS),
        help_text="authorised: a contact of a recruiter accredited today; not_valid: a contact "
        "of a recruiter whose accreditation is not valid today; warning: on the list of "
        "impostors; unknown: no listed recruiter has given us this contact; name: not a "
        "contact but a name, and no agent of that name (search the roster by name).",
    )
    message = serializers.CharField()
    recruiter = CheckedRecruiterSerializer(
        allow_null=True,
        help_text="Whose contact it is (authorised, not_valid) or whom it pretends to be "
        "(warning).",
    )
    reported_on = serializers.DateField(allow_null=True)
    report = serializers.URLField(help_text="Where to report a recruiter or an impostor.")


def contact_check_answer(check) -> dict:
    """The check's answer as the API gives it: the page's words, in the caller's language."""
    recruiter = check.recruiter
    if check.answer == AUTHORISED:
        message = (
            gettext("This contact belongs to a recruiter on our list.")
            + " "
            + gettext("It is a contact of %(name)s, accredited by IRIS until %(date)s.")
            % {"name": recruiter.legal_name, "date": long_date(recruiter.valid_until)}
        )
    elif check.answer == NOT_VALID:
        message = (
            gettext("This contact belongs to a recruiter whose accreditation is not valid today.")
            + " "
            + gettext("It is a contact of %(name)s. Its accreditation is: %(state)s.")
            % {
                "name": recruiter.legal_name,
                "state": recruiter.effective_state_label,
            }
        )
    elif check.answer == WARNING:
        said = {"date": long_date(check.reported_on)}
        if recruiter is not None:
            said["name"] = recruiter.legal_name
            reported = gettext(
                "It pretends to be %(name)s, and it is not. It was reported to us on %(date)s."
            )
        else:
            reported = gettext(
                "It pretends to be a recruiter on our list, and it is not. It was reported to "
                "us on %(date)s."
            )
        message = " ".join(
            [
                gettext("Warning: this contact is on our list of impostors."),
                reported % said,
                gettext(
                    "Do not pay anything, send documents or travel. Stop answering them. Tell "
                    "us what happened: it helps us warn others."
                ),
            ]
        )
    elif check.answer == UNKNOWN:
        message = " ".join(
            [
                gettext("We do not know this contact."),
                gettext(
                    "No recruiter on our list has given us this contact. That does not mean it "
                    "is false: a genuine recruiter may not have given us every contact it uses. "
                    "It does not mean it is safe either."
                ),
                gettext(
                    "What to do: find the recruiter on our list, then call the number on its "
                    "page and ask if this contact is theirs."
                ),
            ]
        )
    else:
        message = " ".join(
            [
                gettext("We have no agent by that name."),
                gettext(
                    "A name is easy to copy. If you can, check the phone number, website or "
                    "email address they use instead. To find a recruiter by its name, search "
                    "our list."
                ),
            ]
        )
    return {
        "text": check.text,
        "answer": check.answer,
        "message": one_full_stop(message),
        "recruiter": recruiter,
        "reported_on": check.reported_on,
        "report": settings.SITE_URL + reverse("iris:complaint-new"),
    }


class ContactCheck(RateLimitHeaders, APIView):
    http_method_names = ["get", "head", "options"]
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ClientThrottle]
    content_negotiation_class = JsonAlways

    @classmethod
    def as_view(cls, **initkwargs):
        return decorator_from_middleware(ConditionalGetMiddleware)(super().as_view(**initkwargs))

    @extend_schema(
        operation_id="contacts_check",
        summary="Check a contact",
        description="Whose is this phone number, website, email address, social media page or "
        "agent: a listed recruiter's (authorised), a known impostor's (warning), or nobody's "
        "we know (unknown). Phone numbers are compared in E.164, web and email addresses by "
        "registrable domain. In the words of the check page, in the language of "
        "Accept-Language (en, bg, cs, hu, ro).",
        parameters=[
            OpenApiParameter(
                "contact",
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": CONTACT_MAX_LENGTH,
                    "pattern": CONTACT_PATTERN,
                },
                required=True,
                description=ContactQuerySerializer().fields["contact"].help_text,
            ),
            OpenApiParameter(
                "country",
                {"type": "string", "pattern": REGION_PATTERN},
                description=ContactQuerySerializer().fields["country"].help_text,
            ),
            ACCEPT_LANGUAGE,
            *RATE_LIMIT_HEADERS,
            # An ETag and If-None-Match only: a check has no time it last changed.
            ETAG,
            IF_NONE_MATCH,
        ],
        responses={
            200: OpenApiResponse(
                ContactCheckSerializer,
                description="Whose the contact is: `authorised`, `warning`, `unknown`, "
                "`not_valid` (not a contact that can be read) or `name` (a name without a "
                "contact: search the list instead).",
            ),
            304: NOT_MODIFIED,
            **problems(),
        },
    )
    def get(self, request):
        query = ContactQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise exceptions.ValidationError(query.errors)
        check = contact_check(
            text=query.validated_data["contact"],
            region=query.validated_data.get("country") or "GB",
        )
        return Response(ContactCheckSerializer(contact_check_answer(check)).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Language"])
        if response.status_code in (200, 304):
            response["Cache-Control"] = "public, no-cache"
        return response
