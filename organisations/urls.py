from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("organisaties/", views.organisation_list, name="list"),
    path("organisaties/nieuw/", views.organisation_create, name="create"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="detail"),
    path("organisaties/<int:pk>/bewerken/", views.organisation_edit, name="edit"),
]
