"""The participant's pages of a questionnaire: build it from the worksheet's indicators,
share it per measurement moment (link, QR code, printable form), type in paper forms, see
what came back and turn it into results."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from impact.access import access_worksheet, is_editor
from impact.questionnaire import selectors, services
from impact.questionnaire.access import (
    access_link,
    access_question,
    access_questionnaire,
    is_own_organisation,
)
from impact.questionnaire.charts import with_charts
from impact.questionnaire.forms import (
    MomentForm,
    PaperForm,
    QuestionForm,
    QuestionnaireCreateForm,
    QuestionnaireForm,
)
from impact.questionnaire.models import Questionnaire, ShareLink
from impact.questionnaire.selectors import link_counts
from impact.reports.limits import limited


def respondent_url(request: HttpRequest, link: ShareLink) -> str:
    """The link's absolute address: IMPACTLAB_SITE_URL, else as the page was reached."""
    base = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return base.rstrip("/") + link.get_respondent_url()


@login_required
@require_GET
def questionnaire_list(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = access_worksheet(request.user, pk)
    questionnaires = Questionnaire.objects.filter(worksheet=worksheet).prefetch_related(
        "links__moment"
    )
    return render(
        request,
        "impact/questionnaire/questionnaire_list.html",
        {
            "worksheet": worksheet,
            "questionnaires": questionnaires,
            "editable": is_editor(request.user, worksheet),
        },
    )


@login_required
def questionnaire_create(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = access_worksheet(request.user, pk, edit=True)
    form = QuestionnaireCreateForm(request.POST or None, worksheet=worksheet)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.create_questionnaire(
            worksheet=worksheet,
            title=form.cleaned_data["title"],
            intro=form.cleaned_data["intro"],
            indicators=form.cleaned_data["indicators"],
        )
        messages.success(
            request, _("The questionnaire was made. Check the proposed questions and change them.")
        )
        return redirect(questionnaire)
    return render(
        request,
        "impact/questionnaire/questionnaire_create.html",
        {"worksheet": worksheet, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access_questionnaire(request.user, pk)
    worksheet = questionnaire.worksheet
    editable = is_editor(request.user, worksheet)
    counts = link_counts(questionnaire)
    for row in counts:
        row.url = respondent_url(request, row.link)
    return render(
        request,
        "impact/questionnaire/questionnaire_detail.html",
        {
            "worksheet": worksheet,
            "questionnaire": questionnaire,
            "questions": questionnaire.questions.select_related("indicator"),
            "links": counts,
            "editable": editable,
            "own_organisation": is_own_organisation(request.user, worksheet),
            "moment_form": MomentForm(initial=services.next_moment_proposal(questionnaire)),
        },
    )


@login_required
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access_questionnaire(request.user, pk, edit=True)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(questionnaire)
    return render(
        request,
        "impact/questionnaire/questionnaire_form.html",
        {"worksheet": questionnaire.worksheet, "questionnaire": questionnaire, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access_questionnaire(request.user, pk, edit=True)
    form = QuestionForm(request.POST or None, worksheet=questionnaire.worksheet)
    if request.method == "POST" and form.is_valid():
        services.add_question(questionnaire=questionnaire, question=form.save(commit=False))
        messages.success(request, _("The question was added."))
        return redirect(questionnaire)
    return render(
        request,
        "impact/questionnaire/question_form.html",
        {"worksheet": questionnaire.worksheet, "questionnaire": questionnaire, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(request.user, pk, edit=True)
    questionnaire = question.questionnaire
    form = QuestionForm(
        request.POST or None,
        instance=question,
        worksheet=questionnaire.worksheet,
        # Erased answers still count, as tallies of their values.
        has_answers=question.answers.exists() or question.tallies.exists(),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question was saved."))
        return redirect(questionnaire)
    return render(
        request,
        "impact/questionnaire/question_form.html",
        {
            "worksheet": questionnaire.worksheet,
            "questionnaire": questionnaire,
            "question": question,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = access_question(request.user, pk, edit=True)
    questionnaire = question.questionnaire
    if request.method == "POST":
        question.delete()
        messages.success(request, _("The question was removed, with its answers."))
        return redirect(questionnaire)
    return render(
        request,
        "impact/questionnaire/question_confirm_delete.html",
        {
            "worksheet": questionnaire.worksheet,
            "questionnaire": questionnaire,
            "question": question,
            "answers": question.answers.count(),
        },
    )


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    question = access_question(request.user, pk, edit=True)
    if direction not in ("op", "neer"):
        raise Http404
    services.move_question(question=question, up=direction == "op")
    return redirect(f"{question.questionnaire.get_absolute_url()}#question-{question.pk}")


@login_required
def moment_create(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access_questionnaire(request.user, pk, edit=True)
    form = MomentForm(request.POST or None, initial=services.next_moment_proposal(questionnaire))
    if request.method == "POST" and form.is_valid():
        link = services.share_at_moment(
            questionnaire=questionnaire,
            name=form.cleaned_data["name"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        )
        messages.success(
            request,
            _("The link for “%(moment)s” is ready to share.") % {"moment": link.moment.name},
        )
        return redirect(f"{questionnaire.get_absolute_url()}#link-{link.pk}")
    return render(
        request,
        "impact/questionnaire/moment_form.html",
        {"worksheet": questionnaire.worksheet, "questionnaire": questionnaire, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def link_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an open link (no new answers), or open a closed one again."""
    link = access_link(request.user, pk, edit=True)
    if link.is_open:
        link.close()
        messages.success(request, _("The link is closed: nobody can answer through it now."))
    else:
        link.reopen()
        messages.success(request, _("The link is open again."))
    return redirect(f"{link.questionnaire.get_absolute_url()}#link-{link.pk}")


@login_required
@require_GET
def link_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The link as a QR code (SVG), for a phone on the shop floor."""
    import qrcode
    import qrcode.image.svg

    link = access_link(request.user, pk)
    image = qrcode.make(
        respondent_url(request, link),
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
    )
    response = HttpResponse(image.to_string(encoding="unicode"), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def questionnaire_results(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = access_questionnaire(request.user, pk)
    worksheet = questionnaire.worksheet
    full = is_own_organisation(request.user, worksheet)
    results = with_charts(selectors.questionnaire_results(questionnaire, full=full))
    return render(
        request,
        "impact/questionnaire/questionnaire_results.html",
        {
            "worksheet": worksheet,
            "questionnaire": questionnaire,
            "results": results,
            "full": full,
            "editable": is_editor(request.user, worksheet),
            "links": link_counts(questionnaire),
        },
    )


@login_required
@require_POST
def result_create(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Turn the answers to one question at one moment into a result of its indicator."""
    question = access_question(request.user, pk, edit=True)
    link = get_object_or_404(
        ShareLink.objects.select_related("moment"), pk=link_pk, questionnaire=question.questionnaire
    )
    results = selectors.questionnaire_results(question.questionnaire, full=True)
    summary = next(
        s for r in results if r.question.pk == question.pk for s in r.summaries if s.link == link
    )
    if not summary.can_become_result:
        messages.error(request, _("This question has no answers to turn into a result."))
        return redirect("impact:questionnaire_results", question.questionnaire_id)
    services.record_result(question=question, summary=summary, author=request.user)
    messages.success(
        request,
        _("The result for “%(indicator)s” was added to step 5.")
        % {"indicator": question.indicator},
    )
    return redirect("impact:questionnaire_results", question.questionnaire_id)


@login_required
@require_GET
def answers_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every answer, one row per response, for the organisation only (Dutch Excel CSV)."""
    from impact.questionnaire.export import answers_csv as make_csv

    questionnaire = access_questionnaire(request.user, pk)
    if not is_own_organisation(request.user, questionnaire.worksheet):
        raise PermissionDenied
    response = HttpResponse(make_csv(questionnaire), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vragenlijst-{questionnaire.pk}.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def answers_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The same answers as an Excel workbook, for the organisation only."""
    from impact.questionnaire.export import answers_xlsx as make_xlsx

    questionnaire = access_questionnaire(request.user, pk)
    if not is_own_organisation(request.user, questionnaire.worksheet):
        raise PermissionDenied
    response = HttpResponse(make_xlsx(questionnaire), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vragenlijst-{questionnaire.pk}.xlsx"'
    return response


@login_required
@require_GET
@limited("impact:questionnaire_results")
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """What came back as a PDF, as reports show it: nothing for fewer than 5 answers, no
    answers in words, whoever asks."""
    from impact.questionnaire import pdf
    from impact.reports.pdf import ReportRenderError

    questionnaire = access_questionnaire(request.user, pk)
    try:
        content = pdf.render_results(questionnaire)
    except ReportRenderError as error:
        messages.error(request, str(error))
        return redirect("impact:questionnaire_results", questionnaire.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vragenlijst-{questionnaire.pk}.pdf"'
    return response


@login_required
@require_GET
def link_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable A4 form of the questionnaire at this moment."""
    from impact.questionnaire.pdf import render_paper_form

    link = access_link(request.user, pk)
    response = HttpResponse(render_paper_form(link), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vragenlijst-{link.pk}.pdf"'
    return response


@login_required
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in filled-in paper forms, one after the other."""
    link = access_link(request.user, pk, edit=True)
    questions = list(link.questionnaire.questions.all())
    form = PaperForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        services.enter_paper_response(link=link, answers=form.answers())
        messages.success(request, _("Saved. The next paper form:"))
        return redirect("impact:paper_entry", link.pk)
    rows = [(question, form[f"q{question.pk}"]) for question in questions]
    return render(
        request,
        "impact/questionnaire/paper_entry.html",
        {
            "worksheet": link.questionnaire.worksheet,
            "questionnaire": link.questionnaire,
            "link": link,
            "form": form,
            "rows": rows,
            "entered": link.responses.filter(entered_from_paper=True).count()
            + link.erased_from_paper,
        },
        status=422 if form.errors else 200,
    )
