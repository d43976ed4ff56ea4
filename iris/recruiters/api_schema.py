"""/api/v1/schema/: the OpenAPI document, answered as the API's other addresses are: throttled,
with the limits shown, an ETag, and errors in problem details. `?lang=` takes only the portal's
languages: Django keeps a translation object for every language it is asked for, for good."""

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer

from .api import PROBLEM_JSON, ApiKeyAuthentication
from .api_limits import ClientThrottle, RateLimitHeaders


class RosterSchema(RateLimitHeaders, SpectacularAPIView):
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [ClientThrottle]

    @classmethod
    def as_view(cls, **initkwargs):
        return decorator_from_middleware(ConditionalGetMiddleware)(super().as_view(**initkwargs))

    @extend_schema(exclude=True)  # the document does not list itself
    def get(self, request, *args, **kwargs):
        lang = request.GET.get("lang")
        if lang is not None and lang not in dict(settings.LANGUAGES):
            codes = ", ".join(dict(settings.LANGUAGES))
            raise exceptions.ValidationError({"lang": [f"One of: {codes}."]})
        return super().get(request, *args, **kwargs)

    def handle_exception(self, exc):
        # An error is problem details in JSON, whichever form of the schema was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = PROBLEM_JSON
        return super().handle_exception(exc)
