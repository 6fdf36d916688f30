"""Factories for the whole suite; each builds a valid row with realistic Dutch data."""

import datetime as dt

import factory
from django.utils import timezone

from organisations.models import Membership, Organisation, Role, User
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

    worksheet = factory.SubFactory(WorksheetFactory)
    title = factory.Sequence(lambda n: f"Werkleerplekken in de winkel {n}")


class EffectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Effect

    worksheet = factory.SubFactory(WorksheetFactory)
    stakeholder = factory.SubFactory(
        StakeholderFactory, worksheet=factory.SelfAttribute("..worksheet")
    )
    description = factory.Sequence(lambda n: f"Deelnemers krijgen meer zelfvertrouwen ({n})")


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
