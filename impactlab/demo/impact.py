"""The starter kit and the worksheets of Ronde 2, in various states.

Kringloop Zwolle's Restaurant Deksels is filled in across all six steps; the others are
further behind, as in a real round. Every row is looked up by its natural key before it is
made, and only new rows get a history line, so running the demo twice changes nothing.
All figures are fictional.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from impact.library.services import record_suggestion_use
from impact.library.starter_kit import NEGATIVE
from impact.models import (
    Activity,
    Comment,
    Effect,
    Indicator,
    Revision,
    Stakeholder,
    Step,
    StepReview,
    Suggestion,
    SuggestionUse,
    Worksheet,
)
from impact.rows import ROW_TYPES
from impact.worksheet.services import add_row, ensure_snapshots
from impactlab.demo import questionnaires, ronde_1
from impactlab.demo.trainings import TRAINING_NAME
from impactlab.demo.value import seed_value_step
from organisations.models import User
from trainings.models import Cohort, Enrolment

FICTIONAL = "Alle cijfers zijn fictief (demogegevens)."

S = Stakeholder.Category
R = Stakeholder.Relation
INV = Stakeholder.Involvement
ST = StepReview.State


@dataclass
class Builder:
    """Writes one demo worksheet; counts what it created and dates the history lines."""

    worksheet: Worksheet
    author: User
    clock: dt.datetime
    created: dict[str, int]
    stakeholders: dict[str, Stakeholder] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    effects: dict[str, Effect] = field(default_factory=dict)

    def at(self, days_ago: int, hour: int = 10, *, author: User | None = None) -> Builder:
        """Move the clock to a moment in the round, optionally for another author."""
        today = timezone.localdate()
        self.clock = timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour, 0))
        )
        if author is not None:
            self.author = author
        return self

    def _tick(self) -> None:
        self.clock += dt.timedelta(minutes=7)
        self.created["worksheet rows"] += 1

    def _history(self, step: int, row_type: str, row, data: dict) -> None:
        """A history line for a change of the worksheet's own fields, at the clock."""
        self._tick()
        revision = Revision.objects.create(
            worksheet=self.worksheet,
            step=step,
            row_type=row_type,
            row_id=row.pk,
            row_version=row.version,
            action=Revision.Action.UPDATE,
            data=data,
            author=self.author,
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=self.clock)

    def _add(self, slug: str, values: dict, parent=None):
        """Add a row as the editor does (its history line and its step in draft), dated at
        the clock."""
        row_type = ROW_TYPES[slug]
        row = add_row(
            worksheet=self.worksheet,
            row_type=row_type,
            values=values,
            parent=parent,
            author=self.author,
        )
        self._tick()
        Revision.objects.filter(
            worksheet=self.worksheet, row_type=row_type.revision_type, row_id=row.pk
        ).update(created_at=self.clock)
        return row

    def fields(self, step: int, **values) -> None:
        """Fill worksheet fields (steps 1 and 6) that are still empty."""
        changed = {
            name: value for name, value in values.items() if not getattr(self.worksheet, name)
        }
        if not changed:
            return
        for name, value in changed.items():
            setattr(self.worksheet, name, value)
        self.worksheet.save(update_fields=[*changed, "updated_at"])
        data = {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in changed.items()
        }
        self._history(step, "worksheet", self.worksheet, data)

    def target_group(self, name: str, size: int, description: str = "") -> None:
        if not self.worksheet.target_groups.filter(name=name).exists():
            self._add("targetgroup", {"name": name, "size": size, "description": description})

    def stakeholder(self, key: str, name: str, category: str, **defaults) -> Stakeholder:
        row = self.worksheet.stakeholders.filter(name=name).first()
        if row is None:
            row = self._add("stakeholder", {"name": name, "category": category, **defaults})
        self.stakeholders[key] = row
        return row

    def activity(
        self,
        key: str,
        title: str,
        *,
        stakeholders: list[str],
        outputs: list[tuple[str, int | str, str]],
        **defaults,
    ) -> Activity:
        row = self.worksheet.activities.filter(title=title).first()
        if row is None:
            linked = [self.stakeholders[name] for name in stakeholders]
            row = self._add("activity", {"title": title, "stakeholders": linked, **defaults})
        for description, quantity, unit in outputs:
            if not row.outputs.filter(description=description).exists():
                values = {"description": description, "quantity": Decimal(quantity), "unit": unit}
                self._add("output", values, parent=row)
        self.activities[key] = row
        return row

    def effect(
        self, key: str, stakeholder: str, description: str, *, activities: list[str], **defaults
    ) -> Effect:
        row = self.worksheet.effects.filter(description=description).first()
        if row is None:
            values = {
                "description": description,
                "stakeholder": self.stakeholders[stakeholder],
                "activities": [self.activities[name] for name in activities],
                **defaults,
            }
            row = self._add("effect", values)
        self.effects[key] = row
        return row

    def indicator(self, effect: str, name: str, *, results: list[tuple], **defaults) -> Indicator:
        parent = self.effects[effect]
        row = parent.indicators.filter(name=name).first()
        if row is None:
            row = self._add("indicator", {"name": name, **defaults}, parent=parent)
        for period, value, measured_on, respondents, narrative in results:
            if not row.results.filter(period=period).exists():
                values = {
                    "period": period,
                    "value": None if value is None else Decimal(str(value)),
                    "measured_on": measured_on,
                    "respondents": respondents,
                    "narrative": narrative,
                    "evidence": defaults.get("source", ""),
                }
                self._add("result", values, parent=row)
        return row

    def review(self, step: int, state: str, by: User) -> None:
        review, made = StepReview.objects.get_or_create(
            worksheet=self.worksheet, step=step, defaults={"state": state, "changed_by": by}
        )
        self.created["step reviews"] += made
        if not made and review.changed_by_id is None and review.state != state:
            # The rows above put the step in draft; the story takes it further.
            StepReview.objects.filter(pk=review.pk).update(state=state, changed_by=by)

    def comment(
        self,
        step: int,
        author: User,
        body: str,
        *,
        row: tuple[str, object] | None = None,
        replies: list[tuple[User, str]] = (),
        resolved_by: User | None = None,
    ) -> None:
        row_type, instance = row if row else ("", None)
        comment, made = Comment.objects.get_or_create(
            worksheet=self.worksheet,
            step=step,
            parent=None,
            body=body,
            defaults={
                "author": author,
                "row_type": row_type,
                "row_id": instance.pk if instance else None,
            },
        )
        if not made:
            return
        self.created["comments"] += 1
        self.clock += dt.timedelta(hours=2)
        when = self.clock
        Comment.objects.filter(pk=comment.pk).update(created_at=when, updated_at=when)
        for person, text in replies:
            when += dt.timedelta(hours=3)
            reply = Comment.objects.create(
                worksheet=self.worksheet,
                step=step,
                parent=comment,
                author=person,
                body=text,
                row_type=row_type,
                row_id=comment.row_id,
            )
            Comment.objects.filter(pk=reply.pk).update(created_at=when, updated_at=when)
            self.created["comments"] += 1
        if resolved_by is not None:
            Comment.objects.filter(pk=comment.pk).update(
                resolved_at=when + dt.timedelta(hours=1), resolved_by=resolved_by
            )


