"""What came back, in the PDFs (the questionnaire's own summary and the organisation report)
with the page's bar charts, and the raw answers as an Excel workbook."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from impact.questionnaire import services
from impact.questionnaire.models import Question
from tests.impact.questionnaire.conftest import answer_all
from tests.impact.reports.test_pdf import flat, pdf_text

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def open_question(questionnaire):
    return Question.objects.create(
        questionnaire=questionnaire, text="Wat wil je nog zeggen?", answer_type="open", position=9
    )


@pytest.fixture
def middle_link(questionnaire, link):
    """A moment between begin and end that only three people answered."""
    return services.share_at_moment(
        questionnaire=questionnaire,
        name="Tussenmeting",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 30),
    )


@pytest.fixture
def answered(link, middle_link, end_link, open_question):
    answer_all(link, [1, 2, 2, 3, 5])
    answer_all(middle_link, [4, 4, 5])
    answer_all(end_link, [3, 4, 4, 5, 5, 5])


def results_pdf(client, questionnaire):
    response = client.get(reverse("impact:questionnaire_results_pdf", args=[questionnaire.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return flat(pdf_text(response.content))


def test_the_summary_pdf_has_a_chart_per_question_and_moment(
    client_for, participant, questionnaire, answered
):
    text = results_pdf(client_for(participant), questionnaire)
    assert "Wat er terugkwam: Hoe gaat het?" in text
    assert "Ik durf nieuwe dingen te proberen." in text
    # The chart's own words: the answers with their count and share, as on the page.
    assert "Helemaal niet 1 (20%)" in text
    assert "Gemiddelde: 2,6 (1 tot 5)" in text and "Gemiddelde: 4,3 (1 tot 5)" in text
    assert "gemiddelde 2,6 → 4,3 (+1,7)" in text


def test_the_summary_pdf_hides_small_groups_and_open_answers_even_for_the_organisation(
    client_for, participant, trainer, questionnaire, answered
):
    page = client_for(participant).get(
        reverse("impact:questionnaire_results", args=[questionnaire.pk])
    )
    assert "Antwoord 4" in page.content.decode()  # the page shows the organisation all
    for person in (participant, trainer):
        text = results_pdf(client_for(person), questionnaire)
        assert "Tussenmeting · n = 3 Te weinig antwoorden om te tonen." in text
        assert "Antwoord 4" not in text
        assert "Antwoorden in woorden zijn alleen voor de organisatie." in text


def test_the_organisation_report_shows_the_questionnaire_with_its_charts(
    client_for, trainer, worksheet, questionnaire, answered
):
    response = client_for(trainer).get(reverse("impact:worksheet_report_pdf", args=[worksheet.pk]))
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert "Wat de mensen zelf zeggen" in text
    assert "Vragenlijst: Hoe gaat het?" in text
    assert "Helemaal niet 1 (20%)" in text
    assert "Te weinig antwoorden om te tonen." in text
    assert "Antwoord 4" not in text


def test_a_questionnaire_never_shared_stays_out_of_the_report(
    client_for, participant, worksheet, questionnaire
):
    response = client_for(participant).get(
        reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    )
    assert "Wat de mensen zelf zeggen" not in flat(pdf_text(response.content))


def test_a_report_as_at_the_end_of_a_dagdeel_counts_the_answers_given_by_then(
    client_for, participant, worksheet, questionnaire, link
):
    from impact.questionnaire.models import Response
    from tests.factories import SessionFactory

    session = SessionFactory(cohort=worksheet.enrolment.cohort, date=dt.date(2026, 3, 10))
    answer_all(link, [1, 2, 3, 4, 5])
    Response.objects.update(created_at=session.ends - dt.timedelta(days=1))
    answer_all(link, [5, 5, 5])  # answered after the dagdeel
    client = client_for(participant)
    url = reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    then = flat(pdf_text(client.get(f"{url}?session={session.pk}").content))
    now = flat(pdf_text(client.get(url).content))
    assert "Voormeting · n = 5" in then and "Voormeting · n = 8" in now


@pytest.mark.parametrize("responses", [5, 25])
def test_the_pdfs_cost_the_same_queries_for_more_answers(
    client_for,
    participant,
    worksheet,
    questionnaire,
    link,
    end_link,
    django_assert_max_num_queries,
    responses,
):
    answer_all(link, [3] * responses)
    answer_all(end_link, [4] * responses)
    client = client_for(participant)
    summary = reverse("impact:questionnaire_results_pdf", args=[questionnaire.pk])
    report = reverse("impact:worksheet_report_pdf", args=[worksheet.pk])
    client.get(summary)  # warm up: session and caches
    # session, user, roles, questionnaire with its worksheet; link counts, links, questions,
    # answer counts, open answers
    with django_assert_max_num_queries(9):
        assert client.get(summary).status_code == 200
    # session, user, roles, worksheet; the report's eleven (tests/impact/reports/test_pdf.py,
    # with the measurement moments); the shared questionnaires, their links, questions,
    # answer counts and open answers
    with django_assert_max_num_queries(20):
        assert client.get(report).status_code == 200


def test_the_workbook_has_a_row_per_response_and_defuses_formulas(
    client_for, participant, trainer, coordinator, link, end_link
):
    Question.objects.create(
        questionnaire=link.questionnaire, text="=cmd|' /C calc'!A0", answer_type="open", position=9
    )
    answer_all(link, [1, 3])
    answer_all(end_link, [5])
    url = reverse("impact:questionnaire_answers_xlsx", args=[link.questionnaire.pk])
    response = client_for(participant).get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="vragenlijst-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["antwoord", "meetmoment", "begonnen", "verstuurd", "van papier"]
    assert rows[0][-1] == "'=cmd|' /C calc'!A0"
    assert [row[1] for row in rows[1:]] == ["Voormeting", "Voormeting", "Nameting"]
    assert rows[1][4] == "ja" and rows[1][5] == "Helemaal niet"
    assert rows[1][-1] == "Antwoord 1"
    assert isinstance(rows[1][2], dt.datetime)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    for person in (trainer, coordinator):
        assert client_for(person).get(url).status_code == 403


def test_the_workbook_keeps_numbers_as_numbers(client_for, participant, questionnaire, link):
    question = Question.objects.create(
        questionnaire=questionnaire, text="Hoeveel dagen werk je?", answer_type="number", position=9
    )
    services.enter_paper_response(link=link, answers={question: (4, "")})
    response = client_for(participant).get(
        reverse("impact:questionnaire_answers_xlsx", args=[questionnaire.pk])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=sheet.max_column).value == 4


def test_the_pages_offer_the_pdf_and_the_workbook_to_whom_may_have_them(
    client_for, participant, trainer, questionnaire, link
):
    xlsx = reverse("impact:questionnaire_answers_xlsx", args=[questionnaire.pk])
    summary = reverse("impact:questionnaire_results_pdf", args=[questionnaire.pk])
    results = reverse("impact:questionnaire_results", args=[questionnaire.pk])
    own = client_for(participant)
    assert xlsx in own.get(questionnaire.get_absolute_url()).content.decode()
    assert xlsx in own.get(results).content.decode()
    coach = client_for(trainer).get(results).content.decode()
    assert summary in coach and xlsx not in coach


# --- The one-page summary: a line per questionnaire -----------------------------------------


def summary_pdf(client, worksheet, **params) -> str:
    response = client.get(reverse("impact:worksheet_summary_pdf", args=[worksheet.pk]), params)
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    return flat(pdf_text(response.content))


def test_the_one_page_summary_has_a_line_per_questionnaire(
    client_for, participant, trainer, worksheet, questionnaire, answered
):
    for person in (participant, trainer):  # the same for whoever asks: as reports show it
        text = summary_pdf(client_for(person), worksheet)
        assert (
            "Vragenlijst “Hoe gaat het?”: Voormeting n = 5 · Tussenmeting: te weinig antwoorden"
            " om te tonen · Nameting n = 6 · positieve antwoorden 25% → 88% (4 vragen)" in text
        )
        assert "n = 3" not in text and "Antwoord 4" not in text


def test_the_summary_shows_no_change_when_the_first_moment_has_too_few_responses(
    client_for, participant, worksheet, link, end_link
):
    answer_all(link, [1, 2, 2, 3])
    answer_all(end_link, [3, 4, 4, 5, 5, 5])
    text = summary_pdf(client_for(participant), worksheet)
    assert "Voormeting: te weinig antwoorden om te tonen · Nameting n = 6" in text
    assert "positieve antwoorden" not in text and "n = 4" not in text


def test_the_summary_has_no_questionnaire_line_without_a_shared_questionnaire(
    client_for, participant, worksheet, questionnaire
):
    assert "Vragenlijst" not in summary_pdf(client_for(participant), worksheet)
    services.share_at_moment(
        questionnaire=questionnaire,
        name="Voormeting",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    text = summary_pdf(client_for(participant), worksheet)
    assert "Vragenlijst “Hoe gaat het?”: Voormeting: te weinig antwoorden om te tonen" in text


def test_the_summary_names_at_most_three_questionnaires(
    client_for, participant, worksheet, indicators
):
    for number in range(1, 5):
        questionnaire = services.create_questionnaire(
            worksheet=worksheet, title=f"Lijst {number}", intro="", indicators=indicators[:1]
        )
        link = services.share_at_moment(
            questionnaire=questionnaire,
            name="Voormeting",
            starts_on=dt.date(2026, 3, number),
            ends_on=dt.date(2026, 3, 31),
        )
        answer_all(link, [3] * 5)
    text = summary_pdf(client_for(participant), worksheet)
    assert [f"Vragenlijst “Lijst {n}”: Voormeting n = 5" in text for n in range(1, 5)] == [
        True,
        True,
        True,
        False,
    ]
    assert "En nog 1 vragenlijst: zie het volledige rapport." in text


def test_the_summary_as_at_the_end_of_a_dagdeel_counts_the_responses_started_by_then(
    client_for, participant, worksheet, questionnaire, link
):
    from impact.questionnaire.models import Response
    from tests.factories import SessionFactory

    session = SessionFactory(cohort=worksheet.enrolment.cohort, date=dt.date(2026, 3, 10))
    answer_all(link, [1, 2, 3, 4, 5])
    Response.objects.update(created_at=session.ends - dt.timedelta(days=1))
    answer_all(link, [5, 5, 5])  # answered after the dagdeel
    client = client_for(participant)
    assert "Voormeting n = 5" in summary_pdf(client, worksheet, session=session.pk)
    assert "Voormeting n = 8" in summary_pdf(client, worksheet)


@pytest.mark.parametrize("responses", [5, 25])
def test_the_summary_costs_the_same_queries_for_more_answers(
    client_for,
    participant,
    worksheet,
    questionnaire,
    link,
    end_link,
    django_assert_max_num_queries,
    responses,
):
    answer_all(link, [3] * responses)
    answer_all(end_link, [4] * responses)
    client = client_for(participant)
    url = reverse("impact:worksheet_summary_pdf", args=[worksheet.pk])
    client.get(url)  # warm up: session and caches
    # session, user, roles, worksheet; the report's data (the worksheet, its moments, target
    # groups, stakeholders, activities, effects with their activities, indicators, results);
    # the shared questionnaires, their links, questions, answer counts and open answers, and
    # the responses sent per link
    with django_assert_max_num_queries(19):
        assert client.get(url).status_code == 200
