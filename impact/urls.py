from django.urls import path

from impact.views import worksheet

app_name = "impact"

urlpatterns = [
    path("werkbladen/<int:pk>/", worksheet.worksheet_overview, name="worksheet"),
]
