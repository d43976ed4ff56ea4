"""IRIS officers' pages for complaints, under /staff/iris/complaints/."""

from django.urls import path

from . import staff_views as views

app_name = "iris-complaints"

urlpatterns = [
    path("", views.complaint_queue, name="queue"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/write/", views.complaint_compose, name="compose"),
    path("<str:reference>/move/", views.complaint_move, name="move"),
    path("<str:reference>/refer/", views.complaint_refer, name="refer"),
    path("<str:reference>/match/", views.complaint_match, name="match"),
    path("<str:reference>/find/", views.complaint_find, name="find"),
    path("<str:reference>/warn/", views.complaint_impostor, name="impostor"),
]
