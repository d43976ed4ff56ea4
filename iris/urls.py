from django.urls import path

from .complaints import views as complaints
from .recruiters import contact_views, views

app_name = "iris"

urlpatterns = [
    path("", views.index, name="index"),
    path("recruiters/", views.roster, name="roster"),
    path("recruiters/<slug:slug>/", views.recruiter_detail, name="recruiter"),
    path("recruiters/<slug:slug>/proof/", views.recruiter_proof, name="recruiter-proof"),
    path("recruiters/<slug:slug>/watch/", views.recruiter_watch, name="recruiter-watch"),
    path("watch/confirm/<str:token>/", views.watch_confirm, name="watch-confirm"),
    path("watch/stop/<str:token>/", views.watch_stop, name="watch-stop"),
    path("watch/manage/<str:token>/", views.watch_manage, name="watch-manage"),
    path("verify/", views.verify, name="verify"),
    path("widget/verify/", views.verify_widget, name="verify-widget"),
    path("check/", contact_views.contact_check_page, name="contact-check"),
    path("widget/check/", contact_views.contact_check_widget, name="contact-check-widget"),
    path("join/", views.join, name="join"),
    path("complaints/new/", complaints.complaint_new, name="complaint-new"),
    path("complaints/submitted/", complaints.complaint_submitted, name="complaint-submitted"),
    path("complaints/track/", complaints.complaint_track, name="complaint-track"),
    path("complaints/track/report/", complaints.complaint_tracked, name="complaint-tracked"),
    path("officers/evidence/<int:pk>/", complaints.evidence_download, name="evidence-download"),
]
