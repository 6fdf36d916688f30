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
    path(
        "rondes/<int:pk>/naast-elkaar/<int:step>/presenteren/",
        cohort.cohort_presentation,
        name="cohort_presentation",
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

# Questionnaires: the participant's pages, then the respondent's (anonymous, by token).
from impact.questionnaire import respond  # noqa: E402
from impact.questionnaire import views as questionnaire  # noqa: E402

urlpatterns += [
    path(
        "werkbladen/<int:pk>/vragenlijsten/",
        questionnaire.questionnaire_list,
        name="questionnaire_list",
    ),
    path(
        "werkbladen/<int:pk>/vragenlijsten/nieuw/",
        questionnaire.questionnaire_create,
        name="questionnaire_create",
    ),
    path("vragenlijsten/<int:pk>/", questionnaire.questionnaire_detail, name="questionnaire"),
    path(
        "vragenlijsten/<int:pk>/bewerken/",
        questionnaire.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "vragenlijsten/<int:pk>/uitkomsten/",
        questionnaire.questionnaire_results,
        name="questionnaire_results",
    ),
    path(
        "vragenlijsten/<int:pk>/antwoorden.csv",
        questionnaire.answers_csv,
        name="questionnaire_answers_csv",
    ),
    path(
        "vragenlijsten/<int:pk>/antwoorden.xlsx",
        questionnaire.answers_xlsx,
        name="questionnaire_answers_xlsx",
    ),
    path(
        "vragenlijsten/<int:pk>/uitkomsten.pdf",
        questionnaire.results_pdf,
        name="questionnaire_results_pdf",
    ),
    path(
        "vragenlijsten/<int:pk>/vragen/nieuw/",
        questionnaire.question_create,
        name="question_create",
    ),
    path(
        "vragenlijsten/<int:pk>/meetmomenten/nieuw/",
        questionnaire.moment_create,
        name="moment_create",
    ),
    path("vragen/<int:pk>/bewerken/", questionnaire.question_edit, name="question_edit"),
    path("vragen/<int:pk>/verwijderen/", questionnaire.question_delete, name="question_delete"),
    path(
        "vragen/<int:pk>/verplaatsen/<slug:direction>/",
        questionnaire.question_move,
        name="question_move",
    ),
    path(
        "vragen/<int:pk>/resultaat/<int:link_pk>/",
        questionnaire.result_create,
        name="question_result",
    ),
    path("vragenlijst-links/<int:pk>/open-dicht/", questionnaire.link_toggle, name="link_toggle"),
    path("vragenlijst-links/<int:pk>/qr.svg", questionnaire.link_qr, name="link_qr"),
    path("vragenlijst-links/<int:pk>/formulier.pdf", questionnaire.link_pdf, name="link_pdf"),
    path("vragenlijst-links/<int:pk>/papier/", questionnaire.paper_entry, name="paper_entry"),
    path("v/<str:token>/", respond.respond_start, name="respond_start"),
    path("v/<str:token>/vraag/<int:number>/", respond.respond_question, name="respond_question"),
    path("v/<str:token>/versturen/", respond.respond_finish, name="respond_finish"),
    path("v/<str:token>/bedankt/", respond.respond_thanks, name="respond_thanks"),
]

# The value step (opt-in) and its proxy library.
from impact.value import views as value  # noqa: E402

urlpatterns += [
    path("werkbladen/<int:pk>/waarde/", value.value_step, name="value_step"),
    path("werkbladen/<int:pk>/waarde/aan-uit/", value.value_switch, name="value_switch"),
    path("werkbladen/<int:pk>/waarde/invoer/", value.value_settings, name="value_settings"),
    path(
        "werkbladen/<int:pk>/waarde/effecten/<int:effect_id>/",
        value.value_effect,
        name="value_effect",
    ),
    path("werkbladen/<int:pk>/waarde/<slug:action>/", value.value_review, name="value_review"),
    path("rondes/<int:pk>/waarde-aan/", value.cohort_value_switch, name="cohort_value_switch"),
    path("startpakket/proxies/", value.proxy_list, name="proxy_list"),
    path("startpakket/proxies/nieuw/", value.proxy_create, name="proxy_create"),
    path("startpakket/proxies/<int:pk>/bewerken/", value.proxy_update, name="proxy_update"),
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

# The programme view for coordinators: the rondes side by side and the programme report.
from impact.programme import views as programme  # noqa: E402

urlpatterns += [
    path(
        "programmas/<int:pk>/rondes-naast-elkaar/",
        programme.programme_overview,
        name="programme_overview",
    ),
    path(
        "programmas/<int:pk>/programmarapport.pdf",
        programme.programme_report_pdf,
        name="programme_report_pdf",
    ),
    path(
        "programmas/<int:pk>/programmarapport.xlsx",
        programme.programme_report_xlsx,
        name="programme_report_xlsx",
    ),
]