def seed() -> dict[str, int]:
    created = {"suggestions": 0, "worksheets": 0, "worksheet rows": 0, "step reviews": 0}
    created["comments"] = 0
    before = Suggestion.objects.count()
    call_command("load_starter_kit", stdout=io.StringIO())
    created["suggestions"] = Suggestion.objects.count() - before

    cohort = Cohort.objects.get(training__name=TRAINING_NAME, name="Ronde 2")
    people = {person.email: person for person in User.objects.filter(email__endswith="example.org")}
    enrolments = {
        enrolment.organisation.name: enrolment
        for enrolment in Enrolment.objects.filter(cohort=cohort).select_related("organisation")
    }

    def builder(organisation: str, email: str) -> Builder:
        worksheet, made = Worksheet.objects.get_or_create(enrolment=enrolments[organisation])
        created["worksheets"] += made
        return Builder(worksheet, people[email], timezone.now(), created)

    trainer = people["trainer@example.org"]
    researcher = people["trainer2@example.org"]
    zwolle(builder("Kringloop Zwolle", "deelnemer@example.org"), people, trainer, researcher)
    created["questionnaire responses"] = questionnaires.deksels(
        Worksheet.objects.get(enrolment=enrolments["Kringloop Zwolle"]),
        last_year(),
        people["deelnemer@example.org"],
    )
    de_vlinder(builder("Kringloopcentrum De Vlinder", "deelnemer2@example.org"), trainer)
    tweede_leven(builder("Kringloop Tweede Leven", "deelnemer3@example.org"))
    hengelo(builder("Kringloop Hengelo", "deelnemer4@example.org"))
    de_schakel(builder("Kringloopwinkel De Schakel", "deelnemer5@example.org"))
    midden_drenthe(builder("Kringloop Midden-Drenthe", "deelnemer6@example.org"), trainer)
    omnia(builder("Kringloopbedrijf Omnia", "deelnemer7@example.org"), researcher)
    builder("Kringloop Het Warenhuis", "deelnemer8@example.org")  # not started yet
    created["worksheets"] += ronde_1.seed(
        builder_for=lambda worksheet, author: Builder(worksheet, author, timezone.now(), created),
        trainer=trainer,
    )
    created["starter-kit uses"] = record_kit_uses()
    # The worksheets as they were at the end of the dagdelen that have passed, as the nightly
    # take_snapshots would have kept them: the reports offer "as at the end of a dagdeel".
    created["snapshots"] = sum(
        ensure_snapshots(worksheet=worksheet)
        for worksheet in Worksheet.objects.filter(
            enrolment__cohort__training=cohort.training
        ).select_related("enrolment")
    )
    return created


