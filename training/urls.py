from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.adapted_request, name="request"),
    path("certificates/<str:code>/", views.certificate_check, name="certificate"),
    path("bookings/<str:token>/", views.booking_detail, name="booking"),
    path("bookings/<str:token>/confirmed/", views.booking_confirmed, name="booking-confirmed"),
    path("bookings/<str:token>/calendar.ics", views.booking_calendar, name="booking-calendar"),
    *[
        path(
            f"bookings/<str:token>/{action}/",
            views.booking_action,
            {"action": action},
            name=f"booking-{action}",
        )
        for action in ("cancel", "accept", "decline")
    ],
    path("<slug:slug>/", views.session_detail, name="session"),
    path("<slug:slug>/attendance/", views.attendance, name="attendance"),
    path("<slug:slug>/attendees.csv", views.attendees_csv, name="attendees-csv"),
]
