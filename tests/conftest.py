"""The cast of the suite, after healthchecks' alice, bob and charlie.

- ``coordinator`` works for the cooperative and sees everything;
- ``trainer`` trains ``cohort``; ``other_trainer`` trains ``other_cohort`` only;
- ``participant`` and ``colleague`` work at ``organisation``, enrolled in ``cohort``;
- ``fellow`` works at another organisation in the same cohort;
- ``outsider`` works at ``other_organisation``, enrolled in ``other_cohort``.
"""

import pytest
from django.core.cache import cache, caches
from django.test import Client

from organisations.models import Organisation, Role
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    OrganisationFactory,
    SessionFactory,
    TrainingFactory,
    make_person,
)


@pytest.fixture(autouse=True)
def _fast_static_files(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _worker_data_dir(tmp_path_factory):
    """A data directory per test process: uploads and the server-wide render slots of one
    pytest-xdist worker never meet another's (nor the demo's in ``data/``)."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True)
def _own_data_dir(settings, _worker_data_dir):
    settings.MEDIA_ROOT = _worker_data_dir / "media"
    settings.IMPACTLAB_RENDER_SLOT_DIR = _worker_data_dir / "render-slots"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with empty rate-limit counts: the browser tests sign in through the
    form from one address, and together they pass allauth's 30 sign-ins a minute."""
    cache.clear()
    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def cooperative(db):
    return OrganisationFactory(name="Se.lab", kind=Organisation.Kind.COOPERATIVE)


@pytest.fixture
def member_organisation(db):
    return OrganisationFactory(name="Evenaar & Partners", kind=Organisation.Kind.MEMBER)


@pytest.fixture
def coordinator(cooperative):
    return make_person(cooperative, Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def trainer(member_organisation):
    return make_person(member_organisation, Role.TRAINER, email="trainer@example.org")


@pytest.fixture
def other_trainer(member_organisation):
    return make_person(member_organisation, Role.TRAINER, email="andere-trainer@example.org")


@pytest.fixture
def training(db):
    return TrainingFactory(name="Training Social Impact meting")


@pytest.fixture
def cohort(training, trainer):
    return CohortFactory(training=training, name="Ronde 2", trainers=[trainer])


@pytest.fixture
def other_cohort(training, other_trainer):
    return CohortFactory(training=training, name="Ronde 3", trainers=[other_trainer])


@pytest.fixture
def organisation(cohort):
    organisation = OrganisationFactory(name="Kringloop Zwolle", city="Zwolle")
    EnrolmentFactory(cohort=cohort, organisation=organisation)
    return organisation


@pytest.fixture
def fellow_organisation(cohort):
    organisation = OrganisationFactory(name="Kringloopcentrum De Vlinder", city="Deventer")
    EnrolmentFactory(cohort=cohort, organisation=organisation)
    return organisation


@pytest.fixture
def other_organisation(other_cohort):
    organisation = OrganisationFactory(name="Kringloop Elders", city="Groningen")
    EnrolmentFactory(cohort=other_cohort, organisation=organisation)
    return organisation


@pytest.fixture
def participant(organisation):
    return make_person(organisation, email="deelnemer@example.org", first_name="Dewi")


@pytest.fixture
def colleague(organisation):
    return make_person(organisation, email="collega@example.org", first_name="Kees")


@pytest.fixture
def fellow(fellow_organisation):
    return make_person(fellow_organisation, email="deelnemer2@example.org")


@pytest.fixture
def outsider(other_organisation):
    return make_person(other_organisation, email="buitenstaander@example.org")


@pytest.fixture
def session(cohort):
    return SessionFactory(cohort=cohort, title="Dagdeel 1: impactdoel en stakeholders")


@pytest.fixture
def client_for():
    """Return a function that gives a client signed in as the person."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