def record_kit_uses() -> int:
    """The demo's rows that came from the starter kit, recorded as ``use_suggestion``
    records a pick: stakeholders and indicators that carry a suggestion's title, effects
    that begin with one. Returns how many uses were new."""
    before = SuggestionUse.objects.count()
    kit: dict[str, dict[str, Suggestion]] = {kind: {} for kind in Suggestion.Kind.values}
    for suggestion in Suggestion.objects.all():
        title = suggestion.title.removeprefix(NEGATIVE).strip()
        kit[suggestion.kind][title[:1].upper() + title[1:]] = suggestion
    demo = Worksheet.objects.filter(enrolment__cohort__training__name=TRAINING_NAME)
    rows = [
        ("stakeholder", row.worksheet, kit["stakeholder"].get(row.name), row)
        for row in Stakeholder.objects.filter(worksheet__in=demo).select_related("worksheet")
    ]
    rows += [
        ("indicator", row.effect.worksheet, kit["indicator"].get(row.name), row)
        for row in Indicator.objects.filter(effect__worksheet__in=demo).select_related(
            "effect__worksheet"
        )
    ]
    for row in Effect.objects.filter(worksheet__in=demo).select_related("worksheet"):
        found = next(
            (s for title, s in kit["effect"].items() if row.description.startswith(title)), None
        )
        rows.append(("effect", row.worksheet, found, row))
    for row_type, worksheet, suggestion, row in rows:
        if suggestion is not None:
            record_suggestion_use(
                worksheet=worksheet, suggestion=suggestion, row_type=row_type, row=row
            )
    return SuggestionUse.objects.count() - before


def last_year() -> int:
    return timezone.localdate().year - 1


# --- Kringloop Zwolle: Restaurant Deksels, all six steps ------------------------------


