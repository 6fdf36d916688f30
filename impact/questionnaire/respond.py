"""The respondent's pages: no account, no name, only the link's token.

One question per screen, plain forms (they work without JavaScript), and each answer is
saved when the person goes on, so nothing is lost when a phone locks. The response is kept
in the browser session: one per session, and once sent it cannot be changed. A closed link
answers 410 and an unknown one 404, both with a friendly page.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from impact.questionnaire import services
from impact.questionnaire.forms import AnswerForm
from impact.questionnaire.models import EXTRA_LANGUAGES, Answer, Question, Response, ShareLink
from impact.questionnaire.scales import options_for
from impact.questionnaire.selectors import link_and_response, response_of

TEMPLATES = "impact/questionnaire/respond/"


SESSION_PREFIX = "questionnaire-response-"


def _session_key(link: ShareLink) -> str:
    return f"{SESSION_PREFIX}{link.pk}"


def _gone(request: HttpRequest, link: ShareLink | None) -> HttpResponse:
    status = 404 if link is None else 410
    return render(request, f"{TEMPLATES}gone.html", {"link": link}, status=status)


def _link(token: str) -> ShareLink | None:
    if len(token) > 64:
        return None
    return ShareLink.objects.select_related("questionnaire", "moment").filter(token=token).first()


def _language(request: HttpRequest, questions: list[Question]) -> str:
    """The extra language the respondent chose, if any question is written in it."""
    language = request.session.get("questionnaire-language", "")
    if language in EXTRA_LANGUAGES and any(q.text_in(language) for q in questions):
        return language
    return ""


def _languages(questions: list[Question]) -> list[str]:
    return [code for code in EXTRA_LANGUAGES if any(q.text_in(code) for q in questions)]


def _response(request: HttpRequest, link: ShareLink) -> Response | None:
    return response_of(link, request.session.get(_session_key(link)))


def _link_and_response(
    request: HttpRequest, token: str
) -> tuple[ShareLink | None, Response | None]:
    """The token's link and this browser's response to it: one query on the pages a
    respondent goes through again and again (see ``link_and_response``)."""
    ids = [
        value
        for key, value in request.session.items()
        if key.startswith(SESSION_PREFIX) and isinstance(value, int)
    ]
    link, response = link_and_response(token, ids)
    if response is not None and request.session.get(_session_key(link)) != response.pk:
        response = None  # kept in the session for another link: not this one's
    return link, response


@never_cache
@require_http_methods(["GET", "POST"])
def respond_start(request: HttpRequest, token: str) -> HttpResponse:
    """The intro and consent; POST starts (or continues) this browser's response."""
    link = _link(token)
    if link is None or not link.is_open:
        return _gone(request, link)
    questions = list(link.questionnaire.questions.all())
    response = _response(request, link)
    if response is not None and response.is_finished:
        return redirect("impact:respond_thanks", token)
    if "taal" in request.GET:
        chosen = request.GET["taal"]
        request.session["questionnaire-language"] = chosen if chosen in EXTRA_LANGUAGES else ""
    if request.method == "POST":
        if not questions:
            return _gone(request, link)
        if not request.session.session_key:
            request.session.save()
        try:
            response = services.start_response(link=link, session_key=request.session.session_key)
        except services.TooManyResponses:
            return render(request, f"{TEMPLATES}busy.html", {"link": link}, status=429)
        except services.ResponseClosed:
            return _gone(request, link)
        request.session[_session_key(link)] = response.pk
        return redirect("impact:respond_question", token, _first_open(response, questions))
    return render(
        request,
        f"{TEMPLATES}start.html",
        {
            "link": link,
            "questionnaire": link.questionnaire,
            "count": len(questions),
            "response": response,
            "languages": _languages(questions),
            "language": _language(request, questions),
            # Whole years read easier than days ("after 2 years"); 0 keeps the answers.
            "kept_years": max(1, round(settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS / 365))
            if settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS > 0
            else None,
        },
    )


def _first_open(response: Response, questions: list[Question]) -> int:
    answered = set(Answer.objects.filter(response=response).values_list("question_id", flat=True))
    for number, question in enumerate(questions, start=1):
        if question.pk not in answered:
            return number
    return len(questions)


@never_cache
@require_http_methods(["GET", "POST"])
def respond_question(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """Question ``number`` of the questionnaire; POST saves it and goes on (or back).

    The pages a room of people goes through at once: four queries for a question (the
    session, the link with this browser's response, the questions, the answer given), and
    as many to save one (the last an insert that updates the answer given)."""
    link, response = _link_and_response(request, token)
    if link is None or not link.is_open:
        return _gone(request, link)
    if response is None:
        return redirect("impact:respond_start", token)
    if response.is_finished:
        return redirect("impact:respond_thanks", token)
    questions = list(link.questionnaire.questions.all())
    if not 1 <= number <= len(questions):
        return _gone(request, None)
    question = questions[number - 1]
    initial = {}
    # The answer given shows on the question; a posted form shows what was posted.
    saved = None
    if request.method == "GET":
        saved = Answer.objects.filter(response=response, question=question).first()
    if saved is not None:
        initial["answer"] = saved.text or (None if saved.number is None else int(saved.number))
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, question=question, initial=initial)
    if request.method == "POST" and form.is_valid():
        number_value, text = form.values()
        if "skip" in request.POST:
            number_value, text = None, ""
        try:
            services.save_answer(
                response=response, question=question, number=number_value, text=text
            )
        except services.ResponseClosed:
            return redirect("impact:respond_thanks", token)
        if "back" in request.POST:
            if number == 1:
                return redirect("impact:respond_start", token)
            return redirect("impact:respond_question", token, number - 1)
        if number == len(questions):
            return redirect("impact:respond_finish", token)
        return redirect("impact:respond_question", token, number + 1)
    language = _language(request, questions)
    return render(
        request,
        f"{TEMPLATES}question.html",
        {
            "link": link,
            "questionnaire": link.questionnaire,
            "question": question,
            "translation": question.text_in(language) if language else "",
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
            "options": options_for(question),
            "form": form,
            "field": form["answer"],
            "selected": str(form["answer"].value() or ""),
            "number": number,
            "total": len(questions),
            "back_url": (
                reverse("impact:respond_question", args=[token, number - 1])
                if number > 1
                else reverse("impact:respond_start", args=[token])
            ),
        },
        status=422 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def respond_finish(request: HttpRequest, token: str) -> HttpResponse:
    """The last screen: send the answers (after that they cannot change)."""
    link, response = _link_and_response(request, token)
    if link is None or not link.is_open:
        return _gone(request, link)
    if response is None:
        return redirect("impact:respond_start", token)
    if response.is_finished:
        return redirect("impact:respond_thanks", token)
    total = link.questionnaire.questions.count()
    if request.method == "POST":
        with contextlib.suppress(services.ResponseClosed):
            services.finish_response(response=response)
        return redirect("impact:respond_thanks", token)
    return render(
        request,
        f"{TEMPLATES}finish.html",
        {
            "link": link,
            "questionnaire": link.questionnaire,
            "answered": response.answers.count(),
            "total": total,
            "back_url": reverse("impact:respond_question", args=[token, max(1, total)]),
        },
    )


@never_cache
@require_http_methods(["GET"])
def respond_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    if link is None:
        return _gone(request, None)
    response = _response(request, link)
    return render(
        request,
        f"{TEMPLATES}thanks.html",
        {"link": link, "questionnaire": link.questionnaire, "response": response},
    )
