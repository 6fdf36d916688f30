"""The programme view: every ronde side by side, the change from one to the next, the
themes across the programme; for coordinators only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from impact.models import SuggestionUse
from tests.factories import (
    EffectFactory,
    IndicatorFactory,
    StakeholderFactory,
    SuggestionFactory,
    TrainingFactory,
    WorksheetFactory,
)
from tests.impact.programme.helpers import make_ronde
from trainings.models import Cohort

pytestmark = pytest.mark.django_db


def overview_url(programme) -> str:
    return reverse("impact:programme_overview", args=[programme.pk])


def flat(html: str) -> str:
    """The page's text without tags, spaces folded: what a reader sees, in order."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_text(html: str, ronde: str) -> str:
    """The text of the table row whose header links to ``ronde``."""
    for row in re.findall(r"<tr>.*?</tr>", html, re.S):
        if f">{ronde}</a>" in row:
            return flat(row)
    raise AssertionError(f"no row for {ronde}")


@pytest.fixture
def two_rondes(training):
    """Ronde 1 and Ronde 2 of the conftest's training, with figures worked out below."""
    first = make_ronde(
        training, "Ronde A", organisations=5, days_ago=300, approved=2, measured_effects=1
    )
    second = make_ronde(
        training,
        "Ronde B",
        organisations=8,
        days_ago=100,
        present=6,
        approved=3,
        measured_effects=2,
        results=1,
        answered=2,
        value_on=4,
    )
    return first, second


# --- Who may see it -----------------------------------------------------------------------


def test_anonymous_goes_to_the_login(client, training):
    response = client.get(overview_url(training.programme))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_participant_does_not_learn_the_programme_exists(client_for, participant, training):
    assert client_for(participant).get(overview_url(training.programme)).status_code == 404


def test_a_trainer_who_sees_the_programme_is_refused(client_for, trainer, cohort):
    """A trainer of one of its rondes sees the programme's page but not this view."""
    programme = cohort.training.programme
    client = client_for(trainer)
    assert client.get(programme.get_absolute_url()).status_code == 200
    assert client.get(overview_url(programme)).status_code == 403


def test_an_unknown_programme_is_a_404_for_a_coordinator(client_for, coordinator):
    url = reverse("impact:programme_overview", args=[987654])
    assert client_for(coordinator).get(url).status_code == 404


def test_post_is_not_allowed(client_for, coordinator, training):
    assert client_for(coordinator).post(overview_url(training.programme)).status_code == 405


def test_the_programme_page_links_to_it_for_coordinators_only(
    client_for, coordinator, trainer, cohort
):
    programme = cohort.training.programme
    link = f'href="{overview_url(programme)}"'
    assert link in client_for(coordinator).get(programme.get_absolute_url()).text
    assert link not in client_for(trainer).get(programme.get_absolute_url()).text
    training_page = client_for(coordinator).get(cohort.training.get_absolute_url()).text
    assert f'{overview_url(programme)}#training-{cohort.training_id}"' in training_page


# --- The rondes side by side ------------------------------------------------------------------


def test_every_ronde_shows_its_figures(client_for, coordinator, training, two_rondes):
    html = client_for(coordinator).get(overview_url(training.programme)).text
    first = row_text(html, "Ronde A")
    # 5 organisations; 3 of 3 dagdelen; all present (15 of 15); 2 of 6 steps approved each
    # (10 of 30); 1 of 2 effects with an indicator (5 of 10), each with a result (5 of 5).
    for figure in ("5", "3 van 3", "100 % 15 van 15", "33 % 10 van 30", "50 % 5 van 10"):
        assert f" {figure} " in f" {first} ", (figure, first)
    assert "100 % 5 van 5" in first
    assert "0 % 0 van 5" in first  # no questionnaire, no value step
    assert "sinds" not in first  # the first ronde has nothing to compare with


def test_the_next_ronde_shows_the_change_since_the_one_before(
    client_for, coordinator, training, two_rondes
):
    html = client_for(coordinator).get(overview_url(training.programme)).text
    second = row_text(html, "Ronde B")
    assert "verandering sinds Ronde A" in second
    expected = [
        "8 +3 sinds Ronde A",  # organisations
        "75 % 18 van 24 −25 %-punt sinds Ronde A",  # 6 of 8 present at 3 dagdelen
        "50 % 24 van 48 +17 %-punt sinds Ronde A",  # 3 of 6 steps, against 33 %
        "100 % 16 van 16 +50 %-punt sinds Ronde A",  # every effect measured
        "50 % 8 van 16 −50 %-punt sinds Ronde A",  # one indicator of two with a result
        "25 % 2 van 8 2 antwoorden +25 %-punt sinds Ronde A",
        "50 % 4 van 8 0 goedgekeurd +50 %-punt sinds Ronde A",
    ]
    for figure in expected:
        assert figure in second, (figure, second)
    total = flat(re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0))
    assert total.startswith("Alle rondes 13 6 van 6 ")
    assert "33 van 39" in total  # attendance of both rondes together


def test_rondes_follow_each_other_in_time_within_their_training(client_for, coordinator, training):
    later = make_ronde(training, "Ronde Later", organisations=1, days_ago=50, effects=0)
    make_ronde(training, "Ronde Eerder", organisations=1, days_ago=200, effects=0)
    other = TrainingFactory(programme=training.programme, name="Training Waarde meten")
    make_ronde(other, "Ronde Elders", organisations=2, days_ago=100, effects=0)
    html = client_for(coordinator).get(overview_url(training.programme)).text
    assert html.index(">Ronde Eerder<") < html.index(">Ronde Later<")
    # The change is against the ronde before in the same training, not another training's.
    assert "verandering sinds Ronde Eerder" in row_text(html, later.name)
    assert "verandering sinds" not in row_text(html, "Ronde Elders")
    # Two trainings: a total of the whole programme, counting every organisation once.
    assert "Het hele programma" in html
    assert f'id="training-{other.pk}"' in html


