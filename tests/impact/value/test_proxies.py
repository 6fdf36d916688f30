"""The proxy library of the starter kit: loaded with the kit, each with a checkable source,
managed by coordinators only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from impact.models import ValueProxy
from impact.value.proxies import PROXIES

pytestmark = pytest.mark.django_db


def test_the_kit_holds_at_least_twelve_proxies_each_with_amount_year_and_source():
    assert len(PROXIES) >= 12
    for row in PROXIES:
        assert row["amount"] > 0, row["title"]
        assert 2000 <= row["year"] <= 2026, row["title"]
        assert row["source"].strip() and row["source_url"].startswith("https://"), row["title"]
        assert "HACT" not in row["source"]  # licensed UK values stay out


def test_loading_is_idempotent_and_keeps_what_coordinators_changed():
    call_command("load_starter_kit", stdout=None)
    assert ValueProxy.objects.count() == len(PROXIES)
    proxy = ValueProxy.objects.get(title__startswith="Uur vrijwillige inzet")
    proxy.amount = Decimal("20.00")
    proxy.save()
    call_command("load_starter_kit", stdout=None)
    assert ValueProxy.objects.count() == len(PROXIES)
    proxy.refresh_from_db()
    assert proxy.amount == Decimal("20.00")


def test_coordinator_adds_a_proxy_typed_the_dutch_way(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("impact:proxy_create"),
        {
            "title": "Uur vakkracht",
            "description": "Vervangingswaarde van een uur vakwerk",
            "amount": "€ 35,50",
            "currency": "EUR",
            "unit": "uur",
            "year": "2025",
            "source": "Cao Kringloopbedrijven 2025",
            "source_url": "",
            "beneficiary": "organisation",
            "caveat": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ValueProxy.objects.get(title="Uur vakkracht").amount == Decimal("35.50")


def test_participant_sees_active_proxies_but_may_not_edit(client_for, participant):
    call_command("load_starter_kit", stdout=None)
    client = client_for(participant)
    html = client.get(reverse("impact:proxy_list")).content.decode()
    assert "Bijstandsuitkering alleenstaande" in html
    assert "Nieuwe proxy" not in html
    assert client.get(reverse("impact:proxy_create")).status_code == 403
