"""The printable form and the entry screen for filled-in paper forms."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from impact.questionnaire.models import Answer, Question, Response

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def test_printable_form_has_every_question_and_its_words(client_for, participant, link):
    Question.objects.create(
        questionnaire=link.questionnaire,
        text=f"Wat wil je zeggen? {SCRIPT}",
        answer_type="open",
        position=9,
    )
    response = client_for(participant).get(reverse("impact:link_pdf", args=[link.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for question in link.questionnaire.questions.all():
        assert question.text.split()[0] in text
    assert "Ja, heel erg" in text and "Zet een kruisje in één hokje" in text
    assert SCRIPT in text  # user text appears literally, never as markup
    assert len(reader.pages) <= 3


def test_paper_forms_are_typed_in_one_after_the_other(client_for, participant, link):
    client = client_for(participant)
    url = reverse("impact:paper_entry", args=[link.pk])
    questions = list(link.questionnaire.questions.all())
    page = client.get(url).content.decode()
    assert "Invoer van papieren lijsten" in page
    response = client.post(url, {f"q{questions[0].pk}": "4", f"q{questions[1].pk}": "2"})
    assert response.status_code == 302 and response["Location"] == url
    stored = Response.objects.get()
    assert stored.entered_from_paper and stored.is_finished
    assert sorted(Answer.objects.values_list("number", flat=True)) == [2, 4]
    assert "Tot nu toe 1 papieren lijst ingevoerd." in client.get(url).content.decode()


def test_an_empty_paper_form_is_refused(client_for, participant, link):
    response = client_for(participant).post(
        reverse("impact:paper_entry", args=[link.pk]), {"csrfmiddlewaretoken": "x"}
    )
    assert response.status_code == 422
    assert "Vul minstens één antwoord in." in response.content.decode()
    assert not Response.objects.exists()