def test_archived_rondes_and_withdrawn_organisations_are_left_out(
    client_for, coordinator, training
):
    ronde = make_ronde(training, "Ronde Nu", organisations=3, effects=0)
    make_ronde(training, "Ronde Weg", organisations=2, status=Cohort.Status.ARCHIVED, effects=0)
    ronde.enrolments.first().withdraw()
    html = client_for(coordinator).get(overview_url(training.programme)).text
    assert "Ronde Weg" not in html
    row = row_text(html, "Ronde Nu")
    # Two organisations left; attendance of the two only (6 of 6), not of the third.
    assert " 2 3 van 3 100 % 6 van 6 " in f" {row} ", row


def test_a_small_ronde_says_the_report_leaves_it_out(client_for, coordinator, training):
    make_ronde(training, "Ronde Klein", organisations=4, effects=0)
    make_ronde(training, "Ronde Groot", organisations=5, effects=0)
    html = client_for(coordinator).get(overview_url(training.programme)).text
    note = "Minder dan 5 organisaties: het rapport laat de cijfers weg"
    assert note in row_text(html, "Ronde Klein")
    assert note not in row_text(html, "Ronde Groot")


def test_the_query_count_does_not_grow_with_the_rondes(
    client_for, coordinator, training, django_assert_max_num_queries
):
    """Queries: the session, the person and their roles (3); the programme (1); the
    trainings and their rondes (2); enrolments, sessions, attendance, approved steps,
    effects, indicators, questionnaire answers and value steps, each grouped by ronde (8);
    target groups, stakeholder categories and suggestions taken (3); and the four rules of
    the hints (4): 21, whatever the number of rondes."""
    client = client_for(coordinator)
    for number in range(2):
        make_ronde(training, f"Ronde {number}", organisations=2, answered=1, value_on=1)
    with django_assert_max_num_queries(21):
        assert client.get(overview_url(training.programme)).status_code == 200
    for number in range(2, 20):
        make_ronde(training, f"Ronde {number}", organisations=2, answered=1, value_on=1)
    with django_assert_max_num_queries(21):
        response = client.get(overview_url(training.programme))
    assert response.text.count('<th scope="row">') == 20 + 1  # 20 rondes and the total


# --- Themes -------------------------------------------------------------------------------


def test_target_groups_are_counted_by_name_in_distinct_organisations(
    client_for, coordinator, training
):
    make_ronde(training, "Ronde A", organisations=3, target_group="Nieuwkomers", effects=0)
    make_ronde(training, "Ronde B", organisations=2, target_group=" nieuwkomers ", effects=0)
    make_ronde(training, "Ronde C", organisations=1, target_group="Jongeren", effects=0)
    page = flat(client_for(coordinator).get(overview_url(training.programme)).text)
    themes = page[page.index("Doelgroepen die het vaakst genoemd worden") :]
    assert themes.index("Nieuwkomers 5 organisaties") < themes.index("Jongeren 1 organisatie")


def test_a_suggestion_taken_through_the_worksheet_is_counted(
    client_for, coordinator, participant, organisation, cohort
):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())
    suggestion = SuggestionFactory(title="Jobcoaches van de kringloop")
    response = client_for(participant).post(
        reverse("impact:suggestion_use", args=[worksheet.pk]), {"suggestion": suggestion.pk}
    )
    assert response.status_code == 302
    use = SuggestionUse.objects.get()
    assert (use.worksheet, use.suggestion, use.row_type) == (worksheet, suggestion, "stakeholder")
    assert worksheet.stakeholders.get(pk=use.row_id).name == suggestion.title
    page = flat(client_for(coordinator).get(overview_url(cohort.training.programme)).text)
    assert "Jobcoaches van de kringloop (stakeholder) 1 organisatie · 1 keer overgenomen" in page


def test_the_hints_left_open_are_counted(client_for, coordinator, organisation, cohort):
    worksheet = WorksheetFactory(enrolment=organisation.enrolments.get())
    stakeholder = StakeholderFactory(worksheet=worksheet)
    EffectFactory(worksheet=worksheet, stakeholder=stakeholder)  # no indicator
    EffectFactory(worksheet=worksheet, stakeholder=stakeholder)  # no indicator
    measured = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
    IndicatorFactory(effect=measured, baseline=None)
    page = flat(client_for(coordinator).get(overview_url(cohort.training.programme)).text)
    assert "Een effect zonder indicator 1 organisatie · staat open op 2 plekken" in page
    assert "Een indicator zonder nulmeting 1 organisatie · staat open op 1 plek" in page
    assert "Een indicator zonder bron" not in page


def test_user_text_is_escaped(client_for, coordinator, training):
    make_ronde(training, "<b>Ronde</b>", organisations=1, target_group="<i>Doelgroep</i>")
    html = client_for(coordinator).get(overview_url(training.programme)).text
    assert "&lt;b&gt;Ronde&lt;/b&gt;" in html
    assert "&lt;i&gt;Doelgroep&lt;/i&gt;" in html
    assert "<i>Doelgroep" not in html


def test_the_page_speaks_english_too(client_for, coordinator, training, two_rondes):
    response = client_for(coordinator).get(
        overview_url(training.programme), headers={"accept-language": "en"}
    )
    second = row_text(response.text, "Ronde B")
    assert "50 % 24 of 48 +17 pt since Ronde A" in second
