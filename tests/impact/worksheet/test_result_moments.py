"""A result typed in by hand can name one of the worksheet's measurement moments: only its
own, a forged id of another worksheet's is refused on every way of saving, the moment names
an empty period, and such results count in the change from begin to end like the ones a
questionnaire made."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from impact.models import MeasurementMoment, Result, Revision
from tests.factories import EffectFactory, IndicatorFactory, ResultFactory, SessionFactory
from tests.impact.reports.test_pdf import flat, pdf_text
from tests.impact.worksheet.test_worksheet_queries import MAX_QUERIES, fill
from tests.impact.worksheet_helpers import (
    create_url,
    new_data,
    row_url,
    update_data,
    worksheet_of,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
REFUSED = "Kies een van de meetmomenten van dit werkblad."


def moment(worksheet, name: str, month: int) -> MeasurementMoment:
    return MeasurementMoment.objects.create(
        worksheet=worksheet,
        name=name,
        starts_on=dt.date(2026, month, 1),
        ends_on=dt.date(2026, month, 28),
    )


@pytest.fixture
def client(client_for, participant):
    return client_for(participant)


@pytest.fixture
def indicator(worksheet):
    effect = EffectFactory(worksheet=worksheet, description="Deelnemers krijgen zelfvertrouwen")
    return IndicatorFactory(effect=effect, name="Zelfvertrouwen", baseline=2, target=4)


@pytest.fixture
def begin(worksheet):
    return moment(worksheet, "Voormeting maart", 3)


@pytest.fixture
def end(worksheet, begin):
    return moment(worksheet, "Nameting september", 9)


@pytest.fixture
def foreign(fellow_organisation, cohort):
    """A measurement moment of another organisation's worksheet."""
    return moment(worksheet_of(fellow_organisation, cohort), "Meting van de buren", 5)


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def add_result(client, worksheet, indicator, **fields):
    data = {"period": "", "value": "3", **fields}
    return client.post(
        create_url(worksheet, "result", indicator), new_data("result", data, indicator)
    )


def test_the_form_offers_only_this_worksheets_moments(
    client, worksheet, indicator, begin, end, foreign
):
    response = client.get(
        reverse("impact:worksheet_step", args=[worksheet.pk, 5]),
        {"toevoegen": f"result-{indicator.pk}"},
    )
    form = response.context["effect_groups"][0].list.rows[0].children.new_form
    offered = [label for _value, label in form.fields["moment"].choices]
    assert offered == ["geen: de periode is alleen tekst", "Voormeting maart", "Nameting september"]
    assert f'name="new-result-{indicator.pk}-moment"' in response.text
    assert "Meting van de buren" not in response.text


def test_a_moment_names_an_empty_period(client, worksheet, indicator, begin):
    response = add_result(client, worksheet, indicator, moment=begin.pk)
    assert response.status_code == 302
    result = Result.objects.get()
    assert (result.moment, result.period) == (begin, "Voormeting maart")
    # A period that was typed stays as typed.
    add_result(client, worksheet, indicator, moment=begin.pk, period="maart, groep 2")
    assert Result.objects.order_by("pk").last().period == "maart, groep 2"


def test_a_result_needs_a_period_or_a_moment(client, worksheet, indicator):
    response = add_result(client, worksheet, indicator)
    assert response.status_code == 422
    assert "Typ de periode, of kies een meetmoment." in page_text(response)
    assert not Result.objects.exists()


def test_another_worksheets_moment_is_refused_when_adding(client, worksheet, indicator, foreign):
    # The step page without JavaScript.
    response = add_result(client, worksheet, indicator, moment=foreign.pk, period="mei")
    assert response.status_code == 422
    assert REFUSED in page_text(response)
    # The same form added in place (htmx): the list with its form and the message.
    response = client.post(
        create_url(worksheet, "result", indicator),
        new_data("result", {"period": "mei", "value": "3", "moment": foreign.pk}, indicator),
        **HTMX,
    )
    assert response.status_code == 422
    assert REFUSED in page_text(response)
    assert not Result.objects.exists()


def test_another_worksheets_moment_is_refused_when_editing(
    client, worksheet, indicator, begin, foreign
):
    result = ResultFactory(indicator=indicator, period="maart", moment=begin, value=3)
    url = row_url("update", worksheet, "result", result.pk)
    data = update_data("result", result, {"period": "maart", "value": "3", "moment": foreign.pk})
    response = client.post(url, data)  # the step page without JavaScript
    assert response.status_code == 422 and REFUSED in page_text(response)
    response = client.post(url, data, **HTMX)  # the row's form in place
    assert response.status_code == 422 and REFUSED in page_text(response)
    response = client.post(url, data, **AUTOSAVE)  # saving while typing
    assert response.status_code == 422
    assert response.json()["errors"] == {f"id_result-{result.pk}-moment": [REFUSED]}
    # A made-up id fails the same way, and nothing changed.
    data[f"result-{result.pk}-moment"] = "987654"
    assert client.post(url, data, **AUTOSAVE).status_code == 422
    result.refresh_from_db()
    assert (result.moment, result.version) == (begin, 1)


