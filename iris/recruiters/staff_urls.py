"""IRIS officers' pages for recruiters and their accreditation, under /staff/iris/recruiters/."""

from django.urls import path

from . import staff_views

app_name = "iris-recruiters"

urlpatterns = [
    path("", staff_views.recruiter_list, name="list"),
    path("<slug:slug>/", staff_views.recruiter_detail, name="detail"),
    path("<slug:slug>/<slug:kind>/", staff_views.recruiter_decide, name="decide"),
]