def zwolle(b: Builder, people: dict[str, User], trainer: User, researcher: User) -> None:
    dewi, kees = people["deelnemer@example.org"], people["collega@example.org"]
    year = last_year()

    b.at(27, 14, author=dewi)
    b.fields(
        Step.SCOPE,
        good_practice="Restaurant Deksels",
        reasons=["steering", "funding", "communication"],
        audiences="Gemeente Zwolle (Werk en Inkomen), fondsen, BKN en onze raad van toezicht",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        social_problem=(
            "In Zwolle staan veel mensen met een arbeidsbeperking, jongeren zonder "
            "startkwalificatie en nieuwkomers aan de kant. De gewone horeca heeft weinig tijd "
            "om hen te begeleiden. Tegelijk gooien huishoudens nog veel bruikbaar servies en "
            "meubilair weg."
        ),
        impact_goal=(
            "Mensen met een afstand tot de arbeidsmarkt doen in Restaurant Deksels "
            "werkervaring op in een echte horecazaak, groeien in zelfvertrouwen en vakmanschap, "
            "en stromen binnen twaalf maanden na vertrek door naar betaald werk of een opleiding."
        ),
        themes=["labour", "circular", "community"],
        mission_link=(
            "Kringloop Zwolle biedt werk en leren aan wie dat nodig heeft. In Deksels zie je "
            "dat: gasten eten van tweedehands servies, aan tafels uit onze eigen werkplaats, en "
            f"worden bediend door onze werkleerdeelnemers. {FICTIONAL}"
        ),
    )
    b.target_group(
        "Werkleerdeelnemers met een arbeidsbeperking",
        14,
        "Meestal met een uitkering of onder de Participatiewet.",
    )
    b.target_group("Jongeren zonder startkwalificatie", 6, "Via het jongerenloket en het ROC.")
    b.target_group("Nieuwkomers die Nederlands leren", 5, "Statushouders in de inburgering.")

    b.at(24, 11)
    b.stakeholder(
        "deelnemers",
        "Werkleerdeelnemers in keuken en bediening",
        S.TARGET_GROUP,
        relation=R.EXPERIENCES,
        group_size=25,
        involvement=INV.CO_CREATING,
        materiality_reason="Voor hen doen we het; zij bepalen mee hoe hun leerplek eruitziet.",
    )
    b.stakeholder(
        "jobcoaches",
        "Jobcoaches van Kringloop Zwolle",
        S.STAFF,
        relation=R.BOTH,
        group_size=3,
        involvement=INV.CO_DECIDING,
        materiality_reason="Zij investeren de meeste tijd en zien de ontwikkeling van dichtbij.",
    )
    b.stakeholder(
        "vrijwilligers",
        "Vrijwilligers in het restaurant",
        S.VOLUNTEERS,
        relation=R.BOTH,
        group_size=9,
        involvement=INV.CONSULTED,
        materiality_reason="Ze draaien vaste diensten mee en hebben er zelf ook baat bij.",
    )
    b.stakeholder(
        "gasten",
        "Restaurantgasten",
        S.CUSTOMERS,
        relation=R.EXPERIENCES,
        group_size=650,
        involvement=INV.CONSULTED,
        materiality_reason="Ongeveer 650 gasten per maand; voor veel buurtbewoners een vaste plek.",
    )
    b.stakeholder(
        "gemeente",
        "Gemeente Zwolle",
        S.FUNDERS,
        relation=R.INVESTS,
        involvement=INV.INFORMED,
        materiality_reason="Financiert de begeleiding van de werkleerplekken.",
    )
    b.stakeholder(
        "roc",
        "ROC, opleiding horeca",
        S.PARTNERS,
        relation=R.BOTH,
        involvement=INV.CONSULTED,
        materiality_reason="Examineert de praktijkverklaringen; neemt deelnemers op in de entree.",
    )
    b.stakeholder(
        "horeca",
        "Horecaondernemers in de binnenstad",
        S.PARTNERS,
        relation=R.EXPERIENCES,
        involvement=INV.INFORMED,
        materiality_reason="Mogelijke verdringing, en tegelijk de werkgevers voor doorstroom.",
    )
    b.stakeholder(
        "milieu",
        "Milieu en klimaat",
        S.ENVIRONMENT,
        relation=R.EXPERIENCES,
        involvement=INV.INFORMED,
        is_material=False,
        materiality_reason=(
            "Het hergebruik van servies en meubilair in Deksels is klein naast dat van de "
            "winkel. We nemen het mee in het werkblad van de winkel, niet hier."
        ),
    )

    b.at(7, 9, author=kees)
    b.activity(
        "werkleerplekken",
        "Werkleerplekken in keuken en bediening",
        stakeholders=["deelnemers", "jobcoaches"],
        need="Een veilige, echte werkplek waar fouten mogen en iemand naast je staat.",
        input_time="3 jobcoaches, samen 60 uur per week",
        input_money=Decimal("85000"),
        input_in_kind="Keuken en inventaris van de kringloop",
        outputs=[("werkleerplekken", 14, "plekken"), ("deelnemers begeleid", 25, "deelnemers")],
    )
    b.activity(
        "roc",
        "Praktijkverklaringen en entreeopleiding met het ROC",
        stakeholders=["deelnemers", "roc"],
        need="Een papiertje dat werkgevers herkennen.",
        input_time="Een praktijkopleider, 6 uur per week",
        outputs=[
            ("praktijkverklaringen behaald", 8, "verklaringen"),
            ("deelnemers gestart met de entreeopleiding", 3, "deelnemers"),
        ],
    )
    b.activity(
        "restaurant",
        "Lunch en diner voor buurt en bezoekers",
        stakeholders=["gasten", "vrijwilligers", "deelnemers"],
        need="Een betaalbare, gezellige plek in de wijk, en echte gasten om voor te werken.",
        input_in_kind="Tweedehands servies en tafels uit de eigen werkplaats",
        outputs=[
            ("maaltijden geserveerd", 7800, "maaltijden"),
            ("dagen open per week", 5, "dagen"),
        ],
    )
    b.activity(
        "taal",
        "Taalcoaching op de werkvloer",
        stakeholders=["deelnemers", "vrijwilligers"],
        need="Nieuwkomers willen Nederlands oefenen in het echt, niet alleen in de klas.",
        input_time="Vier taalmaatjes (vrijwilligers), 2 uur per week",
        outputs=[("nieuwkomers met een taalmaatje", 5, "deelnemers")],
    )

    b.at(6, 15, author=dewi)
    b.effect(
        "zelfvertrouwen",
        "deelnemers",
        "Deelnemers krijgen meer zelfvertrouwen: “ik durf weer een gast aan te spreken”.",
        activities=["werkleerplekken", "restaurant"],
        term=Effect.Term.SHORT,
        assumptions="Een vaste jobcoach en een voorspelbaar rooster zijn nodig.",
        evidence="Gesprekken met deelnemers en jobcoaches in dagdeel 2.",
        confidence=Effect.Confidence.MEDIUM,
    )
    b.effect(
        "werkritme",
        "deelnemers",
        "Deelnemers krijgen een vast werkritme en leren samenwerken onder tijdsdruk.",
        activities=["werkleerplekken"],
        term=Effect.Term.SHORT,
        evidence="Aanwezigheidsregistratie en de checklist van de jobcoaches.",
        confidence=Effect.Confidence.HIGH,
    )
    b.effect(
        "vakmanschap",
        "deelnemers",
        "Deelnemers leren het horecavak en halen een praktijkverklaring.",
        activities=["werkleerplekken", "roc"],
        term=Effect.Term.MEDIUM,
        evidence="Registratie van het ROC.",
        confidence=Effect.Confidence.HIGH,
    )
    b.effect(
        "doorstroom",
        "deelnemers",
        "Deelnemers stromen door naar betaald werk of een opleiding.",
        activities=["werkleerplekken", "roc"],
        term=Effect.Term.LONG,
        assumptions="Er zijn werkgevers in de regio die willen aannemen; de krapte helpt.",
        evidence="Nog weinig: we volgen oud-deelnemers pas sinds dit jaar.",
        confidence=Effect.Confidence.LOW,
    )
    b.effect(
        "taal",
        "deelnemers",
        "Nieuwkomers spreken beter Nederlands en durven vaker het woord te nemen.",
        activities=["taal", "restaurant"],
        term=Effect.Term.MEDIUM,
        confidence=Effect.Confidence.MEDIUM,
    )
    b.effect(
        "ontmoeting",
        "gasten",
        "Buurtbewoners vinden in Deksels een betaalbare ontmoetingsplek.",
        activities=["restaurant"],
        term=Effect.Term.SHORT,
        evidence="Opmerkingen van gasten; nog niet gemeten.",
        confidence=Effect.Confidence.LOW,
    )
    b.effect(
        "vrijwilligers",
        "vrijwilligers",
        "Vrijwilligers hebben een zinvolle dagbesteding en nieuwe contacten.",
        activities=["restaurant", "taal"],
        term=Effect.Term.SHORT,
        confidence=Effect.Confidence.MEDIUM,
    )
    b.effect(
        "uitval",
        "deelnemers",
        "Twee deelnemers stopten in de drukke zomermaanden: de werkdruk in de bediening was "
        "te hoog.",
        activities=["restaurant"],
        term=Effect.Term.SHORT,
        is_positive=False,
        is_intended=False,
        assumptions="Uitval hangt samen met drukte en wisselende roosters.",
        evidence="Registratie van uitval; exitgesprekken.",
        confidence=Effect.Confidence.HIGH,
    )

    b.at(3, 10)
    kind = Indicator.Kind
    direction = Indicator.Direction
    method = Indicator.Method
    h1, h2 = f"1e halfjaar {year}", f"2e halfjaar {year}"
    d1, d2 = dt.date(year, 7, 1), dt.date(year + 1, 1, 8)
    b.indicator(
        "zelfvertrouwen",
        "Zelfvertrouwen op een schaal van 1 tot 5",
        kind=kind.SCALE,
        baseline=Decimal("2.6"),
        baseline_date=dt.date(year, 1, 15),
        target=Decimal("3.5"),
        unit="score 1-5",
        source="Vragenlijst met pictogrammen",
        method=method.SURVEY,
        frequency="Bij de start en elk halfjaar",
        measured_by="Jobcoach samen met de deelnemer",
        results=[
            (h1, "3.1", d1, 18, "Vooral deelnemers in de bediening groeien."),
            (h2, "3.4", d2, 16, "Twee deelnemers ontbreken: zij stopten in de zomer."),
        ],
    )
    b.indicator(
        "werkritme",
        "Score op de checklist werknemersvaardigheden",
        kind=kind.SCALE,
        baseline=Decimal("52"),
        baseline_date=dt.date(year, 1, 15),
        target=Decimal("70"),
        unit="score 0-100",
        source="Checklist van de jobcoaches",
        method=method.OBSERVATION,
        frequency="Elk halfjaar",
        measured_by="Jobcoach",
        results=[(h1, "61", d1, 22, ""), (h2, "67", d2, 20, "")],
    )
    b.indicator(
        "vakmanschap",
        "Behaalde praktijkverklaringen",
        kind=kind.NUMBER,
        baseline=Decimal("2"),
        baseline_date=dt.date(year - 1, 12, 31),
        target=Decimal("10"),
        unit="verklaringen",
        source="Registratie ROC",
        method=method.REGISTRATION,
        frequency="Per halfjaar",
        measured_by="Praktijkopleider",
        results=[(h1, 4, d1, None, ""), (h2, 8, d2, None, "")],
    )
    b.indicator(
        "doorstroom",
        "Uitstroom naar betaald werk of opleiding binnen 12 maanden",
        kind=kind.PERCENTAGE,
        baseline=Decimal("20"),
        baseline_date=dt.date(year - 1, 12, 31),
        target=Decimal("35"),
        unit="%",
        source="Telefonisch navragen bij oud-deelnemers",
        method=method.SURVEY,
        frequency="Elk halfjaar",
        measured_by="Bedrijfsleider",
        results=[
            (h1, "25", d1, 8, "Twee van de acht vertrokken deelnemers hebben betaald werk."),
            (h2, "30", d2, 10, "Drie van de tien; één begon aan de entreeopleiding."),
        ],
    )
    b.indicator(
        "uitval",
        "Voortijdige uitval",
        kind=kind.PERCENTAGE,
        direction=direction.DECREASE,
        baseline=Decimal("18"),
        baseline_date=dt.date(year - 1, 12, 31),
        target=Decimal("10"),
        unit="%",
        source="Registratie deelnemers",
        method=method.REGISTRATION,
        frequency="Elk halfjaar",
        measured_by="Jobcoach",
        results=[
            (h1, "16", d1, None, ""),
            (h2, "12", d2, None, "Minder uitval na rooster-aanpassing."),
        ],
    )
    b.indicator(
        "ontmoeting",
        "Geserveerde maaltijden per halfjaar",
        kind=kind.NUMBER,
        baseline=Decimal("3400"),
        baseline_date=dt.date(year - 1, 12, 31),
        target=Decimal("3900"),
        unit="maaltijden",
        source="Kassasysteem",
        method=method.REGISTRATION,
        frequency="Elk halfjaar",
        measured_by="Bedrijfsleider",
        results=[(h1, 3650, d1, None, ""), (h2, 4080, d2, None, "")],
    )

    b.at(1, 16)
    b.fields(
        Step.LEARNING,
        findings=(
            "Deelnemers groeien vooral in zelfvertrouwen en werkritme. Doorstroom naar betaald "
            "werk gaat langzamer dan we hoopten, en in de zomer was de uitval te hoog."
        ),
        next_steps=(
            "Rustiger zomerrooster met vaste koppels; oud-deelnemers na 6 en 12 maanden bellen; "
            "in het voorjaar een gastenenquête."
        ),
        quote="“In Deksels mocht ik fouten maken. Nu werk ik drie dagen in een hotelkeuken.” – "
        "oud-deelnemer (naam gefingeerd)",
        key_message="Bij Deksels eet je goed en help je mensen aan het werk.",
    )

    b.review(Step.SCOPE, ST.APPROVED, trainer)
    b.review(Step.STAKEHOLDERS, ST.APPROVED, trainer)
    b.review(Step.ACTIVITIES, ST.APPROVED, trainer)
    b.review(Step.EFFECTS, ST.APPROVED, researcher)
    b.review(Step.INDICATORS, ST.SUBMITTED, dewi)
    b.review(Step.LEARNING, ST.DRAFT, dewi)

    b.at(26, 9)
    b.comment(
        Step.SCOPE,
        trainer,
        "Mooi scherp impactdoel. Kun je “doorstromen” concreter maken: binnen welke termijn?",
        replies=[(dewi, "Goed punt: binnen twaalf maanden na vertrek. Aangepast.")],
        resolved_by=dewi,
    )
    b.at(22, 9)
    b.comment(
        Step.STAKEHOLDERS,
        trainer,
        "Waarom is het milieu hier niet materieel? Leg dat uit bij de reden, dan snapt een "
        "financier het ook.",
        row=("stakeholder", b.stakeholders["milieu"]),
        replies=[(kees, "Toegelicht: het hergebruik tellen we bij de winkel.")],
        resolved_by=kees,
    )
    b.at(5, 11)
    b.comment(
        Step.EFFECTS,
        researcher,
        "Goed dat jullie dit negatieve effect opnemen. Wat doen jullie om uitval in de zomer "
        "te voorkomen? Zet dat bij de activiteiten.",
        row=("effect", b.effects["uitval"]),
    )
    b.at(2, 10)
    b.comment(
        Step.INDICATORS,
        trainer,
        "Bij zelfvertrouwen hebben 16 van de 25 deelnemers de vragenlijst ingevuld. Zeg in je "
        "rapportage wie er ontbreken, dan claim je niet te veel.",
    )
    b.comment(
        Step.INDICATORS,
        trainer,
        "Hoe volgen jullie oud-deelnemers na twaalf maanden? Bellen kost tijd: plan het in.",
        row=("indicator", Indicator.objects.get(effect=b.effects["doorstroom"])),
        replies=[(dewi, "Kees belt ze voortaan in de eerste week van januari en juli.")],
    )
    b.created["value rows"] = seed_value_step(b.worksheet, b.effects, trainer)


