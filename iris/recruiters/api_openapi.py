"""What the open API's OpenAPI document says beyond its serializers: the headers each answer
carries and each request may send, a description for every answer, its problems (RFC 9457),
and an example of a record in each standing.

The views in api.py and api_bulk.py put these on their operations; tests/api/test_schema*.py
hold the document to them."""

from http import HTTPStatus

from django.conf import settings
from django.utils.encoding import escape_uri_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
)
from rest_framework import serializers

PROBLEM_JSON = "application/problem+json"

# ---------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "uri-reference"})
class UriReferenceField(serializers.CharField):
    pass


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 problem details."""

    type = serializers.URLField(
        help_text="A URI naming the kind of problem: `about:blank`, as the status says it all."
    )
    title = serializers.CharField(help_text="The status's own phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, in plain words.")
    instance = UriReferenceField(
        help_text="The path the problem happened at (a URI reference, without the query)."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: what is wrong with each parameter, by its name.",
    )


def problem(status: int, detail: str, path: str) -> dict:
    """Problem details for `status` at `path` (its `instance`: a URI reference, escaped)."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": escape_uri_path(path),
    }


PROBLEMS = {
    400: "A parameter is not valid, is given twice, or there are too many: `errors` says which "
    "and why.",
    401: "The key sent is unknown or revoked, or it was not sent as `Authorization: Bearer "
    "<key>`. No key at all is fine: the answer is then anyone's.",
    404: "No recruiter has this accreditation number.",
    429: "Past the limit: `Retry-After` says how many seconds until the next request is allowed.",
}


def problems(**not_found: str) -> dict:
    """The problems an operation may answer: 400, 401 and 429 always; 404 when given its
    description (`not_found="..."`)."""
    described = {status: PROBLEMS[status] for status in (400, 401, 429)}
    if not_found:
        described[404] = not_found["not_found"]
    return {
        (status, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, description=description)
        for status, description in described.items()
    }


NOT_MODIFIED = OpenApiResponse(
    description="Unchanged since the ETag sent in `If-None-Match` (or the date in "
    "`If-Modified-Since`): keep your copy. No body."
)

# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------


def _response_header(name: str, description: str, statuses: bool | list[int]) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.HEADER, description=description, response=statuses
    )


RATE_LIMIT_HEADERS = [
    _response_header(
        "RateLimit-Policy",
        'The allowance (IETF httpapi draft): `"client";q=60;w=60` is 60 requests a sliding '
        "minute from one address; a partner's key has its own, higher.",
        True,
    ),
    _response_header(
        "RateLimit",
        'What is left: `"client";r=59;t=90` is 59 more requests now, and all of the allowance '
        "back in 90 seconds.",
        True,
    ),
    _response_header(
        "Retry-After", "Seconds until the next request is allowed (on a 429 only).", [429]
    ),
]

REVALIDATION_HEADERS = [
    _response_header(
        "ETag",
        "A weak validator of the answer (the same compressed or not): send it back in "
        "`If-None-Match` to get a 304 while nothing changed.",
        [200, 304],
    ),
    _response_header(
        "Last-Modified",
        "When the answer last changed, once that second is over: send it back in "
        "`If-Modified-Since`.",
        [200, 304],
    ),
]

LINK_HEADER = _response_header(
    "Link", 'RFC 8288 links to the other pages: `rel="next"` and `rel="prev"`.', [200]
)
LOCATION_HEADER = _response_header("Location", "The canonical address of the answer.", [301])

# Request headers are plain strings: a value the API cannot read is ignored, as HTTP asks.
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="en, bg, cs, hu or ro: the language of names and messages (English otherwise).",
)
CONDITIONAL_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The ETag of the copy you hold: a 304 if the answer is unchanged.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The Last-Modified of the copy you hold (an HTTP date): a 304 if nothing "
        "changed since. If-None-Match wins when both are sent.",
    ),
]

# ---------------------------------------------------------------------------
# Examples: one record in each standing
# ---------------------------------------------------------------------------

_PAGE = "{site}/iris/recruiters/{slug}/"

