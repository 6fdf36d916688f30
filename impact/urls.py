from django.urls import path

from impact.views import worksheet

app_name = "impact"

urlpatterns = [
    path("werkbladen/<int:pk>/", worksheet.worksheet_overview, name="worksheet"),
]

# Reports and exports.
from impact.views import reports  # noqa: E402

urlpatterns += [
    path("werkbladen/<int:pk>/keten.svg", reports.worksheet_chain, name="worksheet_chain"),
    path("werkbladen/<int:pk>/rapporten/", reports.worksheet_reports, name="worksheet_reports"),
    path(
        "werkbladen/<int:pk>/rapport.pdf", reports.worksheet_report_pdf, name="worksheet_report_pdf"
    ),
    path(
        "werkbladen/<int:pk>/samenvatting.pdf",
        reports.worksheet_summary_pdf,
        name="worksheet_summary_pdf",
    ),
    path("werkbladen/<int:pk>/werkblad.json", reports.worksheet_json, name="worksheet_json"),
    path("rondes/<int:pk>/rapporten/", reports.cohort_reports, name="cohort_reports"),
    path("rondes/<int:pk>/rapport.pdf", reports.cohort_report_pdf, name="cohort_report_pdf"),
    path("rondes/<int:pk>/werkbladen.csv", reports.cohort_csv, name="cohort_csv"),
    path("rondes/<int:pk>/werkbladen.xlsx", reports.cohort_xlsx, name="cohort_xlsx"),
    path(
        "rondes/<int:pk>/samenwerking/",
        reports.cohort_collaboration,
        name="cohort_collaboration",
    ),
    path("exports/", reports.export_list, name="export_list"),
    path("exports/<int:pk>/rij/", reports.export_row, name="export_row"),
    path("exports/<int:pk>/download/", reports.export_download, name="export_download"),
    path("exports/<int:pk>/opnieuw/", reports.export_retry, name="export_retry"),
]