# --- the others, further behind ---------------------------------------------------------


def de_vlinder(b: Builder, trainer: User) -> None:
    year = last_year()
    b.at(26, 20)
    b.fields(
        Step.SCOPE,
        good_practice="Fietsenwerkplaats",
        reasons=["funding", "communication"],
        audiences="Gemeente Deventer en het Oranjefonds",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        social_problem=(
            "Jongeren zonder diploma en nieuwkomers vinden moeilijk werk. Tegelijk belanden "
            "veel fietsen die nog te repareren zijn bij het oud ijzer."
        ),
        impact_goal=(
            "Jongeren en nieuwkomers leren in onze fietsenwerkplaats een vak en krijgen zicht "
            "op werk in de fietsbranche; afgedankte fietsen krijgen een tweede leven."
        ),
        themes=["labour", "circular"],
        mission_link=f"De Vlinder wil dat iedereen mee kan doen. {FICTIONAL}",
    )
    b.target_group("Jongeren zonder startkwalificatie", 8)
    b.target_group("Nieuwkomers", 6)
    b.at(20, 19)
    b.stakeholder(
        "jongeren",
        "Jongeren in de werkplaats",
        S.TARGET_GROUP,
        group_size=8,
        involvement=INV.CONSULTED,
    )
    b.stakeholder("nieuwkomers", "Nieuwkomers in de werkplaats", S.TARGET_GROUP, group_size=6)
    b.stakeholder("werkmeester", "Werkmeester fietstechniek", S.STAFF, relation=R.BOTH)
    b.stakeholder("kopers", "Kopers van opgeknapte fietsen", S.CUSTOMERS)
    b.stakeholder("gemeente", "Gemeente Deventer", S.FUNDERS, relation=R.INVESTS)
    b.stakeholder("fietsenwinkels", "Fietsenwinkels in de regio", S.PARTNERS)
    b.at(4, 14)
    b.activity(
        "opknappen",
        "Fietsen opknappen en verkopen",
        stakeholders=["jongeren", "nieuwkomers", "werkmeester", "kopers"],
        input_time="Werkmeester 32 uur per week",
        outputs=[("fietsen opgeknapt en verkocht", 420, "fietsen")],
    )
    b.activity(
        "leerlijn",
        "Leerlijn fietstechniek met certificaat",
        stakeholders=["jongeren", "nieuwkomers", "fietsenwinkels"],
        outputs=[("deelnemers in de leerlijn", 11, "deelnemers")],
    )
    b.review(Step.SCOPE, ST.APPROVED, trainer)
    b.review(Step.STAKEHOLDERS, ST.RETURNED, trainer)
    b.review(Step.ACTIVITIES, ST.DRAFT, b.author)
    b.at(19, 11)
    b.comment(
        Step.STAKEHOLDERS,
        trainer,
        "Je mist de inwoners die hun fiets komen brengen, en het milieu. En hoe betrek je de "
        "jongeren zelf bij de werkplaats? Vul dat aan en dien de stap opnieuw in.",
    )


