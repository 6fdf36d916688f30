from django.urls import path

from impact.cohorts import views as cohort
from impact.feedback import views as feedback
from impact.library import views as library
from impact.worksheet import views as worksheet

app_name = "impact"

row = "werkbladen/<int:pk>/rijen/<slug:row_type>/<int:row_id>/"

urlpatterns = [
    path(
        "inschrijvingen/<int:enrolment_pk>/werkblad/",
        worksheet.worksheet_open,
        name="worksheet_open",
    ),
    path("werkbladen/<int:pk>/", worksheet.worksheet_overview, name="worksheet"),
    # Feedback, the starter kit and the cohort-wide views.
    path(
        "werkbladen/<int:pk>/stap/<int:step>/feedback/",
        feedback.step_comments,
        name="step_comments",
    ),
    path(
        "werkbladen/<int:pk>/stap/<int:step>/feedback/nieuw/",
        feedback.comment_create,
        name="comment_create",
    ),
    path("werkbladen/<int:pk>/feedback/", feedback.open_feedback, name="open_feedback"),
    path("feedback/<int:pk>/reageren/", feedback.comment_reply, name="comment_reply"),
    path("feedback/<int:pk>/afgehandeld/", feedback.comment_resolve, name="comment_resolve"),
    path("feedback/<int:pk>/heropenen/", feedback.comment_reopen, name="comment_reopen"),
    path("startpakket/", library.suggestion_list, name="suggestion_list"),
    path("startpakket/nieuw/", library.suggestion_create, name="suggestion_create"),
    path("startpakket/<int:pk>/bewerken/", library.suggestion_update, name="suggestion_update"),
    path("startpakket/<int:pk>/actief/", library.suggestion_toggle, name="suggestion_toggle"),
    path(
        "werkbladen/<int:pk>/startpakket/gebruiken/",
        library.suggestion_use,
        name="suggestion_use",
    ),
    path(
        "werkbladen/<int:pk>/startpakket/<str:kind>/",
        library.suggestion_picker,
        name="suggestion_picker",
    ),
    path("rondes/<int:pk>/werkbladen/", cohort.cohort_overview, name="cohort_overview"),
    path(
        "rondes/<int:pk>/naast-elkaar/",
        cohort.cohort_side_by_side,
        name="cohort_side_by_side",
    ),
    path(
        "rondes/<int:pk>/naast-elkaar/<int:step>/",
        cohort.cohort_side_by_side,
        name="cohort_side_by_side_step",
    ),
    # The step editor.
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
    path(f"{row}bewerken/", worksheet.row_edit, name="row_edit"),
    path(f"{row}verwijderen/", worksheet.row_delete, name="row_delete"),
    path(f"{row}verplaatsen/<slug:direction>/", worksheet.row_move, name="row_move"),
    path(f"{row}geschiedenis/", worksheet.row_history, name="row_history"),
    path(f"{row}herstellen/", worksheet.row_restore, name="row_restore"),
    path(f"{row}terugzetten/", worksheet.row_put_back, name="row_put_back"),
]

# Reports and exports.
from impact.reports import views as reports  # noqa: E402

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

# Peer review between the organisations of a cohort ("leren van elkaar").
from impact.peer_review import views as peer  # noqa: E402

urlpatterns += [
    path("rondes/<int:pk>/leren-van-elkaar/", peer.round_list, name="peer_rounds"),
    path("leren-van-elkaar/rondes/<int:pk>/", peer.round_detail, name="peer_round"),
    path("leren-van-elkaar/rondes/<int:pk>/verdelen/", peer.round_allocate, name="peer_allocate"),
    path("leren-van-elkaar/rondes/<int:pk>/sluiten/", peer.round_close, name="peer_close"),
    path(
        "leren-van-elkaar/rondes/<int:pk>/koppeling/",
        peer.assignment_add,
        name="peer_assignment_add",
    ),
    path(
        "leren-van-elkaar/koppelingen/<int:pk>/wijzigen/",
        peer.assignment_change,
        name="peer_assignment_change",
    ),
    path(
        "leren-van-elkaar/koppelingen/<int:pk>/verwijderen/",
        peer.assignment_delete,
        name="peer_assignment_delete",
    ),
    path("leren-van-elkaar/reviews/<int:pk>/verbergen/", peer.review_hide, name="peer_hide"),
    path("leren-van-elkaar/reviews/<int:pk>/tonen/", peer.review_show, name="peer_show"),
    path("leren-van-elkaar/", peer.my_reviews, name="peer_reviews"),
    path(
        "leren-van-elkaar/koppelingen/<int:pk>/stap/<int:step>/",
        peer.review_step,
        name="peer_review_step",
    ),
    path("leren-van-elkaar/rondes/<int:pk>/meedoen/", peer.opt_out, name="peer_opt_out"),
]
