from django.urls import path

from impact.views import worksheet

app_name = "impact"

row = "werkbladen/<int:pk>/rijen/<slug:row_type>/<int:row_id>/"

urlpatterns = [
    path(
        "inschrijvingen/<int:enrolment_pk>/werkblad/",
        worksheet.worksheet_open,
        name="worksheet_open",
    ),
    path("werkbladen/<int:pk>/", worksheet.worksheet_overview, name="worksheet"),
    path("werkbladen/<int:pk>/stap/<int:step>/", worksheet.worksheet_step, name="worksheet_step"),
    path(
        "werkbladen/<int:pk>/stap/<int:step>/<slug:action>/",
        worksheet.step_review,
        name="step_review",
    ),
    path(
        "werkbladen/<int:pk>/geschiedenis/", worksheet.worksheet_history, name="worksheet_history"
    ),
    path(
        "werkbladen/<int:pk>/rijen/<slug:row_type>/nieuw/", worksheet.row_create, name="row_create"
    ),
    path(row, worksheet.row_update, name="row_update"),
    path(f"{row}verwijderen/", worksheet.row_delete, name="row_delete"),
    path(f"{row}verplaatsen/<slug:direction>/", worksheet.row_move, name="row_move"),
    path(f"{row}geschiedenis/", worksheet.row_history, name="row_history"),
    path(f"{row}herstellen/", worksheet.row_restore, name="row_restore"),
]
