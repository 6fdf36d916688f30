"""Personal data: a person downloads what is stored about them; a coordinator erases a person."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from impact.models import Comment, ReportExport, Revision, Stakeholder
from impact.worksheet.services import record_revision
from organisations.models import Membership, Role, User
from tests.factories import (
    PASSWORD,
    AttendanceFactory,
    CommentFactory,
    InvitationFactory,
    StaffInvitationFactory,
    StakeholderFactory,
    make_person,
)
from tests.impact.worksheet_helpers import worksheet_of

EMAIL = "anouk.zwanenburg@example.org"


@pytest.fixture
def anouk(organisation):
    return make_person(organisation, email=EMAIL, first_name="Anouk", last_name="Zwanenburg")


@pytest.fixture
def footprint(anouk, colleague, organisation, cohort, session, coordinator):
    """Anouk's traces all over the database, next to a colleague's."""
    worksheet = worksheet_of(organisation, cohort)
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    revision = record_revision(
        worksheet=worksheet, row_type="stakeholder", obj=stakeholder, action="create", author=anouk
    )
    comment = CommentFactory(worksheet=worksheet, author=anouk, body="Vergeet de buurt niet.")
    CommentFactory(worksheet=worksheet, author=colleague, body="Tekst van Kees.")
    AttendanceFactory(session=session, person=anouk)
    invitation = InvitationFactory(
        cohort=cohort, organisation=organisation, email=EMAIL, invited_by=coordinator
    )
    export = ReportExport.objects.create(
        kind=ReportExport.Kind.ORGANISATION_PDF, worksheet=worksheet, requested_by=anouk
    )
    # Anouk is also invited to train for a member organisation.
    staff_invitation = StaffInvitationFactory(email=EMAIL, invited_by=coordinator)
    EmailAddress.objects.create(user=anouk, email=EMAIL, verified=True, primary=True)
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(anouk.pk),
        object_repr=str(anouk),
        action_flag=CHANGE,
    )
    return {
        "worksheet": worksheet,
        "stakeholder": stakeholder,
        "revision": revision,
        "comment": comment,
        "invitation": invitation,
        "staff_invitation": staff_invitation,
        "export": export,
    }


# Download -----------------------------------------------------------------------------


def test_person_downloads_everything_stored_about_them(client_for, anouk, footprint, session):
    response = client_for(anouk).get(reverse("personal_data"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["last_name"] == "Zwanenburg"
    assert [m["organisation__name"] for m in data["memberships"]] == ["Kringloop Zwolle"]
    assert [i["id"] for i in data["invitations_received"]] == [footprint["invitation"].pk]
    assert [i["id"] for i in data["team_invitations_received"]] == [
        footprint["staff_invitation"].pk
    ]
    assert [a["session_id"] for a in data["attendance"]] == [session.pk]
    assert [c["body"] for c in data["comments"]] == ["Vergeet de buurt niet."]
    revision = footprint["revision"]
    assert data["revisions"][0].pop("created_at")[:19] == revision.created_at.isoformat()[:19]
    assert data["revisions"] == [
        {
            "id": revision.pk,
            "worksheet_id": footprint["worksheet"].pk,
            "worksheet__enrolment__organisation__name": "Kringloop Zwolle",
            "step": int(revision.step),
            "row_type": "stakeholder",
            "row_id": footprint["stakeholder"].pk,
            "row_version": 1,
            "action": "create",
        }
    ]
    assert [e["id"] for e in data["exports"]] == [footprint["export"].pk]
    # A colleague's text is theirs, not Anouk's.
    assert "Tekst van Kees." not in response.text


def test_inviter_finds_the_invitations_they_sent_without_the_invitees_address(
    client_for, coordinator, footprint
):
    data = client_for(coordinator).get(reverse("personal_data")).json()
    assert [i["id"] for i in data["invitations_sent"]] == [footprint["invitation"].pk]
    assert EMAIL not in json.dumps(data["invitations_sent"])
    assert [i["id"] for i in data["team_invitations_sent"]] == [footprint["staff_invitation"].pk]
    assert EMAIL not in json.dumps(data["team_invitations_sent"])


def test_download_needs_sign_in_and_get(client, client_for, anouk):
    response = client.get(reverse("personal_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert client_for(anouk).post(reverse("personal_data")).status_code == 405


def test_account_menu_links_the_download(client_for, anouk):
    page = client_for(anouk).get(reverse("dashboard"))
    assert reverse("personal_data") in page.text


# Erase --------------------------------------------------------------------------------


def erase_url(person) -> str:
    return reverse("person_erase", args=[person.pk])


def test_coordinator_sees_a_confirmation_first_and_nothing_changes(client_for, coordinator, anouk):
    response = client_for(coordinator).get(erase_url(anouk))
    assert response.status_code == 200
    assert response.context["person"] == anouk
    anouk.refresh_from_db()
    assert anouk.is_active and anouk.email == EMAIL


def test_erasing_keeps_worksheets_and_comment_text_but_no_name_or_address(
    client_for, coordinator, anouk, footprint
):
    anouk_client = client_for(anouk)
    response = client_for(coordinator).post(erase_url(anouk))

    assert response.status_code == 302
    anouk.refresh_from_db()
    assert anouk.get_full_name() == "Verwijderde persoon"
    assert anouk.email.endswith("@example.invalid")
    assert not anouk.is_active
    assert not anouk.has_usable_password()
    assert not Membership.objects.filter(person=anouk).exists()
    # The worksheet and its rows stay; history and comments lose the link to the person.
    assert Stakeholder.objects.filter(pk=footprint["stakeholder"].pk).exists()
    comment = Comment.objects.get(pk=footprint["comment"].pk)
    assert (comment.body, comment.author) == ("Vergeet de buurt niet.", None)
    assert Revision.objects.get(pk=footprint["revision"].pk).author is None
    assert not ReportExport.objects.filter(pk=footprint["export"].pk).exists()
    # The person's open session ends.
    assert anouk_client.get(reverse("dashboard")).status_code == 302
    # Nowhere in the database: neither the address nor the name.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert EMAIL not in dump.getvalue()
    assert "Zwanenburg" not in dump.getvalue()


def test_erased_person_can_no_longer_sign_in(client, client_for, coordinator, anouk):
    client_for(coordinator).post(erase_url(anouk))

    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302
    assert response.status_code == 200  # the form again, with an error


@pytest.mark.parametrize("role", ["trainer", "participant", "colleague"])
def test_only_coordinators_may_erase(request, client_for, anouk, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(erase_url(anouk)).status_code == 403
    assert client.post(erase_url(anouk)).status_code == 403
    anouk.refresh_from_db()
    assert anouk.is_active and anouk.email == EMAIL


def test_erase_needs_sign_in(client, anouk):
    response = client.post(erase_url(anouk))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_erase_refuses_other_methods_and_unknown_people(client_for, coordinator, anouk):
    client = client_for(coordinator)
    assert client.put(erase_url(anouk)).status_code == 405
    assert client.get(reverse("person_erase", args=[anouk.pk + 1000])).status_code == 404


def test_coordinator_cannot_erase_themselves(client_for, coordinator):
    response = client_for(coordinator).post(erase_url(coordinator))
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_people_table_links_erase_for_coordinators_only(
    client_for, coordinator, trainer, anouk, organisation
):
    url = reverse("organisations:detail", args=[organisation.pk])
    assert erase_url(anouk) in client_for(coordinator).get(url).text
    assert erase_url(anouk) not in client_for(trainer).get(url).text


def test_erased_trainer_leaves_their_cohorts(client_for, coordinator, trainer, cohort):
    other = make_person(cohort.trainers.get().memberships.get().organisation, Role.TRAINER)
    cohort.trainers.add(other)
    client_for(coordinator).post(erase_url(trainer))
    assert list(cohort.trainers.all()) == [other]
