"""The starter kit: loading it, managing it in the app, and picking suggestions."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from impact.models import Effect, Indicator, Revision, Stakeholder, StepReview, Suggestion
from tests.factories import (
    EffectFactory,
    IndicatorFactory,
    StakeholderFactory,
    StepReviewFactory,
    SuggestionFactory,
    UserFactory,
    WorksheetFactory,
)

SOURCES = {
    "Impactpad – arbeidsparticipatie",
    "Impactpad – circulaire economie",
    "SVI-principes",
    "praktijk kringloopbranche",
}


@pytest.fixture
def worksheet(organisation, cohort):
    return WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))


@pytest.fixture
def starter_kit(db):
    call_command("load_starter_kit", stdout=None)


def use(worksheet):
    return reverse("impact:suggestion_use", args=[worksheet.pk])


def picker(worksheet, kind="stakeholder"):
    return reverse("impact:suggestion_picker", args=[worksheet.pk, kind])


# --- the starter kit itself -----------------------------------------------------------


def test_starter_kit_has_enough_suggestions_with_a_source(starter_kit):
    counts = {kind: Suggestion.objects.filter(kind=kind).count() for kind in Suggestion.Kind}
    assert counts[Suggestion.Kind.STAKEHOLDER] >= 15
    assert counts[Suggestion.Kind.EFFECT] >= 20
    assert counts[Suggestion.Kind.INDICATOR] >= 25
    assert set(Suggestion.objects.values_list("source", flat=True)) <= SOURCES
    for suggestion in Suggestion.objects.exclude(kind=Suggestion.Kind.INDICATOR):
        assert suggestion.category in Stakeholder.Category.values
    for suggestion in Suggestion.objects.filter(kind=Suggestion.Kind.INDICATOR):
        assert suggestion.method in Indicator.Method.values


def test_loading_twice_adds_nothing_and_keeps_edits(starter_kit, capsys):
    suggestion = Suggestion.objects.filter(kind=Suggestion.Kind.EFFECT).first()
    suggestion.description = "Aangepast door de coördinator"
    suggestion.save()
    before = Suggestion.objects.count()
    call_command("load_starter_kit")
    assert "already loaded" in capsys.readouterr().out
    assert Suggestion.objects.count() == before
    suggestion.refresh_from_db()
    assert suggestion.description == "Aangepast door de coördinator"


def test_every_stakeholder_in_the_kit_says_whether_it_invests(starter_kit):
    relations = dict(
        Suggestion.objects.filter(kind=Suggestion.Kind.STAKEHOLDER).values_list("title", "relation")
    )
    assert set(relations.values()) <= set(Stakeholder.Relation.values)
    # Donors give the goods: they invest, they do not experience the effects.
    assert relations["Inwoners die spullen brengen"] == Stakeholder.Relation.INVESTS
    assert relations["Bedrijven die partijen aanleveren"] == Stakeholder.Relation.INVESTS
    assert relations["Fondsen en sociale investeerders"] == Stakeholder.Relation.INVESTS
    assert relations["Vrijwilligers"] == Stakeholder.Relation.BOTH
    assert relations["Werkleerdeelnemers met een arbeidsbeperking"] == (
        Stakeholder.Relation.EXPERIENCES
    )


def test_the_kits_negative_effects_are_negative(starter_kit):
    negative = Suggestion.objects.filter(kind=Suggestion.Kind.EFFECT, is_positive=False)
    assert negative.count() == 3
    assert all(s.title.startswith("Negatief:") for s in negative)


# --- managing the library -------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db):
    suggestion = SuggestionFactory()
    for url in [
        reverse("impact:suggestion_list"),
        reverse("impact:suggestion_create"),
        reverse("impact:suggestion_update", args=[suggestion.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(reverse("impact:suggestion_toggle", args=[suggestion.pk]))
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["participant", "trainer", "coordinator"])
def test_everyone_with_a_role_browses_the_active_suggestions(client_for, request, who, db):
    active = SuggestionFactory(title="Jobcoaches")
    SuggestionFactory(title="Verouderd", is_active=False)
    response = client_for(request.getfixturevalue(who)).get(reverse("impact:suggestion_list"))
    assert response.status_code == 200
    assert list(response.context["suggestions"]) == [active]


def test_person_without_a_role_gets_403(client_for, db):
    assert client_for(UserFactory()).get(reverse("impact:suggestion_list")).status_code == 403


def test_coordinator_filters_by_kind_theme_and_status(client_for, coordinator):
    effect = SuggestionFactory(
        kind=Suggestion.Kind.EFFECT, theme=Suggestion.Theme.CIRCULAR, title="Minder afval"
    )
    SuggestionFactory(kind=Suggestion.Kind.EFFECT, theme=Suggestion.Theme.LABOUR, title="Werk")
    SuggestionFactory(title="Jobcoaches")
    hidden = SuggestionFactory(title="Oud", is_active=False)
    client = client_for(coordinator)
    response = client.get(
        reverse("impact:suggestion_list"), {"kind": "effect", "theme": "circular"}
    )
    assert list(response.context["suggestions"]) == [effect]
    response = client.get(reverse("impact:suggestion_list"), {"status": "inactive"})
    assert list(response.context["suggestions"]) == [hidden]


def test_participants_cannot_ask_for_inactive_suggestions(client_for, participant):
    SuggestionFactory(title="Oud", is_active=False)
    response = client_for(participant).get(reverse("impact:suggestion_list"), {"status": "all"})
    assert list(response.context["suggestions"]) == []


@pytest.mark.parametrize("who", ["participant", "trainer"])
def test_only_coordinators_manage_the_library(client_for, request, who, db):
    suggestion = SuggestionFactory(title="Jobcoaches")
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("impact:suggestion_create")).status_code == 403
    assert client.post(reverse("impact:suggestion_create"), {"title": "x"}).status_code == 403
    update = reverse("impact:suggestion_update", args=[suggestion.pk])
    assert client.post(update, {"title": "Gekaapt"}).status_code == 403
    toggle = reverse("impact:suggestion_toggle", args=[suggestion.pk])
    assert client.post(toggle).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.title == "Jobcoaches" and suggestion.is_active


def test_coordinator_adds_a_suggestion(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("impact:suggestion_create"),
        {
            "kind": "indicator",
            "theme": "circular",
            "title": "Verkochte fietsen",
            "method": "registration",
            "unit": "fietsen",
            "source": "praktijk kringloopbranche",
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get(title="Verkochte fietsen")
    assert (suggestion.kind, suggestion.method, suggestion.unit) == (
        "indicator",
        "registration",
        "fietsen",
    )


def test_a_stakeholder_suggestion_needs_a_category(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("impact:suggestion_create"),
        {"kind": "stakeholder", "theme": "general", "title": "Buren", "source": "SVI-principes"},
    )
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_coordinator_edits_and_deactivates(client_for, coordinator):
    suggestion = SuggestionFactory(title="Jobcoaches")
    client = client_for(coordinator)
    response = client.post(
        reverse("impact:suggestion_update", args=[suggestion.pk]),
        {
            "kind": "stakeholder",
            "theme": "labour",
            "title": "Jobcoaches en werkbegeleiders",
            "category": "staff",
            "relation": "both",
            "source": "praktijk kringloopbranche",
        },
    )
    assert response.status_code == 302
    toggle = reverse("impact:suggestion_toggle", args=[suggestion.pk])
    assert client.get(toggle).status_code == 405
    assert client.post(toggle).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.title == "Jobcoaches en werkbegeleiders"
    assert not suggestion.is_active
    client.post(toggle)
    suggestion.refresh_from_db()
    assert suggestion.is_active


# --- picking suggestions into a worksheet ---------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "fellow", "other_trainer"])
def test_outsiders_get_404_for_the_picker(client_for, request, who, worksheet):
    suggestion = SuggestionFactory()
    client = client_for(request.getfixturevalue(who))
    assert client.get(picker(worksheet)).status_code == 404
    assert client.post(use(worksheet), {"suggestion": suggestion.pk}).status_code == 404
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("who", ["trainer", "coordinator"])
def test_readers_see_the_picker_but_may_not_pick(client_for, request, who, worksheet):
    suggestion = SuggestionFactory(title="Jobcoaches")
    client = client_for(request.getfixturevalue(who))
    response = client.get(picker(worksheet))
    assert response.status_code == 200
    assert "Jobcoaches" in response.text
    assert use(worksheet) in response.text  # the form is there, the buttons are not
    assert f'value="{suggestion.pk}"' not in response.text
    assert client.post(use(worksheet), {"suggestion": suggestion.pk}).status_code == 403
    assert not Stakeholder.objects.exists()


def test_get_on_use_is_405(client_for, participant, worksheet):
    assert client_for(participant).get(use(worksheet)).status_code == 405


def test_anonymous_picker_goes_to_login(client, worksheet):
    response = client.get(picker(worksheet))
    assert response.url.startswith(reverse("account_login"))


def test_participant_picks_a_stakeholder(client_for, participant, worksheet):
    suggestion = SuggestionFactory(title="Jobcoaches en werkbegeleiders", category="staff")
    response = client_for(participant).post(use(worksheet), {"suggestion": suggestion.pk})
    stakeholder = Stakeholder.objects.get(worksheet=worksheet)
    assert response.status_code == 302
    assert response.url == (
        reverse("impact:worksheet_step", args=[worksheet.pk, 2])
        + f"?bewerken=stakeholder-{stakeholder.pk}#row-stakeholder-{stakeholder.pk}"
    )
    assert (stakeholder.name, stakeholder.category) == ("Jobcoaches en werkbegeleiders", "staff")
    revision = Revision.objects.get(worksheet=worksheet)
    assert (revision.row_type, revision.row_id, revision.action, revision.step) == (
        "stakeholder",
        stakeholder.pk,
        Revision.Action.CREATE,
        2,
    )
    assert revision.author == participant
    assert revision.data["name"] == "Jobcoaches en werkbegeleiders"


def test_picked_row_is_editable_afterwards(client_for, participant, worksheet):
    suggestion = SuggestionFactory(title="Vrijwilligers", category="volunteers")
    client_for(participant).post(use(worksheet), {"suggestion": suggestion.pk})
    stakeholder = Stakeholder.objects.get(worksheet=worksheet)
    stakeholder.name = "Onze vrijwilligers in het restaurant"
    stakeholder.full_clean()
    stakeholder.save()
    suggestion.refresh_from_db()
    assert suggestion.title == "Vrijwilligers"  # the library item stays as it was


def test_participant_picks_an_effect_for_one_of_their_stakeholders(
    client_for, participant, worksheet
):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    suggestion = SuggestionFactory(
        kind=Suggestion.Kind.EFFECT, title="Meer zelfvertrouwen", category="target_group"
    )
    response = client_for(participant).post(
        use(worksheet), {"suggestion": suggestion.pk, "stakeholder": stakeholder.pk}
    )
    assert response.status_code == 302
    effect = Effect.objects.get(worksheet=worksheet)
    assert (effect.description, effect.stakeholder) == ("Meer zelfvertrouwen", stakeholder)
    assert Revision.objects.get(row_type="effect").row_id == effect.pk


def test_an_effect_without_a_stakeholder_gets_a_form_error(client_for, participant, worksheet):
    suggestion = SuggestionFactory(kind=Suggestion.Kind.EFFECT, title="Meer zelfvertrouwen")
    response = client_for(participant).post(use(worksheet), {"suggestion": suggestion.pk})
    assert response.status_code == 400
    assert "stakeholder" in response.context["pick_form"].errors
    assert not Effect.objects.exists()


def test_participant_picks_an_indicator_for_one_of_their_effects(
    client_for, participant, worksheet
):
    effect = EffectFactory(worksheet=worksheet)
    suggestion = SuggestionFactory(
        kind=Suggestion.Kind.INDICATOR,
        title="Uitstroom naar betaald werk",
        category="",
        method="survey",
        unit="%",
        description="Binnen 12 maanden na vertrek.",
    )
    response = client_for(participant).post(
        use(worksheet), {"suggestion": suggestion.pk, "effect": effect.pk}
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(effect=effect)
    assert indicator.name == "Uitstroom naar betaald werk"
    assert (indicator.method, indicator.unit, indicator.kind) == ("survey", "%", "percentage")
    assert indicator.definition == "Binnen 12 maanden na vertrek."
    assert Revision.objects.get(row_type="indicator").data["unit"] == "%"


def test_forged_stakeholder_of_another_worksheet_is_refused(
    client_for, participant, worksheet, fellow_organisation
):
    other = WorksheetFactory(enrolment=fellow_organisation.enrolments.get())
    foreign = StakeholderFactory(worksheet=other)
    StakeholderFactory(worksheet=worksheet)
    suggestion = SuggestionFactory(kind=Suggestion.Kind.EFFECT, title="Meer zelfvertrouwen")
    response = client_for(participant).post(
        use(worksheet), {"suggestion": suggestion.pk, "stakeholder": foreign.pk}
    )
    assert response.status_code == 400
    assert "stakeholder" in response.context["pick_form"].errors
    assert not Effect.objects.exists()


def test_forged_effect_of_another_worksheet_is_refused(
    client_for, participant, worksheet, fellow_organisation
):
    other = WorksheetFactory(enrolment=fellow_organisation.enrolments.get())
    foreign = EffectFactory(worksheet=other)
    suggestion = SuggestionFactory(kind=Suggestion.Kind.INDICATOR, title="Uitstroom", category="")
    response = client_for(participant).post(
        use(worksheet), {"suggestion": suggestion.pk, "effect": foreign.pk}
    )
    assert response.status_code == 400
    assert not Indicator.objects.exists()


def test_inactive_or_unknown_suggestions_are_refused(client_for, participant, worksheet):
    hidden = SuggestionFactory(title="Oud", is_active=False)
    client = client_for(participant)
    assert client.post(use(worksheet), {"suggestion": hidden.pk}).status_code == 400
    assert client.post(use(worksheet), {"suggestion": 999999}).status_code == 400
    assert not Stakeholder.objects.exists()


def test_participant_cannot_pick_into_a_fellows_worksheet(
    client_for, participant, fellow_organisation
):
    other = WorksheetFactory(enrolment=fellow_organisation.enrolments.get())
    suggestion = SuggestionFactory()
    response = client_for(participant).post(use(other), {"suggestion": suggestion.pk})
    assert response.status_code == 404


def test_picker_fragment_for_htmx(client_for, participant, worksheet):
    SuggestionFactory(kind=Suggestion.Kind.EFFECT, title="Meer zelfvertrouwen")
    response = client_for(participant).get(
        picker(worksheet, "effect"), headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Meer zelfvertrouwen" in response.text


def test_picker_queries_do_not_grow_with_suggestions(
    client_for, django_assert_max_num_queries, participant, worksheet
):
    client = client_for(participant)
    SuggestionFactory.create_batch(3)
    # session, user, roles, worksheet; the suggestions; the right to edit the worksheet.
    with django_assert_max_num_queries(6):
        client.get(picker(worksheet))
    SuggestionFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        client.get(picker(worksheet))


def test_library_list_queries_do_not_grow(client_for, django_assert_max_num_queries, coordinator):
    client = client_for(coordinator)
    SuggestionFactory.create_batch(3)
    # session, user, roles, the suggestions.
    with django_assert_max_num_queries(4):
        client.get(reverse("impact:suggestion_list"))
    SuggestionFactory.create_batch(30)
    with django_assert_max_num_queries(4):
        client.get(reverse("impact:suggestion_list"))


def test_step_page_loads_the_starter_kit_only_when_opened(client_for, participant, worksheet):
    SuggestionFactory(title="Jobcoaches en werkbegeleiders")
    page = client_for(participant).get(reverse("impact:worksheet_step", args=[worksheet.pk, 2]))
    assert "Jobcoaches en werkbegeleiders" not in page.text
    assert f'hx-get="{picker(worksheet)}"' in page.text
    assert f'href="{picker(worksheet)}"' in page.text  # without JavaScript: the picker page


# --- what a picked suggestion brings along --------------------------------------------


def test_a_picked_stakeholder_brings_its_description_and_relation(
    client_for, participant, worksheet, starter_kit
):
    donors = Suggestion.objects.get(title="Inwoners die spullen brengen")
    client_for(participant).post(use(worksheet), {"suggestion": donors.pk})
    stakeholder = Stakeholder.objects.get(worksheet=worksheet)
    assert stakeholder.category == Stakeholder.Category.SUPPLIERS
    assert stakeholder.relation == Stakeholder.Relation.INVESTS
    assert stakeholder.materiality_reason == donors.description
    assert "geen kringloop" in stakeholder.materiality_reason
    revision = Revision.objects.get(row_type="stakeholder")
    assert revision.data["relation"] == "invests"


def test_a_picked_effect_brings_its_description(client_for, participant, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    suggestion = SuggestionFactory(
        kind=Suggestion.Kind.EFFECT,
        title="Deelnemers krijgen een vast werkritme",
        category="target_group",
        description="Op tijd komen, een hele dag volhouden, afspraken nakomen.",
    )
    client_for(participant).post(
        use(worksheet), {"suggestion": suggestion.pk, "stakeholder": stakeholder.pk}
    )
    effect = Effect.objects.get(worksheet=worksheet)
    assert effect.description == (
        "Deelnemers krijgen een vast werkritme. "
        "Op tijd komen, een hele dag volhouden, afspraken nakomen."
    )
    assert effect.is_positive and effect.is_intended


def test_a_picked_negative_effect_arrives_as_a_negative_side_effect(
    client_for, participant, worksheet, starter_kit
):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    suggestion = Suggestion.objects.get(title="Negatief: afhankelijkheid van subsidie")
    client_for(participant).post(
        use(worksheet), {"suggestion": suggestion.pk, "stakeholder": stakeholder.pk}
    )
    effect = Effect.objects.get(worksheet=worksheet)
    assert effect.description == (
        "Afhankelijkheid van subsidie. Als de subsidie stopt, verdwijnen ook de werkleerplekken."
    )
    assert not effect.is_positive
    assert not effect.is_intended


@pytest.mark.parametrize(
    ("kind", "step", "parent"),
    [("stakeholder", 2, None), ("effect", 4, "stakeholder"), ("indicator", 5, "effect")],
)
def test_picking_a_suggestion_puts_its_step_in_progress(
    client_for, participant, worksheet, kind, step, parent
):
    effect = EffectFactory(worksheet=worksheet)
    targets = {"stakeholder": effect.stakeholder.pk, "effect": effect.pk}
    suggestion = SuggestionFactory(kind=kind, category="target_group", description="Uitleg.")
    data = {"suggestion": suggestion.pk}
    if parent:
        data[parent] = targets[parent]
    assert client_for(participant).post(use(worksheet), data).status_code == 302
    review = StepReview.objects.get(worksheet=worksheet, step=step)
    assert review.state == StepReview.State.DRAFT


def test_a_coordinators_stakeholder_suggestion_needs_a_relation(client_for, coordinator):
    data = {
        "kind": "stakeholder",
        "theme": "general",
        "title": "Buren",
        "category": "partners",
        "source": "SVI-principes",
    }
    client = client_for(coordinator)
    response = client.post(reverse("impact:suggestion_create"), data)
    assert "relation" in response.context["form"].errors
    response = client.post(reverse("impact:suggestion_create"), {**data, "relation": "both"})
    assert response.status_code == 302
    assert Suggestion.objects.get(title="Buren").relation == "both"


@pytest.mark.django_db(transaction=True)
def test_an_existing_starter_kit_learns_the_relations_and_signs():
    """The migration fills in the new fields of a kit loaded before they existed."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("impact", "0002_stepreview_note")]
    after = [("impact", "0003_suggestion_relation_and_sign")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("impact", "Suggestion")
    old.objects.create(kind="stakeholder", title="Inwoners die spullen brengen", source="x")
    old.objects.create(kind="stakeholder", title="Eigen idee", source="x")
    old.objects.create(
        kind="effect",
        title="Negatief: verdringing van reguliere bedrijven",
        description="Lokale winkels of horeca kunnen omzet verliezen. Benoem het en schat de "
        "omvang.",
        source="x",
    )
    old.objects.create(
        kind="effect",
        title="Negatief: een deelnemer haakt af door te hoge werkdruk",
        description="Zoals onze coördinator het schreef.",
        source="x",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {s.title: s for s in Suggestion.objects.all()}
    assert rows["Inwoners die spullen brengen"].relation == "invests"
    assert rows["Eigen idee"].relation == ""  # not from the kit: the coordinator chooses
    displacement = rows["Negatief: verdringing van reguliere bedrijven"]
    assert not displacement.is_positive
    assert displacement.description.startswith("Lokale winkels of horeca verliezen omzet")
    dropout = rows["Negatief: een deelnemer haakt af door te hoge werkdruk"]
    assert dropout.description == "Zoals onze coördinator het schreef."  # edits stay


def test_the_kits_dropout_indicator_counts_down(starter_kit):
    directions = dict(
        Suggestion.objects.filter(kind=Suggestion.Kind.INDICATOR).values_list("title", "direction")
    )
    assert directions["Voortijdige uitval van deelnemers"] == Indicator.Direction.DECREASE
    outflow = directions["Uitstroom naar betaald werk binnen 12 maanden"]
    assert outflow == Indicator.Direction.INCREASE


def test_a_picked_dropout_indicator_is_lower_is_better(client_for, participant, worksheet):
    effect = EffectFactory(worksheet=worksheet)
    suggestion = SuggestionFactory(
        kind=Suggestion.Kind.INDICATOR,
        title="Voortijdige uitval van deelnemers",
        category="",
        unit="%",
        direction=Indicator.Direction.DECREASE,
    )
    client_for(participant).post(use(worksheet), {"suggestion": suggestion.pk, "effect": effect.pk})
    assert Indicator.objects.get(effect=effect).direction == Indicator.Direction.DECREASE


def test_a_coordinators_stakeholder_suggestion_keeps_no_indicator_direction(
    client_for, coordinator
):
    response = client_for(coordinator).post(
        reverse("impact:suggestion_create"),
        {
            "kind": "stakeholder",
            "theme": "general",
            "title": "Buurtvereniging",
            "category": "partners",
            "relation": "experiences",
            "direction": "decrease",
            "source": "eigen praktijk",
        },
    )
    assert response.status_code == 302
    assert Suggestion.objects.get(title="Buurtvereniging").direction == "increase"


@pytest.mark.django_db(transaction=True)
def test_an_existing_starter_kit_learns_the_dropout_direction():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("impact", "0003_suggestion_relation_and_sign")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("impact", "Suggestion")
    old.objects.create(kind="indicator", title="Voortijdige uitval van deelnemers", source="x")
    old.objects.create(kind="indicator", title="Aanwezigheid van deelnemers", source="x")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    directions = dict(Suggestion.objects.values_list("title", "direction"))
    assert directions["Voortijdige uitval van deelnemers"] == "decrease"
    assert directions["Aanwezigheid van deelnemers"] == "increase"


@pytest.mark.parametrize(
    ("kind", "step", "parent"),
    [("stakeholder", 2, None), ("effect", 4, "stakeholder"), ("indicator", 5, "effect")],
)
def test_a_pick_moves_a_not_started_step_to_draft_as_a_row_added_by_hand_does(
    client_for, participant, worksheet, kind, step, parent
):
    # The step has a review row that says "not started": the pick must move it on, the way
    # a row added in the editor does (the pick goes through the same ``add_row``).
    StepReviewFactory(worksheet=worksheet, step=step, state=StepReview.State.NOT_STARTED)
    effect = EffectFactory(worksheet=worksheet)
    IndicatorFactory(effect=effect)
    # Another effect's indicators are another list: they do not count for the position.
    other = EffectFactory(worksheet=worksheet, stakeholder=effect.stakeholder)
    IndicatorFactory(effect=other, position=4)
    targets = {"stakeholder": effect.stakeholder.pk, "effect": effect.pk}
    suggestion = SuggestionFactory(kind=kind, category="target_group", description="Uitleg.")
    data = {"suggestion": suggestion.pk, **({parent: targets[parent]} if parent else {})}
    assert client_for(participant).post(use(worksheet), data).status_code == 302
    review = StepReview.objects.get(worksheet=worksheet, step=step)
    assert review.state == StepReview.State.DRAFT
    revision = Revision.objects.get(worksheet=worksheet, row_type=kind)
    assert (revision.step, revision.action, revision.author) == (
        step,
        Revision.Action.CREATE,
        participant,
    )
    # Like a row added by hand, the pick lands at the end of its list.
    model = {"stakeholder": Stakeholder, "effect": Effect, "indicator": Indicator}[kind]
    picked = model.objects.get(pk=revision.row_id)
    assert (picked.position, picked.version) == (1, 1)