def tweede_leven(b: Builder) -> None:
    b.at(25, 13)
    b.fields(
        Step.SCOPE,
        good_practice="Textielatelier",
        reasons=["accountability", "steering"],
        audiences="Gemeente Kampen en onze vrijwilligers",
        social_problem=(
            "Veel ingezameld textiel is niet verkoopbaar en wordt verbrand. Vrouwen met een "
            "grote afstand tot de arbeidsmarkt zitten vaak thuis."
        ),
        impact_goal=(
            "In ons textielatelier maken deelnemers nieuwe producten van afgedankt textiel; "
            "zo leren ze naaien en ontwerpen, bouwen ze een netwerk op en gaat minder textiel "
            "verloren."
        ),
        themes=["labour", "circular", "community"],
        mission_link=FICTIONAL,
    )
    b.target_group("Vrouwen met een grote afstand tot de arbeidsmarkt", 10)
    b.at(18, 10)
    b.stakeholder("deelnemers", "Deelnemers van het atelier", S.TARGET_GROUP, group_size=10)
    b.stakeholder("vrijwilligers", "Vrijwillige naaisters", S.VOLUNTEERS, relation=R.BOTH)
    b.stakeholder("klanten", "Kopers van upcycle-tassen en kussens", S.CUSTOMERS)
    b.stakeholder("gemeente", "Gemeente Kampen", S.FUNDERS, relation=R.INVESTS)
    b.stakeholder("milieu", "Milieu", S.ENVIRONMENT)
    b.review(Step.SCOPE, ST.SUBMITTED, b.author)
    b.review(Step.STAKEHOLDERS, ST.SUBMITTED, b.author)


