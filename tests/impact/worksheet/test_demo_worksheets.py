"""The demo worksheets of Ronde 2 tell the story the trainers show."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from impact.models import (
    Activity,
    Comment,
    Effect,
    Indicator,
    Result,
    Revision,
    Step,
    StepReview,
    Suggestion,
    Worksheet,
)
from organisations.models import Role, User
from trainings.models import Cohort


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=None)


def worksheet_of(name: str) -> Worksheet:
    return Worksheet.objects.get(
        enrolment__organisation__name=name, enrolment__cohort__name="Ronde 2"
    )


def states(worksheet: Worksheet) -> dict[int, str]:
    return dict(worksheet.step_reviews.values_list("step", "state"))


def test_the_demo_loads_the_starter_kit(demo):
    assert Suggestion.objects.filter(kind=Suggestion.Kind.STAKEHOLDER).count() >= 15
    assert Suggestion.objects.filter(kind=Suggestion.Kind.EFFECT).count() >= 20
    assert Suggestion.objects.filter(kind=Suggestion.Kind.INDICATOR).count() >= 25


def test_restaurant_deksels_is_filled_in_across_all_steps(demo):
    worksheet = worksheet_of("Kringloop Zwolle")
    assert worksheet.good_practice == "Restaurant Deksels"
    assert worksheet.impact_goal and worksheet.findings and worksheet.key_message
    assert "fictief" in worksheet.mission_link
    assert worksheet.target_groups.count() >= 2
    assert worksheet.stakeholders.count() >= 6
    activities = Activity.objects.filter(worksheet=worksheet)
    assert activities.count() >= 4
    assert all(activity.outputs.exists() for activity in activities)
    effects = Effect.objects.filter(worksheet=worksheet)
    assert effects.count() >= 6
    assert effects.filter(is_positive=False).exists()
    indicators = Indicator.objects.filter(effect__worksheet=worksheet)
    assert indicators.count() >= 4
    assert not indicators.filter(baseline__isnull=True).exists()
    assert not indicators.filter(target__isnull=True).exists()
    for indicator in indicators:
        assert Result.objects.filter(indicator=indicator, moment__isnull=True).count() == 2
    # The questionnaire's voormeting and nameting became results too, compared on step 5.
    confidence = indicators.get(name="Zelfvertrouwen op een schaal van 1 tot 5")
    measured = confidence.results.filter(moment__isnull=False).order_by("moment__starts_on")
    assert [r.moment.name for r in measured] == ["Voormeting januari", "Nameting december"]
    assert [r.respondents for r in measured] == [14, 13]
    assert measured[0].value < measured[1].value
    assert states(worksheet) == {
        Step.SCOPE: "approved",
        Step.STAKEHOLDERS: "approved",
        Step.ACTIVITIES: "approved",
        Step.EFFECTS: "approved",
        Step.INDICATORS: "submitted",
        Step.LEARNING: "draft",
    }


def test_deksels_has_trainer_feedback_some_resolved(demo):
    worksheet = worksheet_of("Kringloop Zwolle")
    top_level = Comment.objects.filter(worksheet=worksheet, parent__isnull=True)
    assert top_level.filter(resolved_at__isnull=False).exists()
    assert top_level.filter(resolved_at__isnull=True).exists()
    assert top_level.exclude(row_type="").exists()
    trainer = User.objects.get(email="trainer@example.org")
    assert top_level.filter(author=trainer).exists()
    assert Comment.objects.filter(worksheet=worksheet, parent__isnull=False).exists()


def test_revisions_are_written_by_the_participants(demo):
    worksheet = worksheet_of("Kringloop Zwolle")
    authors = set(
        Revision.objects.filter(worksheet=worksheet).values_list("author__email", flat=True)
    )
    assert authors == {"deelnemer@example.org", "collega@example.org"}
    for revision in Revision.objects.select_related("author").all():
        assert revision.author.memberships.filter(
            role=Role.PARTICIPANT, organisation=revision.worksheet.enrolment.organisation
        ).exists()


def test_the_other_organisations_are_further_behind(demo):
    vlinder = worksheet_of("Kringloopcentrum De Vlinder")
    assert vlinder.good_practice == "Fietsenwerkplaats"
    assert vlinder.stakeholders.exists() and vlinder.activities.exists()
    assert not vlinder.effects.exists()
    assert states(worksheet_of("Kringloop Tweede Leven")) == {1: "submitted", 2: "submitted"}
    warenhuis = worksheet_of("Kringloop Het Warenhuis")
    assert not warenhuis.impact_goal and not warenhuis.step_reviews.exists()
    assert not Revision.objects.filter(worksheet=warenhuis).exists()


def test_trainer_sees_the_demo_round_in_the_overview(demo, client):
    client.force_login(User.objects.get(email="trainer@example.org"))
    cohort = Cohort.objects.get(name="Ronde 2")
    response = client.get(reverse("impact:cohort_overview", args=[cohort.pk]))
    rows = {row.organisation.name: row for row in response.context["overview"].rows}
    assert len(rows) == 8
    deksels = rows["Kringloop Zwolle"]
    assert [cell.state for cell in deksels.cells] == [
        StepReview.State.APPROVED,
        StepReview.State.APPROVED,
        StepReview.State.APPROVED,
        StepReview.State.APPROVED,
        StepReview.State.SUBMITTED,
        StepReview.State.DRAFT,
    ]
    assert deksels.open_feedback == 3
    assert deksels.last_activity.author.email in {"deelnemer@example.org", "collega@example.org"}
    assert rows["Kringloop Het Warenhuis"].last_activity is None


def test_seeding_twice_changes_nothing_in_the_worksheets(demo):
    def snapshot():
        return (
            Worksheet.objects.count(),
            Revision.objects.count(),
            Comment.objects.count(),
            StepReview.objects.count(),
            Suggestion.objects.count(),
            list(Comment.objects.values_list("pk", "resolved_at")),
            list(Worksheet.objects.values_list("pk", "impact_goal", "updated_at")),
        )

    before = snapshot()
    call_command("seed_demo", stdout=None)
    assert snapshot() == before
