from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("organisaties/", views.organisation_list, name="list"),
    path("organisaties/nieuw/", views.organisation_create, name="create"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisaties/<int:pk>/bewerken/", views.organisation_edit, name="edit"),
    path("team/", views.team, name="team"),
    path(
        "team/uitnodigingen/<int:pk>/opnieuw-versturen/",
        views.staff_invitation_resend,
        name="staff_invitation_resend",
    ),
    path(
        "team/uitnodigingen/<int:pk>/intrekken/",
        views.staff_invitation_withdraw,
        name="staff_invitation_withdraw",
    ),
    path(
        "team/uitnodiging/<str:token>/",
        views.staff_invitation_accept,
        name="staff_invitation_accept",
    ),
]