def hengelo(b: Builder) -> None:
    b.at(12, 21)
    b.fields(
        Step.SCOPE,
        good_practice="Repaircafé",
        social_problem="Kapotte spullen gaan te snel weg; ouderen in de wijk zijn eenzaam.",
        impact_goal="Samen repareren: minder afval en meer contact in de wijk.",
        themes=["circular", "community"],
    )


def de_schakel(b: Builder) -> None:
    b.at(21, 16)
    b.fields(
        Step.SCOPE,
        good_practice="Meubelmakerij",
        reasons=["steering"],
        social_problem="Mensen met een arbeidsbeperking krijgen weinig kans op een ambacht.",
        impact_goal=(
            "Deelnemers leren in onze meubelmakerij het vak van meubels opknappen en "
            "stromen door naar werk in de houtbranche."
        ),
        themes=["labour"],
    )
    b.target_group("Werkleerdeelnemers met een arbeidsbeperking", 7)
    b.review(Step.SCOPE, ST.SUBMITTED, b.author)


def midden_drenthe(b: Builder, trainer: User) -> None:
    b.at(25, 9)
    b.fields(
        Step.SCOPE,
        good_practice="Ophaal- en ontruimingsdienst",
        reasons=["accountability"],
        impact_goal=(
            "Mensen in een re-integratietraject doen werkervaring op als bijrijder en in de "
            "logistiek, en inwoners worden geholpen met ophalen en ontruimen."
        ),
        themes=["labour", "circular"],
    )
    b.at(9, 13)
    b.stakeholder("bijrijders", "Bijrijders in een re-integratietraject", S.TARGET_GROUP)
    b.stakeholder("klanten", "Klanten van de ontruimingsdienst", S.CUSTOMERS)
    b.review(Step.SCOPE, ST.APPROVED, trainer)


def omnia(b: Builder, researcher: User) -> None:
    b.at(23, 15)
    b.fields(
        Step.SCOPE,
        good_practice="Elektrowerkplaats",
        impact_goal="Zoveel mogelijk apparaten repareren.",
        themes=["circular"],
    )
    b.review(Step.SCOPE, ST.RETURNED, researcher)
    b.at(20, 10)
    b.comment(
        Step.SCOPE,
        researcher,
        "Dit is vooral een doel voor de werkplaats. Wat verandert er voor de mensen die er "
        "werken? Noem ook je doelgroep.",
    )
