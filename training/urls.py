from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.adapted_request, name="request"),
    path("certificates/", views.certificate_lookup, name="certificate-lookup"),
    path("certificates/<str:code>/", views.certificate_check, name="certificate"),
    path("bookings/<str:token>/", views.booking_detail, name="booking"),
    path("bookings/<str:token>/calendar.ics", views.booking_calendar, name="booking-calendar"),
    path(
        "bookings/<str:token>/certificate.pdf",
        views.booking_certificate,
        name="booking-certificate",
    ),
    path("bookings/<str:token>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<str:token>/accept/", views.booking_accept, name="booking-accept"),
    path("<slug:slug>/", views.session_detail, name="session"),
    path("<slug:slug>/booked/", views.booking_sent, name="booking-sent"),
    path("<slug:slug>/attendance/", views.attendance, name="attendance"),
    path("<slug:slug>/attendees.csv", views.attendees_csv, name="attendees-csv"),
]
