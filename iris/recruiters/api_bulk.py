"""/api/v1/bulk/roster.json and .csv: the newest daily bulk file (iris/recruiters/bulk.py),
throttled as every answer of the API, with an ETag that a repeat download revalidates."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from iomuk.csv_export import CSV_MEDIA_TYPE

from .api import ApiKeyAuthentication, ClientThrottle, JsonAlways
from .api_limits import RateLimitHeaders
from .api_openapi import (
    CONDITIONAL_HEADERS,
    NOT_MODIFIED,
    RATE_LIMIT_HEADERS,
    REVALIDATION_HEADERS,
    problems,
)
from .bulk import FORMATS, roster_export_latest, roster_export_write


def bulk_file_response(request, extension: str):
    """The newest bulk file in `extension`, or a 304 when the caller holds it already."""
    latest = roster_export_latest(extension=extension)
    if latest is None:
        # A new portal, before the beat's first run: the first caller waits for the first file.
        roster_export_write()
        latest = roster_export_latest(extension=extension)
    name, etag, made_at = latest
    not_modified = get_conditional_response(
        request._request, etag=etag, last_modified=int(made_at.timestamp())
    )
    if not_modified is not None:
        response = not_modified
    else:
        response = FileResponse(
            default_storage.open(name),
            content_type=FORMATS[extension],
            as_attachment=True,
            filename=f"iris-roster-{made_at:%Y-%m-%d}.{extension}",
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(made_at.timestamp())
    response["Link"] = f'<{settings.ROSTER_LICENCE_URL}>; rel="license"'
    response["Cache-Control"] = "public, no-cache"
    return response


class BulkFile(RateLimitHeaders, APIView):
    http_method_names = ["get", "head", "options"]
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ClientThrottle]
    content_negotiation_class = JsonAlways

    @extend_schema(
        operation_id="bulk",
        summary="The whole public roster, once a day",
        description="Every recruiter but applicants, each record as `recruiters/` gives it, "
        "made daily: JSON (`made_at`, `licence`, `count`, `recruiters`) or CSV (countries and "
        "sectors by code). Its licence is also in the `Link` header (rel=license). Load it, "
        "then follow `recruiters/?standing=accredited,suspended,expired,withdrawn"
        "&updated_since=` its `made_at`.",
        parameters=[
            OpenApiParameter(
                "extension",
                {"type": "string", "enum": list(FORMATS)},
                OpenApiParameter.PATH,
                description="The format: json or csv.",
            ),
            *CONDITIONAL_HEADERS,
            *RATE_LIMIT_HEADERS,
            *REVALIDATION_HEADERS,
            OpenApiParameter(
                "Link",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description='The licence of the data: `rel="license"`.',
                response=[200, 304],
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The bulk file in JSON."
            ),
            (200, CSV_MEDIA_TYPE): OpenApiResponse(
                OpenApiTypes.STR, description="The bulk file in CSV."
            ),
            304: NOT_MODIFIED,
            **problems(not_found="No bulk file in this format: json or csv."),
        },
    )
    def get(self, request, extension: str):
        return bulk_file_response(request, extension)
