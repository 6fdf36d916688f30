"""Who may open which page: every view against the whole cast.

anonymous → login; outsider and other_trainer → 404; participants of the cohort → 403 on
change pages; the cohort's trainer and the coordinator → 200.
"""

import pytest
from django.urls import reverse

from tests.factories import InvitationFactory
from trainings.models import Enrolment

CAST = ["outsider", "other_trainer", "participant", "fellow", "trainer", "coordinator"]


@pytest.fixture
def objects(cohort, session, organisation, fellow_organisation, other_organisation, trainer):
    enrolment = Enrolment.objects.get(cohort=cohort, organisation=organisation)
    invitation = InvitationFactory(cohort=cohort, organisation=organisation, invited_by=trainer)
    return {
        "cohort": cohort.pk,
        "session": session.pk,
        "enrolment": enrolment.pk,
        "invitation": invitation.pk,
        "programme": cohort.training.programme_id,
        "training": cohort.training_id,
    }


# (url name, object, expected status per role in CAST order)
READ = ["404", "404", "200", "200", "200", "200"]
CHANGE = ["404", "404", "403", "403", "200", "200"]
GET_PAGES = [
    ("cohort_detail", "cohort", READ),
    ("cohort_calendar", "cohort", READ),
    ("cohort_edit", "cohort", CHANGE),
    ("cohort_copy", "cohort", CHANGE),
    ("cohort_delete", "cohort", CHANGE),
    ("session_create", "cohort", CHANGE),
    ("session_edit", "session", CHANGE),
    ("session_attendance", "session", CHANGE),
    ("enrolment_create", "cohort", CHANGE),
    ("invitation_create", "cohort", CHANGE),
    ("cohort_list", None, ["200"] * 6),
    # Only the training's own trainers (none here) and coordinators; one training: its form.
    ("cohort_new", None, ["403", "403", "403", "403", "403", "302"]),
    ("programme_list", None, ["403", "200", "403", "403", "200", "200"]),
    ("programme_create", None, ["403", "403", "403", "403", "403", "200"]),
    ("programme_detail", "programme", ["404", "200", "404", "404", "200", "200"]),
    ("programme_edit", "programme", ["404", "403", "404", "404", "403", "200"]),
    ("training_create", "programme", ["404", "403", "404", "404", "403", "200"]),
    ("training_detail", "training", ["404", "200", "404", "404", "200", "200"]),
    ("training_edit", "training", ["404", "403", "404", "404", "403", "200"]),
    ("cohort_create", "training", ["404", "403", "404", "404", "403", "200"]),
]
POST_ONLY = [
    ("cohort_status", "cohort"),
    ("session_delete", "session"),
    ("enrolment_withdraw", "enrolment"),
    ("invitation_resend", "invitation"),
    ("invitation_withdraw", "invitation"),
]


def url_for(name, key, objects):
    args = [objects[key]] if key else []
    return reverse(f"trainings:{name}", args=args)


@pytest.mark.parametrize(("name", "key", "_"), GET_PAGES)
def test_anonymous_is_sent_to_login(client, objects, name, key, _):
    response = client.get(url_for(name, key, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "key", "expected"), GET_PAGES)
@pytest.mark.parametrize("role", range(len(CAST)))
def test_each_role_gets_the_expected_status(
    client_for, request, objects, name, key, expected, role
):
    user = request.getfixturevalue(CAST[role])
    response = client_for(user).get(url_for(name, key, objects))
    assert response.status_code == int(expected[role]), CAST[role]


@pytest.mark.parametrize(("name", "key"), POST_ONLY)
def test_post_only_views_refuse_get(client_for, trainer, objects, name, key):
    assert client_for(trainer).get(url_for(name, key, objects)).status_code == 405


@pytest.mark.parametrize(("name", "key"), POST_ONLY)
@pytest.mark.parametrize(
    ("role", "status"),
    [("outsider", 404), ("other_trainer", 404), ("participant", 403), ("fellow", 403)],
)
def test_post_only_views_refuse_outsiders_and_readers(
    client_for, request, objects, name, key, role, status
):
    client = client_for(request.getfixturevalue(role))
    assert client.post(url_for(name, key, objects)).status_code == status


@pytest.mark.parametrize(("name", "key"), POST_ONLY)
def test_post_only_views_send_anonymous_to_login(client, objects, name, key):
    response = client.post(url_for(name, key, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_trainer_of_the_training_may_create_a_cohort(client_for, trainer, training):
    training.trainers.add(trainer)
    url = reverse("trainings:cohort_create", args=[training.pk])
    assert client_for(trainer).get(url).status_code == 200


def test_state_changes_need_a_csrf_token(trainer, cohort):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    response = client.post(reverse("trainings:cohort_status", args=[cohort.pk]))
    assert response.status_code == 403
    cohort.refresh_from_db()
    assert cohort.status == "running"
