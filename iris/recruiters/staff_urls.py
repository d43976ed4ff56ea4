"""IRIS officers' pages for recruiters and their accreditation, under /staff/iris/recruiters/."""

from django.urls import path

from . import staff_views

app_name = "iris-recruiters"

urlpatterns = [
    path("", staff_views.recruiter_list, name="list"),
    # Before the recruiters' own pages: no recruiter's slug starts with "~".
    path("~warning-list/", staff_views.impostor_list, name="impostors"),
    path("~warning-list/<int:pk>/remove/", staff_views.impostor_remove, name="impostor-remove"),
    path("<slug:slug>/", staff_views.recruiter_detail, name="detail"),
    path("<slug:slug>/contacts/", staff_views.contact_add, name="contact-add"),
    path(
        "<slug:slug>/contacts/<int:pk>/remove/", staff_views.contact_remove, name="contact-remove"
    ),
    path("<slug:slug>/impostors/", staff_views.impostor_add, name="impostor-add"),
    path("<slug:slug>/<slug:kind>/", staff_views.recruiter_decide, name="decide"),
]
