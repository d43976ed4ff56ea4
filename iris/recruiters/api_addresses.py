"""Where the open API's addresses lead: its index at /api/v1/, and one address per thing (a
number written another way, or a path without its trailing slash, is sent on with a 301)."""

import json

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.request import Request

from .models import accreditation_number_normalise
from .selectors import recruiter_by_number

# The index's links, by name: (URL name, True when it takes an accreditation number, or the
# bulk file's format).
LINKS = {
    "recruiters": ("api:recruiters", False),
    "recruiter": ("api:recruiter", True),
    "verify": ("api:verify", True),
    "bulk_json": ("api:bulk", "json"),
    "bulk_csv": ("api:bulk", "csv"),
    "schema": ("api:schema", False),
    "docs": ("api:docs", False),
}


def _link(url_name: str, numbered: bool | str) -> str:
    if isinstance(numbered, str):
        return settings.SITE_URL + reverse(url_name, args=[numbered])
    if not numbered:
        return settings.SITE_URL + reverse(url_name)
    # A URI template (RFC 6570): reverse() would escape the braces.
    return settings.SITE_URL + reverse(url_name, args=["NUMBER"]).replace("NUMBER", "{number}")


def api_links() -> dict[str, str]:
    """The API's addresses, by name, as the index at /api/v1/ lists them."""
    return {name: _link(url_name, numbered) for name, (url_name, numbered) in LINKS.items()}


def _moved(request: Request, path: str) -> HttpResponsePermanentRedirect:
    """A 301 keeping the query, its body JSON as every answer of the API."""
    query = request._request.META.get("QUERY_STRING", "")
    location = f"{path}?{query}" if query else path
    return HttpResponsePermanentRedirect(
        location, content=json.dumps({"location": location}), content_type="application/json"
    )


def canonical_number_redirect(
    request: Request, *, url_name: str, number: str
) -> HttpResponsePermanentRedirect | None:
    """A 301 to the address of the number as issued, when `number` is a real number written
    another way ("iris a 101" for IRIS-A-000101); None when it is already written as issued, or
    names no recruiter."""
    canonical = accreditation_number_normalise(number)
    if canonical is None or canonical == number or recruiter_by_number(number=canonical) is None:
        return None
    return _moved(request, reverse(url_name, args=[canonical]))


def trailing_slash_redirect(request: Request, nowhere) -> HttpResponsePermanentRedirect | None:
    """A 301 to the same path with its trailing slash, when that path is an address of the API
    (`nowhere` is the view answering every other path)."""
    path = request._request.path
    if request.method not in ("GET", "HEAD") or path.endswith("/"):
        return None
    try:
        match = resolve(path + "/")
    except Resolver404:
        return None
    if getattr(match.func, "view_class", None) is nowhere:
        return None
    return _moved(request, path + "/")


MOVED = OpenApiResponse(
    description="The number written another way: the same answer is at the number as issued, "
    "given in `Location` (the query kept).",
)


class IndexSerializer(serializers.Serializer):
    """The API's addresses by name (see LINKS)."""

    recruiters = serializers.URLField()
    recruiter = serializers.CharField(help_text="A URI template: {number} is a number.")
    verify = serializers.CharField(help_text="A URI template: {number} is a number.")
    bulk_json = serializers.URLField()
    bulk_csv = serializers.URLField()
    schema = serializers.URLField()
    docs = serializers.URLField()
