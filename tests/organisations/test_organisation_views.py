import pytest
from django.urls import reverse

from organisations.models import Organisation


def detail(organisation):
    return reverse("organisations:detail", args=[organisation.pk])


def edit(organisation):
    return reverse("organisations:edit", args=[organisation.pk])


def test_anonymous_is_sent_to_login(client, organisation):
    for url in [detail(organisation), edit(organisation), reverse("organisations:list")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["outsider", "other_trainer"])
def test_outsider_gets_404_for_an_organisation(client_for, request, who, organisation):
    client = client_for(request.getfixturevalue(who))
    assert client.get(detail(organisation)).status_code == 404
    assert client.get(edit(organisation)).status_code == 404


@pytest.mark.parametrize("who", ["participant", "fellow", "trainer", "coordinator"])
def test_people_of_the_cohort_see_the_organisation(client_for, request, who, organisation):
    response = client_for(request.getfixturevalue(who)).get(detail(organisation))
    assert response.status_code == 200
    assert "Kringloop Zwolle" in response.text


def test_fellow_participants_do_not_see_who_works_there(
    client_for, fellow, participant, organisation
):
    response = client_for(fellow).get(detail(organisation))
    assert participant.email not in response.text


def test_colleagues_see_each_other(client_for, colleague, participant, organisation):
    response = client_for(colleague).get(detail(organisation))
    assert participant.email in response.text


@pytest.mark.parametrize("who", ["fellow", "trainer"])
def test_readers_may_not_edit(client_for, request, who, organisation):
    client = client_for(request.getfixturevalue(who))
    assert client.get(edit(organisation)).status_code == 403
    assert client.post(edit(organisation), {"name": "Gekaapt"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Kringloop Zwolle"


def test_participant_edits_their_organisations_mission(client_for, participant, organisation):
    response = client_for(participant).post(
        edit(organisation),
        {"name": "Kringloop Zwolle", "city": "Zwolle", "mission": "Werk en leren voor iedereen"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.mission == "Werk en leren voor iedereen"
    assert organisation.kind == Organisation.Kind.PARTICIPANT


def test_participant_cannot_change_the_kind(client_for, participant, organisation):
    client_for(participant).post(
        edit(organisation), {"name": "Kringloop Zwolle", "kind": Organisation.Kind.COOPERATIVE}
    )
    organisation.refresh_from_db()
    assert organisation.kind == Organisation.Kind.PARTICIPANT


def test_bad_input_keeps_what_was_saved(client_for, participant, organisation):
    response = client_for(participant).post(edit(organisation), {"name": "", "website": "geen url"})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text
    organisation.refresh_from_db()
    assert organisation.name == "Kringloop Zwolle"


def test_user_text_is_escaped(client_for, participant, organisation):
    organisation.mission = "<script>alert(1)</script>"
    organisation.save()
    response = client_for(participant).get(detail(organisation))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_only_coordinators_create_organisations(client_for, coordinator, trainer):
    url = reverse("organisations:create")
    assert client_for(trainer).post(url, {"name": "X", "kind": "participant"}).status_code == 403
    response = client_for(coordinator).post(url, {"name": "Kringloop Nieuw", "kind": "participant"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Kringloop Nieuw").exists()


def test_list_is_scoped_to_the_person(client_for, outsider, organisation, other_organisation):
    response = client_for(outsider).get(reverse("organisations:list"))
    assert other_organisation.name in response.text
    assert organisation.name not in response.text


def test_coordinator_lists_every_organisation(
    client_for, coordinator, organisation, other_organisation
):
    response = client_for(coordinator).get(reverse("organisations:list"))
    assert organisation.name in response.text and other_organisation.name in response.text
