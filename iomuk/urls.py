from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from . import views
from .forms import SignInForm
from .staff import staff_page, staff_pages

admin.site.site_header = "IOM UK portal administration"
admin.site.site_title = "IOM UK portal"

handler400 = views.bad_request  # problem details under /api/, Django's own page elsewhere
handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("cover-your-tracks/", views.cover_your_tracks, name="cover-your-tracks"),
    path("staff/", views.staff_dashboard, name="staff-dashboard"),
    path("staff/subject-access/", views.subject_access, name="subject-access"),
    path("staff/<slug:slug>.csv", views.staff_panel_csv, name="staff-panel-csv"),
    # IRIS officers' daily work: staff pages, not the admin.
    path("staff/iris/complaints/", include("iris.complaints.staff_urls")),
    path("staff/iris/recruiters/", include("iris.recruiters.staff_urls")),
    path("training/", include("training.urls")),
    path("returns/", include("returns.urls")),
    path("iris/", include("iris.urls")),
    path("api/v1/", include("iris.api_urls")),
    re_path(r"^api/", views.api_nowhere),  # /api/, /api/v2/...: a 404 problem
    path(
        "accounts/login/",
        staff_page(auth_views.LoginView.as_view(authentication_form=SignInForm)),
        name="login",
    ),
    path("accounts/second-factor/", views.second_factor, name="second-factor"),
    path("accounts/set-up/<str:token>/", views.set_up, name="set-up"),
    path("accounts/set-up-link/", views.set_up_link_request, name="set-up-link"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path("accounts/", staff_pages(include("django.contrib.auth.urls"))),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", staff_pages(admin.site.urls)),
]
