from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = [
    path("werkbladen/<int:pk>/", views.worksheet_overview, name="worksheet"),
]
