"""Adding, editing, ordering and removing rows, with and without htmx; bad input."""

import pytest
from django.urls import reverse

from impact.models import Activity, Effect, Indicator, Output, Revision, Stakeholder, StepReview
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    IndicatorFactory,
    ResultFactory,
    StakeholderFactory,
)
from tests.impact.worksheet_helpers import (
    STAKEHOLDER,
    create_url,
    new_data,
    row_url,
    update_data,
    worksheet_of,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


def step_url(worksheet, step):
    return reverse("impact:worksheet_step", args=[worksheet.pk, step])


def scope_data(worksheet, **overrides):
    data = {
        "good_practice": "Restaurant Deksels",
        "reasons": ["steering", "funding"],
        "audiences": "gemeente Zwolle",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "social_problem": "Veel mensen staan langs de kant.",
        "impact_goal": "Meer mensen vinden betaald werk.",
        "themes": ["labour"],
        "mission_link": "Werk voor iedereen.",
        **overrides,
    }
    return update_data("scope", worksheet, data)


def test_participant_fills_in_step_one_without_javascript(client, worksheet):
    response = client.post(step_url(worksheet, 1), scope_data(worksheet))
    assert response.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.reasons == ["steering", "funding"]
    assert worksheet.themes == ["labour"]
    assert worksheet.version == 2
    revision = Revision.objects.get(worksheet=worksheet)
    assert (revision.row_type, revision.action, revision.step) == ("worksheet", "update", 1)
    assert revision.data["impact_goal"] == "Meer mensen vinden betaald werk."
    assert StepReview.objects.get(worksheet=worksheet, step=1).state == "draft"


def test_step_six_saves_the_learning_fields(client, worksheet):
    data = update_data("learning", worksheet, {"findings": "Meedenken helpt.", "key_message": "x"})
    response = client.post(step_url(worksheet, 6), data)
    assert response.status_code == 302
    worksheet.refresh_from_db()
    assert worksheet.findings == "Meedenken helpt."
    assert Revision.objects.get(worksheet=worksheet).step == 6


def test_period_that_ends_before_it_starts_is_refused(client, worksheet):
    response = client.post(
        step_url(worksheet, 1),
        scope_data(worksheet, period_start="2026-05-01", period_end="2026-01-01"),
    )
    assert response.status_code == 422
    assert response.context["sheet"].form.errors["period_end"]
    worksheet.refresh_from_db()
    assert worksheet.period_start is None


def test_bad_numbers_dates_and_lengths_get_form_errors_and_keep_saved_text(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    response = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data(
            "stakeholder", stakeholder, {**STAKEHOLDER, "name": "x" * 201, "group_size": "twaalf"}
        ),
    )
    assert response.status_code == 422
    form = response.context["lists"][0].rows[0].form
    assert set(form.errors) == {"name", "group_size"}
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Jobcoaches"
    response = client.post(step_url(worksheet, 1), scope_data(worksheet, period_start="31-02-2026"))
    assert response.status_code == 422


def test_script_tags_show_as_text_and_diacritics_and_emoji_round_trip(client, worksheet):
    name = "<script>alert('x')</script> Coöperatie café 🚲"
    response = client.post(
        create_url(worksheet, "stakeholder"), new_data("stakeholder", {**STAKEHOLDER, "name": name})
    )
    assert response.status_code == 302
    assert Stakeholder.objects.get(worksheet=worksheet).name == name
    page = client.get(step_url(worksheet, 2))
    assert "<script>alert('x')</script>" not in page.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Coöperatie café 🚲" in page.text


def test_not_material_needs_a_reason(client, worksheet):
    data = {**STAKEHOLDER, "is_material": "", "materiality_reason": ""}
    response = client.post(create_url(worksheet, "stakeholder"), new_data("stakeholder", data))
    assert response.status_code == 422
    assert not Stakeholder.objects.exists()


def test_adding_a_row_with_htmx_returns_the_list(client, worksheet):
    response = client.post(
        create_url(worksheet, "stakeholder"), new_data("stakeholder", STAKEHOLDER), **HTMX
    )
    assert response.status_code == 200
    assert 'id="list-stakeholder"' in response.text
    assert "Deelnemers werkleerplek" in response.text
    stakeholder = Stakeholder.objects.get()
    assert (stakeholder.version, stakeholder.position) == (1, 0)
    assert Revision.objects.get().action == "create"


def test_htmx_form_errors_come_back_in_the_list_with_422(client, worksheet):
    data = new_data("stakeholder", {**STAKEHOLDER, "name": ""})
    response = client.post(create_url(worksheet, "stakeholder"), data, **HTMX)
    assert response.status_code == 422
    assert 'id="list-stakeholder"' in response.text
    assert not Stakeholder.objects.exists()


def test_editing_a_row_with_htmx_returns_the_row(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    response = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Vrijwilligers"}),
        **HTMX,
    )
    assert response.status_code == 200
    assert f'id="row-stakeholder-{stakeholder.pk}"' in response.text
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Vrijwilligers"


def test_activity_links_only_this_worksheets_stakeholders(
    client, worksheet, fellow_organisation, cohort
):
    own = StakeholderFactory(worksheet=worksheet)
    foreign = StakeholderFactory(worksheet=worksheet_of(fellow_organisation, cohort))
    data = {"title": "Werkleerplekken", "stakeholders": [own.pk, foreign.pk]}
    response = client.post(create_url(worksheet, "activity"), new_data("activity", data))
    assert response.status_code == 422
    assert not Activity.objects.exists()
    data["stakeholders"] = [own.pk]
    response = client.post(create_url(worksheet, "activity"), new_data("activity", data))
    assert response.status_code == 302
    assert list(Activity.objects.get().stakeholders.all()) == [own]


def test_effect_with_a_forged_activity_of_another_worksheet_is_refused(
    client, worksheet, fellow_organisation, cohort
):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    own = ActivityFactory(worksheet=worksheet)
    other_sheet = worksheet_of(fellow_organisation, cohort)
    foreign_activity = ActivityFactory(worksheet=other_sheet)
    foreign_stakeholder = StakeholderFactory(worksheet=other_sheet)
    effect = {
        "stakeholder": stakeholder.pk,
        "activities": [own.pk, foreign_activity.pk],
        "description": "Ik voel me sterker.",
        "term": "short",
        "is_positive": "on",
        "is_intended": "on",
        "confidence": "medium",
    }
    response = client.post(create_url(worksheet, "effect"), new_data("effect", effect))
    assert response.status_code == 422
    assert "activities" in response.context["lists"][0].new_form.errors
    effect.update(activities=[own.pk], stakeholder=foreign_stakeholder.pk)
    response = client.post(create_url(worksheet, "effect"), new_data("effect", effect))
    assert response.status_code == 422
    assert "stakeholder" in response.context["lists"][0].new_form.errors
    assert not Effect.objects.exists()
    # Editing an existing effect is guarded the same way.
    existing = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
    effect.update(stakeholder=stakeholder.pk, activities=[foreign_activity.pk])
    response = client.post(
        row_url("update", worksheet, "effect", existing.pk), update_data("effect", existing, effect)
    )
    assert response.status_code == 422
    assert list(existing.activities.all()) == []


def test_outputs_indicators_and_results_are_sub_rows(client, worksheet):
    activity = ActivityFactory(worksheet=worksheet)
    response = client.post(
        create_url(worksheet, "output", activity),
        new_data(
            "output",
            {"description": "werkleerplekken", "quantity": "12", "unit": "plekken"},
            activity,
        ),
    )
    assert response.status_code == 302
    assert Output.objects.get().activity == activity
    effect = EffectFactory(worksheet=worksheet)
    indicator = {
        "name": "Score zelfvertrouwen",
        "kind": "scale",
        "direction": "increase",
        "method": "survey",
        "baseline": "5,2",
        "target": "7",
    }
    response = client.post(
        create_url(worksheet, "indicator", effect), new_data("indicator", indicator, effect)
    )
    assert response.status_code == 302, response.context and response.context["effect_groups"]
    created = Indicator.objects.get()
    assert created.effect == effect
    response = client.post(
        create_url(worksheet, "result", created),
        new_data("result", {"period": "voorjaar 2026", "value": "6,1"}, created),
    )
    assert response.status_code == 302
    assert str(created.results.get().value) == "6.10"


def test_a_sub_row_needs_its_parent(client, worksheet):
    response = client.post(
        create_url(worksheet, "output"), new_data("output", {"description": "x"})
    )
    assert response.status_code == 404


def test_rows_move_up_and_down_without_changing_their_version(client, worksheet):
    first, second, third = (StakeholderFactory(worksheet=worksheet, position=0) for _ in range(3))
    response = client.post(row_url("move", worksheet, "stakeholder", third.pk, "up"), **HTMX)
    assert response.status_code == 200
    order = list(Stakeholder.objects.filter(worksheet=worksheet).values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]
    client.post(row_url("move", worksheet, "stakeholder", first.pk, "down"))
    order = list(Stakeholder.objects.filter(worksheet=worksheet).values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]
    assert set(Stakeholder.objects.values_list("version", flat=True)) == {1}


def test_removing_a_row_records_it_and_its_sub_rows(client, worksheet):
    activity = ActivityFactory(worksheet=worksheet)
    output = activity.outputs.create(description="werkleerplekken", quantity=12)
    response = client.post(
        row_url("delete", worksheet, "activity", activity.pk),
        {f"activity-{activity.pk}-version": 1},
        **HTMX,
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
    removed = set(Revision.objects.filter(action="delete").values_list("row_type", "row_id"))
    assert removed == {("activity", activity.pk), ("output", output.pk)}


def test_removing_a_row_someone_changed_meanwhile_is_refused(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet, version=3)
    response = client.post(
        row_url("delete", worksheet, "stakeholder", stakeholder.pk),
        {f"stakeholder-{stakeholder.pk}-version": 2},
    )
    assert response.status_code == 302
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_removing_a_stakeholder_with_effects_asks_first(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
    result = ResultFactory(indicator=IndicatorFactory(effect=effect))
    url = row_url("delete", worksheet, "stakeholder", stakeholder.pk)
    response = client.post(url, {f"stakeholder-{stakeholder.pk}-version": 1}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["effects"] == [effect]
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    response = client.post(url, {"version": 1, "confirm": "1"})
    assert response.status_code == 302
    assert not Stakeholder.objects.exists() and not Effect.objects.exists()
    removed = set(Revision.objects.filter(action="delete").values_list("row_type", flat=True))
    assert removed == {"stakeholder", "effect", "indicator", "result"}
    assert not type(result).objects.exists()


def test_step_pages_show_indicator_progress_from_baseline_to_target(client, worksheet):
    # 50 → 62 against a target of 80 is 12 of the 30 to go: 40 %, not 62 / 80 = 78 %.
    indicator = IndicatorFactory(effect__worksheet=worksheet, baseline=50, target=80)
    ResultFactory(indicator=indicator, value=62)
    response = client.get(step_url(worksheet, 5))
    _effect, row_list = response.context["effect_groups"][0]
    progress = row_list.rows[0].progress
    assert (progress.percent, progress.status) == (40, "on_the_way")
    assert 'value="40"' in response.text
    english = client.get(step_url(worksheet, 5), headers={"accept-language": "en"}).text
    assert "40% of the way from the baseline 50 to the target 80" in english


def test_lower_is_better_indicators_count_as_reached_below_target(client, worksheet):
    indicator = IndicatorFactory(
        effect__worksheet=worksheet, baseline=20, target=10, direction="decrease"
    )
    ResultFactory(indicator=indicator, value=8)
    response = client.get(step_url(worksheet, 5))
    progress = response.context["effect_groups"][0][1].rows[0].progress
    assert (progress.status, progress.percent) == ("reached", 100)
    assert "doel gehaald (streefwaarde 10)" in response.text
