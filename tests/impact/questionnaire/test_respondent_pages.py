"""The respondent: an anonymous link, one question per screen, answers saved as they go."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from impact.questionnaire.models import Answer, Question, Response

pytestmark = pytest.mark.django_db


def _urls(link):
    token = link.token
    return {
        "start": reverse("impact:respond_start", args=[token]),
        "q": lambda n: reverse("impact:respond_question", args=[token, n]),
        "finish": reverse("impact:respond_finish", args=[token]),
        "thanks": reverse("impact:respond_thanks", args=[token]),
    }


def test_respondent_answers_every_question_and_sends(link):
    client = Client()
    urls = _urls(link)
    page = client.get(urls["start"]).content.decode()
    assert "We vragen niet je naam" in page and "Er zijn 4 vragen." in page
    response = client.post(urls["start"])
    assert response["Location"] == urls["q"](1)
    page = client.get(urls["q"](1)).content.decode()
    assert "Vraag 1 van 4" in page and "Ik durf nieuwe dingen te proberen." in page
    assert "questionnaire/face-very-happy.svg" in page and "Ja, heel erg" in page
    assert client.post(urls["q"](1), {"answer": "5"})["Location"] == urls["q"](2)
    client.post(urls["q"](2), {"answer": "4"})
    client.post(urls["q"](3), {"skip": "1", "answer": "1"})
    assert client.post(urls["q"](4), {"answer": "2"})["Location"] == urls["finish"]
    assert "Je gaf antwoord op 3 van de 4 vragen." in client.get(urls["finish"]).content.decode()
    assert client.post(urls["finish"])["Location"] == urls["thanks"]
    stored = Response.objects.get(link=link)
    assert stored.is_finished and not stored.entered_from_paper
    assert sorted(Answer.objects.values_list("number", flat=True)) == [2, 4, 5]
    assert "Dank je wel!" in client.get(urls["thanks"]).content.decode()


def test_an_answer_is_saved_per_question_and_shown_again(link):
    client = Client()
    urls = _urls(link)
    client.post(urls["start"])
    client.post(urls["q"](1), {"answer": "3"})
    assert Answer.objects.get().number == 3
    page = client.get(urls["q"](1)).content.decode()
    assert 'value="3" checked' in page
    client.post(urls["q"](1), {"answer": "4"})
    assert Answer.objects.get().number == 4  # replaced, not added


def test_coming_back_continues_at_the_first_open_question(link):
    client = Client()
    urls = _urls(link)
    client.post(urls["start"])
    client.post(urls["q"](1), {"answer": "3"})
    assert "Ga verder" in client.get(urls["start"]).content.decode()
    assert client.post(urls["start"])["Location"] == urls["q"](2)
    assert Response.objects.count() == 1


def test_a_sent_response_cannot_be_changed(link):
    client = Client()
    urls = _urls(link)
    client.post(urls["start"])
    client.post(urls["q"](1), {"answer": "3"})
    client.post(urls["finish"])
    assert client.post(urls["q"](1), {"answer": "1"})["Location"] == urls["thanks"]
    assert client.post(urls["start"])["Location"] == urls["thanks"]
    assert Answer.objects.get().number == 3


def test_someone_else_with_the_link_gets_their_own_response(link):
    first, second = Client(), Client()
    urls = _urls(link)
    first.post(urls["start"])
    first.post(urls["q"](1), {"answer": "3"})
    first.post(urls["finish"])
    # Without the first browser's session, nothing of the first response is reachable.
    assert second.get(urls["q"](1))["Location"] == urls["start"]
    second.post(urls["start"])
    second.post(urls["q"](1), {"answer": "1"})
    assert Response.objects.count() == 2
    assert sorted(Answer.objects.values_list("number", flat=True)) == [1, 3]


def test_unknown_link_is_a_friendly_404_and_a_closed_one_410(link):
    client = Client()
    page = client.get(reverse("impact:respond_start", args=["bestaat-niet"]))
    assert (
        page.status_code == 404
        and "We kunnen deze vragenlijst niet vinden" in page.content.decode()
    )
    link.close()
    for url in (_urls(link)["start"], _urls(link)["q"](1), _urls(link)["finish"]):
        page = client.get(url)
        assert page.status_code == 410
        assert "Deze vragenlijst is gesloten" in page.content.decode()
    assert client.post(_urls(link)["start"]).status_code == 410
    assert not Response.objects.exists()


def test_a_question_beyond_the_questionnaire_is_refused(link):
    client = Client()
    client.post(_urls(link)["start"])
    assert client.get(_urls(link)["q"](5)).status_code == 404
    assert client.post(_urls(link)["q"](0), {"answer": "1"}).status_code == 404
    assert not Answer.objects.exists()


def test_an_answer_outside_the_scale_is_refused(link):
    client = Client()
    client.post(_urls(link)["start"])
    page = client.post(_urls(link)["q"](1), {"answer": "9"})
    assert page.status_code == 422
    assert not Answer.objects.exists()


def test_starts_per_link_are_rate_limited(link, settings):
    settings.IMPACTLAB_QUESTIONNAIRE_STARTS = 3
    for _ in range(3):
        assert Client().post(_urls(link)["start"]).status_code == 302
    page = Client().post(_urls(link)["start"])
    assert page.status_code == 429 and "Het is heel druk" in page.content.decode()
    assert Response.objects.count() == 3


def test_arabic_question_text_is_right_to_left(link):
    question = link.questionnaire.questions.first()
    question.text_ar = "أجرؤ على تجربة أشياء جديدة."
    question.save()
    client = Client()
    urls = _urls(link)
    page = client.get(urls["start"]).content.decode()
    assert 'href="?taal=ar" lang="ar" dir="rtl"' in page
    client.get(urls["start"] + "?taal=ar")
    client.post(urls["start"])
    page = client.get(urls["q"](1)).content.decode()
    assert 'lang="ar" dir="rtl"' in page and "أجرؤ" in page
    assert "Ik durf nieuwe dingen te proberen." in page  # the Dutch stays beside it


@pytest.mark.parametrize("extra_questions", [0, 26])
def test_a_question_and_its_answer_cost_four_queries(
    link, django_assert_max_num_queries, extra_questions
):
    for n in range(extra_questions):
        Question.objects.create(questionnaire=link.questionnaire, text=f"Vraag {n}", position=9)
    client = Client()
    client.post(_urls(link)["start"])
    # session, the link with this browser's response, questions, the answer given
    with django_assert_max_num_queries(4):
        assert client.get(_urls(link)["q"](1)).status_code == 200
    # session, the link with the response, questions, the answer stored (one statement)
    with django_assert_max_num_queries(4):
        assert client.post(_urls(link)["q"](1), {"answer": "4"}).status_code == 302
    with django_assert_max_num_queries(4):
        assert client.post(_urls(link)["q"](1), {"answer": "5"}).status_code == 302
    assert Answer.objects.get().number == 5


def test_replacing_an_answer_moves_its_time(link):
    client = Client()
    client.post(_urls(link)["start"])
    client.post(_urls(link)["q"](1), {"answer": "3"})
    first = Answer.objects.get()
    Answer.objects.update(saved_at=first.saved_at - dt.timedelta(hours=1))
    client.post(_urls(link)["q"](1), {"answer": "4"})
    again = Answer.objects.get()
    assert (again.pk, again.number) == (first.pk, 4) and again.saved_at > first.saved_at


def test_one_browser_answers_two_links_each_in_its_own_response(link, end_link):
    client = Client()
    begin, end = _urls(link), _urls(end_link)
    client.post(begin["start"])
    client.post(begin["q"](1), {"answer": "2"})
    # The second link: a response of its own, not the first link's.
    assert client.get(end["q"](1))["Location"] == end["start"]
    client.post(end["start"])
    client.post(end["q"](1), {"answer": "5"})
    answers = dict(Answer.objects.values_list("response__link", "number"))
    assert answers == {link.pk: 2, end_link.pk: 5}


def test_a_started_response_on_a_link_closed_meanwhile_is_gone(link):
    client = Client()
    client.post(_urls(link)["start"])
    link.close()
    for send in (client.get, client.post):
        assert send(_urls(link)["q"](1), {"answer": "3"}).status_code == 410
    assert not Answer.objects.exists()
