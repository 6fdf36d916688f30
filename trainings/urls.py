from django.urls import path

from trainings import mail_views, views

app_name = "trainings"

urlpatterns = [
    path("mail/instellingen/", mail_views.mail_settings, name="mail_settings"),
    path("mail/afmelden/<str:token>/", mail_views.mail_unsubscribe, name="mail_unsubscribe"),
    path("programmas/", views.programme_list, name="programme_list"),
    path("programmas/nieuw/", views.programme_create, name="programme_create"),
    path("programmas/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmas/<int:pk>/bewerken/", views.programme_edit, name="programme_edit"),
    path("programmas/<int:pk>/trainingen/nieuw/", views.training_create, name="training_create"),
    path("trainingen/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainingen/<int:pk>/bewerken/", views.training_edit, name="training_edit"),
    path("trainingen/<int:pk>/rondes/nieuw/", views.cohort_create, name="cohort_create"),
    path("rondes/", views.cohort_list, name="cohort_list"),
    path("rondes/nieuw/", views.cohort_new, name="cohort_new"),
    path("rondes/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("rondes/<int:pk>/bewerken/", views.cohort_edit, name="cohort_edit"),
    path("rondes/<int:pk>/kopieren/", views.cohort_copy, name="cohort_copy"),
    path("rondes/<int:pk>/status/", views.cohort_advance_status, name="cohort_status"),
    path("rondes/<int:pk>/verwijderen/", views.cohort_delete, name="cohort_delete"),
    path("rondes/<int:pk>/agenda.ics", views.cohort_calendar, name="cohort_calendar"),
    path("rondes/<int:pk>/dagdelen/nieuw/", views.session_create, name="session_create"),
    path("dagdelen/<int:pk>/bewerken/", views.session_edit, name="session_edit"),
    path("dagdelen/<int:pk>/verwijderen/", views.session_delete, name="session_delete"),
    path("dagdelen/<int:pk>/aanwezigheid/", views.session_attendance, name="session_attendance"),
    path("rondes/<int:pk>/organisaties/nieuw/", views.enrolment_create, name="enrolment_create"),
    path(
        "inschrijvingen/<int:pk>/terugtrekken/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("rondes/<int:pk>/uitnodigen/", views.invitation_create, name="invitation_create"),
    path(
        "uitnodigingen/<int:pk>/opnieuw-versturen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "uitnodigingen/<int:pk>/intrekken/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
