"""The open roster API, mounted at /api/v1/ (see iris/recruiters/api.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from .recruiters import api, api_bulk, api_contacts, api_schema

app_name = "api"

urlpatterns = [
    path("", api.ApiIndex.as_view(), name="index"),
    path("recruiters/", api.RecruiterList.as_view(), name="recruiters"),
    path("recruiters/<str:number>/", api.RecruiterDetail.as_view(), name="recruiter"),
    path(
        "recruiters/<str:number>/history/",
        api.RecruiterHistory.as_view(),
        name="recruiter-history",
    ),
    path("verify/<str:number>/", api.Verify.as_view(), name="verify"),
    path("contacts/check/", api_contacts.ContactCheck.as_view(), name="contacts-check"),
    re_path(r"^bulk/roster\.(?P<extension>json|csv)$", api_bulk.BulkFile.as_view(), name="bulk"),
    path("schema/", api_schema.RosterSchema.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="iris/api_docs.html"
        ),
        name="docs",
    ),
    re_path(r"^.*$", api.NowhereView.as_view()),
]
