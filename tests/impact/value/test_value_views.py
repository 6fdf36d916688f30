"""The value step through HTTP: opt-in, saving figures the Dutch way, refusing bad input,
warnings, approval, the ronde-wide switch, and the query count of the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from impact.models import EffectValuation, ValueStep
from tests.factories import (
    EffectFactory,
    EffectValuationFactory,
    IndicatorFactory,
    ResultFactory,
    StakeholderFactory,
    ValueProxyFactory,
    ValueStepFactory,
)
from tests.impact.worksheet_helpers import worksheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def worksheet(organisation, cohort):
    return worksheet_of(organisation, cohort)


def _url(name: str, worksheet, *args) -> str:
    return reverse(f"impact:{name}", args=[worksheet.pk, *args])


def _effect_data(effect, **values) -> dict:
    data = {
        "quantity": "10",
        "duration": "3",
        "proxy": "",
        "proxy_description": "Een jaar minder bijstand",
        "proxy_amount": "€ 16.140,00",
        "proxy_unit": "persoon per jaar",
        "proxy_year": "2025",
        "proxy_currency": "EUR",
        "proxy_source": "Rijksoverheid, normbedragen 2025",
        "deadweight_choice": "25",
        "deadweight": "",
        "deadweight_reason": "Sommigen hadden zelf werk gevonden",
        "displacement_choice": "0",
        "displacement": "",
        "displacement_reason": "",
        "attribution_choice": "",
        "attribution": "12,5",
        "attribution_reason": "Het UWV helpt ook",
        "drop_off_choice": "50",
        "drop_off": "",
        "drop_off_reason": "",
        "beneficiary": "municipality",
        "is_transfer": "on",
        "version": "",
    } | values
    return {f"effect-{effect.pk}-{key}": value for key, value in data.items()}


def test_the_step_is_off_by_default_and_a_beginner_sees_no_euros(
    client_for, participant, worksheet
):
    EffectFactory(worksheet=worksheet)
    response = client_for(participant).get(_url("value_step", worksheet))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waardestap aanzetten" in html
    assert "Contante waarde" not in html
    assert not ValueStep.objects.exists()  # looking stores nothing


def test_participant_switches_the_step_on_and_off(client_for, participant, worksheet):
    client = client_for(participant)
    response = client.post(_url("value_switch", worksheet), {"enabled": "on"})
    assert response.status_code == 302
    assert ValueStep.objects.get(worksheet=worksheet).is_enabled
    client.post(_url("value_switch", worksheet), {})
    assert not ValueStep.objects.get(worksheet=worksheet).is_enabled


def test_trainer_switches_the_step_on_for_the_whole_ronde(
    client_for, trainer, cohort, worksheet, fellow_organisation
):
    other = worksheet_of(fellow_organisation, cohort)
    response = client_for(trainer).post(reverse("impact:cohort_value_switch", args=[cohort.pk]))
    assert response.status_code == 302
    assert set(ValueStep.objects.filter(is_enabled=True).values_list("worksheet", flat=True)) == {
        worksheet.pk,
        other.pk,
    }


def _menu_offers_value(client, worksheet, step: int = 1) -> bool:
    page = client.get(_url("worksheet_step", worksheet, step)).content.decode()
    return 'class="ws-step-value"' in page


def test_the_step_menu_shows_the_value_step_only_once_it_is_switched_on(
    settings, client_for, participant, trainer, worksheet
):
    settings.IMPACTLAB_PAGE_CACHE = True  # the menu is part of the cached region
    client = client_for(participant)
    assert not _menu_offers_value(client, worksheet)
    overview = client.get(worksheet.get_absolute_url()).content.decode()
    assert "Voor gevorderden: wat zijn jullie effecten waard in euro" in overview
    assert _url("value_step", worksheet) in overview
    client.post(_url("value_switch", worksheet), {"enabled": "on"})
    assert _menu_offers_value(client, worksheet)
    assert "Voor gevorderden" not in client.get(worksheet.get_absolute_url()).content.decode()
    client.post(_url("value_switch", worksheet), {})
    assert not _menu_offers_value(client, worksheet)
    # The ronde-wide switch reaches the cached menus too.
    client_for(trainer).post(reverse("impact:cohort_value_switch", args=[worksheet.cohort.pk]))
    assert _menu_offers_value(client, worksheet)
    # Those who only read the worksheet are not offered to switch it on.
    ValueStep.objects.update(is_enabled=False)
    assert (
        "Voor gevorderden"
        not in client_for(trainer).get(worksheet.get_absolute_url()).content.decode()
    )


def test_saving_an_effect_value_typed_the_dutch_way(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet, description="Deelnemers vinden betaald werk")
    response = client_for(participant).post(
        _url("value_effect", worksheet, effect.pk), _effect_data(effect)
    )
    assert response.status_code == 302
    valuation = EffectValuation.objects.get(effect=effect)
    assert valuation.proxy_amount == Decimal("16140.00")
    assert valuation.deadweight == 25
    assert valuation.attribution == Decimal("12.5")
    assert valuation.drop_off == 50
    assert valuation.is_transfer


def test_the_page_writes_out_the_calculation(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet, input_money=Decimal(10000))
    effect = EffectFactory(worksheet=worksheet)
    EffectValuationFactory(effect=effect, quantity=10, proxy_amount=1000, duration=1, drop_off=0)
    html = client_for(participant).get(_url("value_step", worksheet)).content.decode()
    # 10 × € 1.000 × 75 % × 100 % × 75 % = € 5.625,00; / 1,0225 = € 5.501,22
    assert "€ 5.625,00" in html
    assert "€ 5.501,22" in html
    assert "indicatief" in html
    assert "Waarom dit getal" in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("proxy_amount", "-5", "minstens 0"),
        ("attribution", "150", "hoogstens 100"),
        ("quantity", "1.000.000.000", "hoogstens"),
        ("proxy_amount", "veel", "Vul een bedrag in euro in"),
        ("duration", "0", "minstens 1"),
        ("proxy_year", "1850", "1990"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client_for, participant, worksheet, field, value, message
):
    ValueStepFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet)
    response = client_for(participant).post(
        _url("value_effect", worksheet, effect.pk), _effect_data(effect, **{field: value})
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not EffectValuation.objects.exists()


def test_hostile_text_is_escaped(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet)
    client = client_for(participant)
    client.post(
        _url("value_effect", worksheet, effect.pk),
        _effect_data(effect, proxy_source="<script>alert(1)</script>"),
    )
    html = client.get(_url("value_step", worksheet)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_effect_of_another_worksheet_is_not_found(
    client_for, participant, worksheet, other_organisation, other_cohort
):
    ValueStepFactory(worksheet=worksheet)
    foreign = EffectFactory(worksheet=worksheet_of(other_organisation, other_cohort))
    response = client_for(participant).post(
        _url("value_effect", worksheet, foreign.pk), _effect_data(foreign)
    )
    assert response.status_code == 404


def test_warnings_change_as_assumptions_are_filled(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet)
    stakeholder = StakeholderFactory(worksheet=worksheet, group_size=5)
    effect = EffectFactory(worksheet=worksheet, stakeholder=stakeholder)
    client = client_for(participant)
    client.post(
        _url("value_effect", worksheet, effect.pk),
        _effect_data(
            effect,
            deadweight_choice="0",
            attribution="",
            attribution_choice="0",
            proxy_source="",
            duration="8",
            drop_off_choice="0",
        ),
    )
    html = client.get(_url("value_step", worksheet)).content.decode()
    for code in (
        "deadweight_zero",
        "attribution_zero",
        "proxy_without_source",
        "quantity_above_group",
        "long_without_drop_off",
        "no_indicator",
    ):
        assert f'data-code="{code}"' in html, code
    valuation = EffectValuation.objects.get(effect=effect)
    IndicatorFactory(effect=effect)
    client.post(
        _url("value_effect", worksheet, effect.pk),
        _effect_data(effect, quantity="4", version=str(valuation.version)),
    )
    html = client.get(_url("value_step", worksheet)).content.decode()
    for code in ("deadweight_zero", "proxy_without_source", "quantity_above_group", "no_indicator"):
        assert f'data-code="{code}"' not in html, code
    assert 'data-code="no_result"' in html


def test_quantity_comes_from_the_latest_result_when_not_typed(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet)
    indicator = IndicatorFactory(effect=effect, name="Aantal mensen met betaald werk")
    ResultFactory(indicator=indicator, value=7, period="2025")
    EffectValuationFactory(effect=effect, quantity=None)
    html = client_for(participant).get(_url("value_step", worksheet)).content.decode()
    assert "uit het resultaat “2025” van “Aantal mensen met betaald werk”" in html


def test_a_library_proxy_fills_in_the_figures_and_its_source(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet)
    proxy = ValueProxyFactory()
    effect = EffectFactory(worksheet=worksheet)
    data = _effect_data(
        effect, proxy=str(proxy.pk), proxy_amount="", proxy_description="", is_transfer=""
    )
    client_for(participant).post(_url("value_effect", worksheet, effect.pk), data)
    valuation = EffectValuation.objects.get(effect=effect)
    assert valuation.proxy == proxy
    assert valuation.proxy_amount == proxy.amount
    assert valuation.proxy_source == proxy.source
    assert valuation.is_transfer


def test_trainer_approves_and_a_later_save_makes_it_indicative_again(
    client_for, trainer, participant, worksheet
):
    value_step = ValueStepFactory(worksheet=worksheet)
    effect = EffectFactory(worksheet=worksheet)
    response = client_for(trainer).post(_url("value_review", worksheet, "approve"))
    assert response.status_code == 302
    value_step.refresh_from_db()
    assert value_step.approved_by == trainer
    client_for(participant).post(_url("value_effect", worksheet, effect.pk), _effect_data(effect))
    value_step.refresh_from_db()
    assert not value_step.is_approved


def test_participant_may_not_approve(client_for, participant, worksheet):
    ValueStepFactory(worksheet=worksheet)
    response = client_for(participant).post(_url("value_review", worksheet, "approve"))
    assert response.status_code == 403


def test_settings_take_the_dutch_rate_or_a_typed_one_with_its_source(
    client_for, participant, worksheet
):
    value_step = ValueStepFactory(worksheet=worksheet)
    client = client_for(participant)
    data = {
        "input_money": "€ 40.000",
        "input_in_kind": "35.000,50",
        "inputs_note": "",
        "rate_choice": "green_book",
        "discount_rate": "",
        "discount_rate_source": "",
        "perspective": "society",
        "version": value_step.version,
    }
    assert client.post(_url("value_settings", worksheet), data).status_code == 302
    value_step.refresh_from_db()
    assert value_step.inputs == Decimal("75000.50")
    assert value_step.discount_rate == Decimal("3.5")
    assert "Green Book" in value_step.discount_rate_source
    data |= {"rate_choice": "own", "discount_rate": "4", "version": value_step.version}
    response = client.post(_url("value_settings", worksheet), data)
    assert response.status_code == 422
    assert "Zeg waar dit percentage vandaan komt" in response.content.decode()


def test_page_query_count_does_not_grow_with_effects(
    client_for, participant, worksheet, django_assert_max_num_queries
):
    ValueStepFactory(worksheet=worksheet)
    ValueProxyFactory()
    client = client_for(participant)

    def add(count: int) -> None:
        for _ in range(count):
            effect = EffectFactory(worksheet=worksheet)
            ResultFactory(indicator=IndicatorFactory(effect=effect))
            EffectValuationFactory(effect=effect)

    add(2)
    # session, person, worksheet, editor right, reviewer right (none for participants),
    # value step, the steps' states, effects with stakeholder and valuation, indicators,
    # results, the proxies of the forms, and the messages/session bookkeeping.
    with django_assert_max_num_queries(12):
        assert client.get(_url("value_step", worksheet)).status_code == 200
    add(6)
    with django_assert_max_num_queries(12):
        assert client.get(_url("value_step", worksheet)).status_code == 200


def test_the_page_names_the_biggest_assumptions_as_the_report_does(
    client_for, participant, worksheet
):
    ValueStepFactory(worksheet=worksheet, input_money=Decimal(10000))
    effect = EffectFactory(worksheet=worksheet, description="Meer zelfvertrouwen")
    EffectValuationFactory(effect=effect, quantity=10, proxy_amount=1000, duration=1, drop_off=0)
    html = client_for(participant).get(_url("value_step", worksheet)).content.decode()
    why = html[html.index("Waarom dit getal") : html.index("Alle aannames")]
    # quantity, proxy and duration move the result most (see test_value_reports)
    assert "<li>Meer zelfvertrouwen: aantal 10, financiële proxy € 1.000,00, duur 1 jaar</li>" in (
        why
    )