def test_choosing_a_moment_while_typing_saves_it(client, worksheet, indicator, begin):
    result = ResultFactory(indicator=indicator, period="voorjaar", value=3)
    response = client.post(
        row_url("update", worksheet, "result", result.pk),
        update_data("result", result, {"period": "voorjaar", "value": "3", "moment": begin.pk}),
        **AUTOSAVE,
    )
    assert response.status_code == 200 and response.json()["status"] == "saved"
    result.refresh_from_db()
    assert (result.moment, result.version) == (begin, 2)


def test_results_typed_in_at_two_moments_show_from_begin_to_end(
    client, worksheet, indicator, begin, end
):
    assert add_result(client, worksheet, indicator, moment=end.pk, value="3,5").status_code == 302
    assert add_result(client, worksheet, indicator, moment=begin.pk, value="2").status_code == 302
    # A result with a period that is only text stays out of the comparison.
    assert add_result(client, worksheet, indicator, period="tussendoor", value="9").status_code
    step_5 = page_text(client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 5])))
    assert (
        "Van begin tot eind: Voormeting maart → Nameting september: 2 → 3,5 (+1,5, beter)" in step_5
    )
    # The row as text names its moment.
    assert "<dt>Meetmoment</dt><dd>Nameting september</dd>" in step_5.replace("> <", "><")
    report = client.get(reverse("impact:worksheet_report_pdf", args=[worksheet.pk]))
    assert report.status_code == 200
    text = flat(pdf_text(report.content))
    assert "Voormeting maart: 2 Nameting september: 3,5 +1,5, beter" in text


def test_the_moment_is_in_the_history_by_its_name(
    client, client_for, trainer, worksheet, cohort, indicator, begin
):
    add_result(client, worksheet, indicator, period="voorjaar")
    result = Result.objects.get()
    # Typed in before the last dagdeel ended; the moment chosen after it.
    Revision.objects.update(created_at=timezone.now() - dt.timedelta(days=5))
    SessionFactory(cohort=cohort, date=timezone.localdate() - dt.timedelta(days=2))
    client.post(
        row_url("update", worksheet, "result", result.pk),
        update_data("result", result, {"period": "voorjaar", "value": "3", "moment": begin.pk}),
    )
    latest = Revision.objects.filter(row_type="result", row_id=result.pk).latest("pk")
    assert latest.data["moment"] == begin.pk
    response = client.get(row_url("history", worksheet, "result", result.pk))
    newest = response.context["revisions"][0]
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("meetmoment", "—", "Voormeting maart")
    ]
    # What changed since the last dagdeel names it too.
    response = client_for(trainer).get(reverse("impact:worksheet_history", args=[worksheet.pk]))
    [change] = [c for c in response.context["changes"] if c.row_type == "result"]
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("meetmoment", "—", "Voormeting maart")
    ]
    # A moment removed later reads as removed rather than as a bare id.
    begin.delete()
    response = client_for(trainer).get(row_url("history", worksheet, "result", result.pk))
    newest = response.context["revisions"][0]
    assert [(c.old, c.new) for c in newest.changes] == [("—", "(verwijderd)")]


@pytest.mark.parametrize("rows", [3, 30])
def test_a_results_form_costs_the_same_for_any_number_of_rows(
    client, worksheet, django_assert_max_num_queries, rows
):
    fill(worksheet, rows)
    result = Result.objects.filter(indicator__effect__worksheet=worksheet).last()
    args = [worksheet.pk, "result", result.pk]
    # Session, user, roles, worksheet, may edit, the row, its moment's choices (1), the
    # row's feedback marker (1).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("impact:row_edit", args=args), headers={"HX-Request": "true"})
    assert f'name="result-{result.pk}-moment"' in response.text
    page = reverse("impact:worksheet_step", args=[worksheet.pk, 5])
    # Step 5 with that form open: plus the worksheet's moments it offers.
    with django_assert_max_num_queries(MAX_QUERIES["participant"][5] + 1):
        response = client.get(page, {"bewerken": f"result-{result.pk}"})
    assert 'name="result-' in response.text and "Nameting</option>" in response.text
