"""Factories for the whole suite; each builds a valid row with realistic Dutch data."""

import datetime as dt

import factory
from django.utils import timezone

from organisations.models import Membership, Organisation, Role, StaffInvitation, User
from trainings.models import (
    Attendance,
    Cohort,
    Enrolment,
    Invitation,
    Programme,
    Project,
    Session,
    Training,
    hash_token,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Kringloop {n}")
    kind = Organisation.Kind.PARTICIPANT
    city = factory.Faker("city", locale="nl_NL")
    sector = "Kringloop"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTICIPANT


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programma {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Training Social Impact meting {n}")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    training = factory.SubFactory(TrainingFactory)
    name = factory.Sequence(lambda n: f"Ronde {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=42))
    status = Cohort.Status.RUNNING
    capacity = 8

    @factory.post_generation
    def trainers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.trainers.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Dagdeel {n}")
    date = factory.LazyAttribute(lambda o: o.cohort.starts_on)
    starts_at = dt.time(9, 30)
    ends_at = dt.time(13, 0)
    location = "Zwolle"
    steps = factory.LazyFunction(lambda: [1, 2])


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation
        exclude = ["token"]

    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"genodigde{n}@example.org")
    token = factory.Sequence(lambda n: f"token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class StaffInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation from the Team page; a trainer at a new member organisation by default."""

    class Meta:
        model = StaffInvitation
        exclude = ["token"]

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.MEMBER)
    role = Role.TRAINER
    email = factory.Sequence(lambda n: f"nieuwe-trainer{n}@example.org")
    token = factory.Sequence(lambda n: f"team-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(UserFactory)


def make_person(organisation: Organisation, role: str = Role.PARTICIPANT, **kwargs) -> User:
    person = UserFactory(**kwargs)
    MembershipFactory(person=person, organisation=organisation, role=role)
    return person


# --- Trainings in the browser ---------------------------------------------------------------


def enrol_organisations(cohort: Cohort, count: int, *, people: int = 2) -> list[Enrolment]:
    """Enrol `count` new organisations with `people` participants each."""
    enrolments = []
    for _ in range(count):
        organisation = OrganisationFactory()
        for _ in range(people):
            make_person(organisation)
        enrolments.append(EnrolmentFactory(cohort=cohort, organisation=organisation))
    return enrolments


# --- Feedback, the starter kit and the cohort overview ---------------------------------

from impact.models import (  # noqa: E402
    Activity,
    Comment,
    Effect,
    Indicator,
    Output,
    Result,
    Stakeholder,
    StepReview,
    Suggestion,
    TargetGroup,
    Worksheet,
)


class WorksheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worksheet

    enrolment = factory.SubFactory(EnrolmentFactory)


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    worksheet = factory.SubFactory(WorksheetFactory)
    name = factory.Sequence(lambda n: f"Werkleerdeelnemers {n}")
    category = Stakeholder.Category.TARGET_GROUP
    group_size = 12


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    worksheet = factory.SubFactory(WorksheetFactory)
    title = factory.Sequence(lambda n: f"Werkleerplekken in de winkel {n}")

    @factory.post_generation
    def stakeholders(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.stakeholders.add(*extracted)


class EffectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Effect
        skip_postgeneration_save = True

    worksheet = factory.SubFactory(WorksheetFactory)
    stakeholder = factory.SubFactory(
        StakeholderFactory, worksheet=factory.SelfAttribute("..worksheet")
    )
    description = factory.Sequence(lambda n: f"Deelnemers krijgen meer zelfvertrouwen ({n})")

    @factory.post_generation
    def activities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.activities.add(*extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    worksheet = factory.SubFactory(WorksheetFactory)
    step = 2
    author = factory.SubFactory(UserFactory)
    body = "Wie ontbreekt er nog op je stakeholderkaart?"


class StepReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepReview

    worksheet = factory.SubFactory(WorksheetFactory)
    step = 1
    state = StepReview.State.SUBMITTED


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    kind = Suggestion.Kind.STAKEHOLDER
    theme = Suggestion.Theme.LABOUR
    title = factory.Sequence(lambda n: f"Jobcoaches {n}")
    category = Stakeholder.Category.STAFF
    relation = Stakeholder.Relation.BOTH
    source = "praktijk kringloopbranche"


# --- Impact worksheet rows ----------------------------------------------------------------


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    worksheet = factory.SubFactory(WorksheetFactory)
    name = factory.Sequence(lambda n: f"Doelgroep {n}")
    size = 12


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    activity = factory.SubFactory(ActivityFactory)
    description = "werkleerplekken"
    quantity = 12
    unit = "plekken"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    effect = factory.SubFactory(EffectFactory)
    name = factory.Sequence(lambda n: f"Gemiddelde score zelfvertrouwen {n}")
    baseline = 5
    target = 7
    source = "Vragenlijst"


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2025"
    value = 6
    measured_on = dt.date(2025, 12, 1)


# --- Reports: a worksheet filled in end to end; figures are fictional -----------------------

from decimal import Decimal  # noqa: E402

REPORT_TEXT = {
    "good_practice": "Restaurant Deksels",
    "impact_goal": (
        "Mensen met een afstand tot de arbeidsmarkt vinden via werk en leren in de kringloop "
        "een betaalde baan of een passende vervolgstap."
    ),
    "social_problem": "Veel mensen in de regio staan langdurig buiten de arbeidsmarkt.",
    "reasons": ["funding", "steering"],
    "themes": ["labour"],
    "audiences": "Gemeente Zwolle, UWV",
    "key_message": "Elke werkleerplek is een stap naar een baan.",
    "quote": "Hier ben ik weer iemand: ik heb elke dag een reden om op te staan.",
    "findings": "Deelnemers groeien vooral in zelfvertrouwen en werkritme.",
    "partners_to_approach": "Leerwerkbedrijf Zwolle, ROC Landstede",
    "funding_opportunities": "Participatiefonds van de gemeente",
}


def make_worksheet_content(
    worksheet: Worksheet,
    *,
    stakeholders: tuple[str, ...] = ("Deelnemers", "Jobcoaches", "UWV", "Gemeente Zwolle"),
    target_groups: tuple[str, ...] = ("Jongeren", "Nieuwkomers"),
    activities: int = 2,
    effects: int = 3,
    results: int = 2,
) -> Worksheet:
    """Fill a worksheet with a realistic chain: target groups, stakeholders, activities with
    outputs, effects with an indicator each and ``results`` periods of results."""
    # Text the test did not set itself gets the report defaults.
    missing = {name: value for name, value in REPORT_TEXT.items() if not getattr(worksheet, name)}
    Worksheet.objects.filter(pk=worksheet.pk).update(**missing)
    worksheet.refresh_from_db()
    categories = list(Stakeholder.Category)
    rows = [
        StakeholderFactory(worksheet=worksheet, name=name, category=categories[i % len(categories)])
        for i, name in enumerate(stakeholders)
    ]
    for name in target_groups:
        TargetGroupFactory(worksheet=worksheet, name=name)
    activity_rows = []
    for number in range(activities):
        activity = ActivityFactory(
            worksheet=worksheet,
            title=f"Werkleertraject {number + 1}",
            stakeholders=rows[: 2 + number % 2],
        )
        OutputFactory(activity=activity, description=f"werkleerplekken ({number + 1})")
        activity_rows.append(activity)
    for number in range(effects):
        effect = EffectFactory(
            worksheet=worksheet,
            stakeholder=rows[number % len(rows)],
            activities=activity_rows[: 1 + number % max(1, len(activity_rows))],
            description=f"Meer zelfvertrouwen en werkritme bij deelnemers ({number + 1})",
        )
        indicator = IndicatorFactory(
            effect=effect,
            name=f"Deelnemers met betaald werk {number + 1}",
            baseline=Decimal("10"),
            target=Decimal("40"),
            unit="%",
            source="Eigen registratie",
        )
        for period in range(results):
            ResultFactory(
                indicator=indicator,
                period=f"{2024 + period}",
                value=Decimal(20 + 6 * period + number),
                measured_on=dt.date(2024 + period, 12, 31),
                respondents=24,
            )
    return worksheet


# --- The value step --------------------------------------------------------------------------

from impact.models import EffectValuation, ValueProxy, ValueStep  # noqa: E402


class ValueProxyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValueProxy

    title = factory.Sequence(lambda n: f"Bijstandsuitkering alleenstaande ({n})")
    description = "Een jaar bijstand die de gemeente niet meer betaalt."
    amount = Decimal("16140.00")
    unit = "persoon per jaar"
    year = 2025
    source = "Rijksoverheid, normbedragen Participatiewet 1 januari 2025"
    beneficiary = "municipality"
    is_transfer = True


class ValueStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValueStep

    worksheet = factory.SubFactory(WorksheetFactory)
    is_enabled = True
    input_money = Decimal("40000.00")


class EffectValuationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EffectValuation

    effect = factory.SubFactory(EffectFactory)
    quantity = Decimal(10)
    duration = 2
    proxy_description = "Waarde van meer zelfvertrouwen"
    proxy_amount = Decimal("1000.00")
    proxy_unit = "persoon per jaar"
    proxy_year = 2025
    proxy_source = "Eigen schatting op basis van een vragenlijst"
    deadweight = Decimal(25)
    attribution = Decimal(25)
    drop_off = Decimal(25)


# --- Peer review ------------------------------------------------------------------------------

from impact.peer_review.models import PeerReviewAssignment, PeerReviewRound  # noqa: E402


class PeerReviewRoundFactory(factory.django.DjangoModelFactory):
    """An open round for step 2, allocated by hand."""

    class Meta:
        model = PeerReviewRound

    cohort = factory.SubFactory(CohortFactory)
    steps = factory.LazyFunction(lambda: [2])
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=6))
    allocation = PeerReviewRound.Allocation.MANUAL
    questions = factory.LazyFunction(lambda: ["strong", "missing", "question"])


class PeerReviewAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerReviewAssignment

    round = factory.SubFactory(PeerReviewRoundFactory)
