"""The pages hand their includes what the person may do: the feedback thread and the
starter kit come from the view, not from template tags that ask the database."""

import pytest
from django.template import engines
from django.urls import reverse

from impact.models import Step
from tests.factories import CommentFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "can_comment", "can_respond"),
    [("trainer", True, True), ("coordinator", True, True), ("participant", False, True)],
)
def test_the_step_page_brings_its_feedback_thread(
    request, client_for, worksheet, trainer, role, can_comment, can_respond
):
    CommentFactory(worksheet=worksheet, step=Step.STAKEHOLDERS, author=trainer, body="Wie?")
    CommentFactory(worksheet=worksheet, step=Step.EFFECTS, author=trainer, body="Elders")
    client = client_for(request.getfixturevalue(role))
    response = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2]))
    assert response.status_code == 200
    thread = response.context["thread"]
    assert [c.body for c in thread.comments] == ["Wie?"]
    assert (thread.open_count, thread.can_comment, thread.can_respond) == (
        1,
        can_comment,
        can_respond,
    )
    assert (thread.comment_form is not None) is can_comment
    assert (
        f'action="{reverse("impact:comment_create", args=[worksheet.pk, 2])}"' in response.text
    ) is can_comment


def test_the_feedback_page_brings_its_thread(client_for, worksheet, trainer):
    response = client_for(trainer).get(reverse("impact:step_comments", args=[worksheet.pk, 4]))
    assert response.status_code == 200
    assert response.context["thread"].step == 4
    assert response.context["thread"].can_comment is True


@pytest.mark.parametrize(("role", "can_pick"), [("participant", True), ("trainer", False)])
def test_the_starter_kit_says_who_may_pick(request, client_for, worksheet, role, can_pick):
    StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    client = client_for(request.getfixturevalue(role))
    response = client.get(reverse("impact:suggestion_picker", args=[worksheet.pk, "effect"]))
    assert response.status_code == 200
    picker = response.context["picker"]
    assert (picker.can_pick, picker.target_field) == (can_pick, "stakeholder")
    assert [str(t) for t in picker.targets] == ["Jobcoaches"]
    assert (f'id="pick-{worksheet.pk}-stakeholder"' in response.text) is can_pick


def test_the_includes_ask_the_database_nothing(
    client_for, worksheet, trainer, participant, django_assert_num_queries
):
    """What the thread and the starter kit show is in the context when the page renders."""
    CommentFactory(worksheet=worksheet, step=Step.STAKEHOLDERS, author=trainer, body="Wie?")
    django = engines["django"]
    thread = client_for(trainer).get(reverse("impact:step_comments", args=[worksheet.pk, 2]))
    picker = client_for(participant).get(
        reverse("impact:suggestion_picker", args=[worksheet.pk, "stakeholder"])
    )
    for response, name in [(thread, "_step_comments"), (picker, "_suggestions_picker")]:
        context = {
            k: response.context[k]
            for k in ("worksheet", "thread", "picker", "kind", "step")
            if k in response.context
        }
        template = django.get_template(f"impact/{name}.html")
        with django_assert_num_queries(0):
            html = template.render({**context, "csrf_token": "x"}, request=response.wsgi_request)
        assert f"-{worksheet.pk}-" in html
