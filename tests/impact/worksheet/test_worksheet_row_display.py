"""Rows read as text until someone edits them; a row's form opens on request.

With htmx the "Edit" link swaps in the row's form and "Save and close" swaps the text back;
without JavaScript the same links open the step page with that one form
(``?bewerken=<type>-<id>``, and ``?toevoegen=<type>-<parent>`` for an add form of sub-rows).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from impact.models import Stakeholder
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
HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


def step_url(worksheet, step, **query):
    url = reverse("impact:worksheet_step", args=[worksheet.pk, step])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def field_name(row_type, obj, name):
    return f'name="{row_type}-{obj.pk}-{name}"'


def test_step_page_shows_rows_as_text_with_an_edit_link(client, worksheet):
    jobcoach = StakeholderFactory(worksheet=worksheet, name="Jobcoaches", group_size=4)
    gemeente = StakeholderFactory(worksheet=worksheet, name="Gemeente <Zwolle>")
    page = client.get(step_url(worksheet, 2)).text
    assert field_name("stakeholder", jobcoach, "name") not in page
    assert field_name("stakeholder", gemeente, "name") not in page
    assert '<p class="ws-view-title">Jobcoaches</p>' in page
    assert escape("Gemeente <Zwolle>") in page
    assert f"?bewerken=stakeholder-{jobcoach.pk}#row-stakeholder-{jobcoach.pk}" in page
    for name, *extra in [("edit",), ("delete",), ("history",), ("move", "up"), ("move", "down")]:
        assert row_url(name, worksheet, "stakeholder", jobcoach.pk, *extra) in page
    # The add form loads when asked for; an empty list shows it straight away.
    assert 'name="new-stakeholder-name"' not in page
    assert "?toevoegen=stakeholder#list-stakeholder" in page
    page = client.get(step_url(worksheet, 3)).text
    assert 'name="new-activity-title"' in page


def test_edit_link_without_javascript_opens_only_that_row(client, worksheet):
    first = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    second = StakeholderFactory(worksheet=worksheet, name="Vrijwilligers")
    page = client.get(step_url(worksheet, 2, bewerken=f"stakeholder-{second.pk}")).text
    assert field_name("stakeholder", second, "name") in page
    assert 'value="Vrijwilligers"' in page
    assert field_name("stakeholder", first, "name") not in page


@pytest.mark.parametrize(
    "wanted",
    [
        "",
        "stakeholder",
        "stakeholder-",
        "stakeholder-abc",
        "stakeholder-²",
        "nothing-1",
        "-1",
        "stakeholder-" + "9" * 5000,
    ],
)
def test_a_bad_edit_request_opens_nothing_and_answers_the_page(client, worksheet, wanted):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    response = client.get(step_url(worksheet, 2, bewerken=wanted, toevoegen=wanted))
    assert response.status_code == 200
    assert field_name("stakeholder", stakeholder, "name") not in response.text


def test_edit_request_for_a_row_of_another_worksheet_opens_nothing(
    client, worksheet, fellow_organisation, cohort
):
    foreign = StakeholderFactory(
        worksheet=worksheet_of(fellow_organisation, cohort), name="Van een ander"
    )
    response = client.get(step_url(worksheet, 2, bewerken=f"stakeholder-{foreign.pk}"))
    assert response.status_code == 200
    assert "Van een ander" not in response.text


def test_htmx_edit_swaps_in_the_form_and_show_swaps_back_the_text(client, worksheet):
    effect = EffectFactory(worksheet=worksheet, description="Meer zelfvertrouwen")
    form = client.get(row_url("edit", worksheet, "effect", effect.pk), headers=HTMX)
    assert form.status_code == 200
    assert field_name("effect", effect, "description") in form.text
    assert 'data-focus="form"' in form.text
    assert "<html" not in form.text
    text = client.get(row_url("update", worksheet, "effect", effect.pk), headers=HTMX)
    assert text.status_code == 200
    assert field_name("effect", effect, "description") not in text.text
    assert "Meer zelfvertrouwen" in text.text
    assert 'data-focus="edit"' in text.text


def test_edit_and_show_without_htmx_lead_to_the_step_page(client, worksheet):
    effect = EffectFactory(worksheet=worksheet)
    response = client.get(row_url("edit", worksheet, "effect", effect.pk))
    assert response.status_code == 302
    assert response["Location"] == step_url(worksheet, 4, bewerken=f"effect-{effect.pk}") + (
        f"#row-effect-{effect.pk}"
    )
    response = client.get(row_url("update", worksheet, "effect", effect.pk))
    assert response["Location"] == step_url(worksheet, 4) + f"#row-effect-{effect.pk}"


def test_save_keeps_the_form_open_and_save_and_close_shows_the_text(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    url = row_url("update", worksheet, "stakeholder", stakeholder.pk)
    response = client.post(url, update_data("stakeholder", stakeholder, STAKEHOLDER))
    anchor = f"#row-stakeholder-{stakeholder.pk}"
    assert response["Location"] == step_url(
        worksheet, 2, bewerken=f"stakeholder-{stakeholder.pk}"
    ) + (anchor)
    stakeholder.refresh_from_db()
    data = {**update_data("stakeholder", stakeholder, STAKEHOLDER), "done": "1"}
    response = client.post(url, data)
    assert response["Location"] == step_url(worksheet, 2) + anchor
    stakeholder.refresh_from_db()
    data = update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Begeleiders"})
    response = client.post(url, {**data, "done": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert field_name("stakeholder", stakeholder, "name") not in response.text
    assert "Begeleiders" in response.text


def test_a_new_row_comes_back_with_its_form_open(client, worksheet):
    response = client.post(
        create_url(worksheet, "stakeholder"),
        new_data("stakeholder", STAKEHOLDER),
        headers=HTMX,
    )
    new = Stakeholder.objects.get(worksheet=worksheet)
    assert response.status_code == 200
    assert field_name("stakeholder", new, "materiality_reason") in response.text
    # The keyboard goes on in the new row's form.
    assert f'id="row-stakeholder-{new.pk}" data-focus="form"' in response.text
    response = client.post(
        create_url(worksheet, "stakeholder"),
        new_data("stakeholder", {**STAKEHOLDER, "name": "Tweede"}),
    )
    second = Stakeholder.objects.get(worksheet=worksheet, name="Tweede")
    assert response["Location"].endswith(
        f"?bewerken=stakeholder-{second.pk}#row-stakeholder-{second.pk}"
    )


def test_add_forms_of_sub_rows_load_on_request(client, worksheet):
    activity = ActivityFactory(worksheet=worksheet, title="Koken in Deksels")
    page = client.get(step_url(worksheet, 3)).text
    assert f'name="new-output-{activity.pk}-description"' not in page
    assert f"?toevoegen=output-{activity.pk}#list-output-{activity.pk}" in page
    page = client.get(step_url(worksheet, 3, toevoegen=f"output-{activity.pk}")).text
    assert f'name="new-output-{activity.pk}-description"' in page
    fragment = client.get(create_url(worksheet, "output", activity), headers=HTMX)
    assert fragment.status_code == 200
    assert f'name="new-output-{activity.pk}-description"' in fragment.text
    assert 'data-focus="add"' in fragment.text
    response = client.get(create_url(worksheet, "output", activity))
    assert response["Location"].endswith(
        f"?toevoegen=output-{activity.pk}#list-output-{activity.pk}"
    )


def test_readers_see_the_text_without_edit_links_and_may_not_open_a_form(
    client_for, trainer, worksheet
):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    client = client_for(trainer)
    page = client.get(step_url(worksheet, 2, bewerken=f"stakeholder-{stakeholder.pk}")).text
    assert "Jobcoaches" in page
    assert field_name("stakeholder", stakeholder, "name") not in page
    assert row_url("edit", worksheet, "stakeholder", stakeholder.pk) not in page
    assert 'name="new-stakeholder-name"' not in page
    response = client.get(row_url("edit", worksheet, "stakeholder", stakeholder.pk), headers=HTMX)
    assert response.status_code == 403


def test_text_shows_choices_numbers_dates_and_linked_rows_as_people_read_them(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Deelnemers")
    activity = ActivityFactory(worksheet=worksheet, title="Werken in de keuken")
    activity.stakeholders.add(stakeholder)
    effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholder, is_positive=False)
    effect.activities.add(activity)
    indicator = IndicatorFactory(effect=effect, baseline=Decimal("5.20"), target=Decimal("7"))
    ResultFactory(indicator=indicator, period="Voorjaar", measured_on=dt.date(2026, 3, 1))
    step3 = client.get(step_url(worksheet, 3)).text
    assert "<dd>Deelnemers</dd>" in step3
    step4 = client.get(step_url(worksheet, 4)).text
    assert "<dd>Werken in de keuken</dd>" in step4
    assert "<dd>nee</dd>" in step4  # not positive, in Dutch
    step5 = client.get(step_url(worksheet, 5)).text
    assert "<dd>5,2</dd>" in step5
    assert "<dd>7</dd>" in step5
    assert "<dd>1 maart 2026</dd>" in step5


def test_empty_fields_are_named_once_instead_of_shown(client, worksheet):
    StakeholderFactory(worksheet=worksheet, name="Buren", group_size=None, materiality_reason="")
    page = client.get(step_url(worksheet, 2)).text
    missing = page.split('class="ws-view-missing', 1)[1].split("</p>", 1)[0]
    assert "Groepsgrootte" in missing


def test_labels_follow_the_reader_language(client, worksheet, settings):
    StakeholderFactory(worksheet=worksheet, name="Buren", group_size=None)
    url = step_url(worksheet, 2)
    assert "Groepsgrootte" in client.get(url).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).text
    assert "Group size" in english
    assert "Groepsgrootte" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Groepsgrootte" in client.get(url).text


def test_money_keeps_its_cents(client, worksheet):
    ActivityFactory(worksheet=worksheet, input_money=Decimal("85000"))
    assert "<dd>85.000,00</dd>" in client.get(step_url(worksheet, 3)).text


def test_a_form_with_errors_or_a_conflict_is_marked_unsaved(client, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    url = row_url("update", worksheet, "stakeholder", stakeholder.pk)
    bad = update_data("stakeholder", stakeholder, {**STAKEHOLDER, "group_size": "twaalf"})
    response = client.post(url, bad, headers=HTMX)
    assert response.status_code == 422
    assert "data-unsaved" in response.text
    stale = update_data("stakeholder", stakeholder, STAKEHOLDER, version=stakeholder.version)
    client.post(url, update_data("stakeholder", stakeholder, STAKEHOLDER))
    response = client.post(url, stale, headers=HTMX)
    assert response.status_code == 409
    assert "data-unsaved" in response.text
    assert (
        "data-unsaved"
        not in client.get(
            row_url("edit", worksheet, "stakeholder", stakeholder.pk), headers=HTMX
        ).text
    )
