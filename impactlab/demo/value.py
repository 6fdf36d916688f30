"""Restaurant Deksels' value step: switched on, three effects valued, approved by Tom.

Every figure is fictional except the library proxies, which carry their real sources.
Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from impact.models import Beneficiary, Effect, EffectValuation, ValueProxy, ValueStep, Worksheet
from organisations.models import User


def seed_value_step(worksheet: Worksheet, effects: dict[str, Effect], trainer: User) -> int:
    """Give the worksheet a complete value step; returns how many rows it created."""
    value_step, made = ValueStep.objects.get_or_create(
        worksheet=worksheet,
        defaults={
            "is_enabled": True,
            "input_money": Decimal("85000"),
            "input_in_kind": Decimal("5300"),
            "inputs_note": (
                "Loon van de jobcoaches (€ 85.000) en vier taalmaatjes: 4 × 2 uur × 46 weken "
                "× € 14,40 (minimumuurloon) ≈ € 5.300. Fictief."
            ),
            "approved_by": trainer,
            "approved_at": timezone.now(),
        },
    )
    created = int(made)
    work = ValueProxy.objects.filter(title__startswith="Jaar betaald werk").first()
    rows = [
        (
            "doorstroom",
            {
                "quantity": Decimal(3),
                "duration": 3,
                "proxy": work,
                "proxy_description": work.title if work else "Jaar betaald werk",
                "proxy_amount": Decimal("15780.96"),  # 60 % of a full-time year
                "proxy_unit": "persoon per jaar (3 dagen per week)",
                "proxy_year": work.year if work else 2025,
                "proxy_source": (work.source if work else "SZW") + "; 60 % van voltijds",
                "deadweight": Decimal(25),
                "deadweight_reason": "Door de krapte had een kwart ook zonder ons werk gevonden.",
                "displacement": Decimal(0),
                "displacement_reason": "Openstaande vacatures in de horeca; niemand verdrongen.",
                "attribution": Decimal(25),
                "attribution_reason": "Het ROC en het UWV helpen ook.",
                "drop_off": Decimal(25),
                "drop_off_reason": "Niet iedereen houdt de baan vast.",
                "beneficiary": Beneficiary.TARGET_GROUP,
            },
        ),
        (
            "vakmanschap",
            {
                # No quantity typed: the page takes the latest result (8 verklaringen).
                "quantity": None,
                "duration": 2,
                "proxy_description": "Prijs van een praktijkleerroute horeca bij het ROC",
                "proxy_amount": Decimal("1200"),
                "proxy_unit": "praktijkverklaring",
                "proxy_year": 2025,
                "proxy_source": "Offerte ROC Zwolle 2025 (fictief, demogegevens)",
                "deadweight": Decimal(25),
                "deadweight_reason": "Een deel had de route ook via het ROC gevolgd.",
                "attribution": Decimal(50),
                "attribution_reason": "Het ROC examineert en begeleidt de helft.",
                "drop_off": Decimal(50),
                "drop_off_reason": "De waarde van de verklaring neemt snel af zonder werk.",
                "beneficiary": Beneficiary.TARGET_GROUP,
            },
        ),
        (
            "uitval",
            {
                "quantity": Decimal(2),
                "duration": 1,
                "proxy_description": "Kosten van een nieuw traject (intake en begeleiding)",
                "proxy_amount": Decimal("1500"),
                "proxy_unit": "gestopte deelnemer",
                "proxy_year": 2025,
                "proxy_source": "Eigen administratie Kringloop Zwolle (fictief, demogegevens)",
                "deadweight": Decimal(0),
                "deadweight_reason": "Zonder de drukke zomer waren ze gebleven (exitgesprekken).",
                "attribution": Decimal(0),
                "attribution_reason": "Het rooster is onze eigen keuze.",
                "beneficiary": Beneficiary.ORGANISATION,
            },
        ),
    ]
    for key, values in rows:
        _valuation, made = EffectValuation.objects.get_or_create(
            effect=effects[key], defaults=values
        )
        created += made
    if created and not value_step.approved_at:
        ValueStep.objects.filter(pk=value_step.pk).update(
            approved_by=trainer, approved_at=timezone.now()
        )
    return created
