from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("referrals/new/", views.referral_new, name="referral-new"),
    path("referrals/", views.my_referrals, name="my-referrals"),
    path("referrals/<str:reference>/", views.referral_detail, name="referral-detail"),
    path("referrals/<str:reference>/emails/", views.referral_emails, name="referral-emails"),
    path("follow-ups/", views.follow_up_queue, name="follow-up-queue"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<str:reference>/", views.case_detail, name="case-detail"),
    path("cases/<str:reference>/advance/", views.case_advance, name="case-advance"),
    path("cases/<str:reference>/details/", views.case_update, name="case-update"),
    path("cases/<str:reference>/assign/", views.case_assign, name="case-assign"),
    path("cases/<str:reference>/take/", views.case_take, name="case-take"),
    path("cases/<str:reference>/plan/", views.plan_update, name="plan-update"),
    path("cases/<str:reference>/notes/", views.note_add, name="note-add"),
    path("cases/<str:reference>/documents/", views.document_add, name="document-add"),
    path(
        "cases/<str:reference>/follow-ups/<int:follow_up_id>/",
        views.follow_up_record,
        name="follow-up-record",
    ),
    path("cases/<str:reference>/consents/", views.consent_add, name="consent-add"),
    path(
        "cases/<str:reference>/subject-access.json",
        views.subject_access_export,
        name="subject-access-export",
    ),
    path("cases/<str:reference>/erase/", views.case_erase, name="case-erase"),
    path(
        "cases/<str:reference>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path(
        "cases/<str:reference>/documents/<int:document_id>/",
        views.document_download,
        name="document-download",
    ),
]