_RECRUITERS = {
    "accredited": {
        "number": "IRIS-A-000001",
        "name": "Agencja Pracy Przykład Sp. z o.o.",
        "trading_names": ["Przykład Jobs"],
        "standing": "accredited",
        "standing_label": "Accredited",
        "granted_on": "2025-03-01",
        "valid_until": "2027-02-28",
        "registration_number": "KRS 0000000001",
        "headquarters": {"code": "PL", "name": "Poland"},
        "recruits_from": [{"code": "PL", "name": "Poland"}],
        "places_in": [{"code": "GB", "name": "United Kingdom"}],
        "sectors": [{"code": "agriculture", "name": "Agriculture"}],
        "website": "https://agencja.example.org",
        "slug": "agencja-pracy-przyklad",
        "updated_at": "2026-11-02T09:30:00Z",
    },
    "suspended": {
        "number": "IRIS-A-000002",
        "name": "Munkaerő Példa Kft.",
        "trading_names": [],
        "standing": "suspended",
        "standing_label": "Suspended",
        "granted_on": "2024-06-10",
        "valid_until": "2026-06-09",
        "registration_number": "01-09-000002",
        "headquarters": {"code": "HU", "name": "Hungary"},
        "recruits_from": [{"code": "HU", "name": "Hungary"}],
        "places_in": [{"code": "GB", "name": "United Kingdom"}],
        "sectors": [{"code": "hospitality", "name": "Hospitality"}],
        "website": "https://munkaero.example.org",
        "slug": "munkaero-pelda",
        "updated_at": "2026-10-15T14:05:00Z",
    },
    "expired": {
        "number": "IRIS-A-000003",
        "name": "Example Staffing Ltd",
        "trading_names": [],
        "standing": "expired",
        "standing_label": "Expired",
        "granted_on": "2023-01-05",
        "valid_until": "2025-01-04",
        "registration_number": "00000003",
        "headquarters": {"code": "GB", "name": "United Kingdom"},
        "recruits_from": [{"code": "RO", "name": "Romania"}],
        "places_in": [{"code": "GB", "name": "United Kingdom"}],
        "sectors": [{"code": "care", "name": "Care"}],
        "website": "",
        "slug": "example-staffing",
        "updated_at": "2025-01-05T00:00:00Z",
    },
    "withdrawn": {
        "number": "IRIS-A-000004",
        "name": "Agenție Exemplu SRL",
        "trading_names": [],
        "standing": "withdrawn",
        "standing_label": "Withdrawn",
        "granted_on": None,
        "valid_until": None,
        "registration_number": "J40/0000/2020",
        "headquarters": {"code": "RO", "name": "Romania"},
        "recruits_from": [{"code": "RO", "name": "Romania"}],
        "places_in": [{"code": "GB", "name": "United Kingdom"}],
        "sectors": [{"code": "construction", "name": "Construction"}],
        "website": "https://agentie.example.org",
        "slug": "agentie-exemplu",
        "updated_at": "2026-09-30T11:00:00Z",
    },
}


def recruiter_example(standing: str) -> dict:
    """A made-up record in `standing`, as `recruiters/` and `recruiters/{number}/` give it."""
    record = dict(_RECRUITERS[standing])
    record["page"] = _PAGE.format(site=settings.SITE_URL, slug=record.pop("slug"))
    return record


def recruiter_examples() -> list[OpenApiExample]:
    return [
        OpenApiExample(standing, value=recruiter_example(standing), response_only=True)
        for standing in _RECRUITERS
    ]


_VERIFIED = {
    "accredited": "IRIS-A-000001 is valid today. It belongs to Agencja Pracy Przykład Sp. z o.o. "
    "and is valid until 28 February 2027.",
    "suspended": "IRIS-A-000002 is not valid today. It was issued to Munkaerő Példa Kft. Its "
    "accreditation is: Suspended.",
    "expired": "IRIS-A-000003 is not valid today. It was issued to Example Staffing Ltd. Its "
    "accreditation is: Expired.",
    "withdrawn": "IRIS-A-000004 is not valid today. It was issued to Agenție Exemplu SRL. Its "
    "accreditation is: Withdrawn.",
}


def verify_examples() -> list[OpenApiExample]:
    examples = []
    for standing, message in _VERIFIED.items():
        record = recruiter_example(standing)
        value = {
            "number": record["number"],
            "answer": standing,
            "valid": standing == "accredited",
            "message": message,
            "name": record["name"],
            "valid_until": record["valid_until"],
            "page": record["page"],
        }
        examples.append(OpenApiExample(standing, value=value, response_only=True))
    unknown = {
        "number": "IRIS-A-999999",
        "answer": "unknown",
        "valid": False,
        "message": "“IRIS-A-999999” is not an accreditation number on our list. We have no "
        "accreditation with that number. Check you typed it exactly as shown, or search our "
        "list by the recruiter's name.",
        "name": None,
        "valid_until": None,
        "page": None,
    }
    examples.append(OpenApiExample("unknown", value=unknown, response_only=True))
    return examples


# ---------------------------------------------------------------------------
# Links: where an answer leads (OpenAPI links, which Schemathesis' stateful phase follows)
# ---------------------------------------------------------------------------

_BY_NUMBER = {"number": "$response.body#/number"}
_AGAIN = {"number": "$request.path.number", "header.If-None-Match": "$response.header.ETag"}
_REVALIDATE = "The same answer asked again with its ETag: a 304 while it is unchanged."

LINKS = {
    "recruiters_search": {
        "FirstRecruiter": (
            "recruiter",
            {"number": "$response.body#/results/0/number"},
            "The first recruiter of the page.",
        ),
    },
    "recruiter": {
        "Revalidate": ("recruiter", _AGAIN, _REVALIDATE),
        "History": ("recruiter_history", _BY_NUMBER, "The history of its standing."),
        "Verify": ("verify", _BY_NUMBER, "Its number checked."),
    },
    "recruiter_history": {"Revalidate": ("recruiter_history", _AGAIN, _REVALIDATE)},
    "verify": {"Revalidate": ("verify", _AGAIN, _REVALIDATE)},
}


def add_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: the LINKS of each operation, on its 200."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            links = LINKS.get(operation.get("operationId"), {})
            answer = operation.get("responses", {}).get("200")
            if not links or answer is None:
                continue
            answer["links"] = {
                name: {"operationId": target, "parameters": parameters, "description": text}
                for name, (target, parameters, text) in links.items()
            }
    return result
