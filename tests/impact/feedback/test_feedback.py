"""Trainer feedback: comments on a step or row, replies, resolving and the open counts."""

import pytest
from django.urls import reverse

from impact.models import Comment, Step
from impact.worksheet.selectors import open_comment_counts
from tests.factories import (
    CohortFactory,
    CommentFactory,
    EffectFactory,
    StakeholderFactory,
    WorksheetFactory,
)


@pytest.fixture
def worksheet(organisation, cohort):
    return WorksheetFactory(enrolment=organisation.enrolments.get(cohort=cohort))


@pytest.fixture
def comment(worksheet, trainer):
    return CommentFactory(worksheet=worksheet, step=Step.STAKEHOLDERS, author=trainer)


def thread(worksheet, step=Step.STAKEHOLDERS):
    return reverse("impact:step_comments", args=[worksheet.pk, step])


def create(worksheet, step=Step.STAKEHOLDERS):
    return reverse("impact:comment_create", args=[worksheet.pk, step])


def test_anonymous_is_sent_to_login(client, worksheet, comment):
    pages = [thread(worksheet), reverse("impact:open_feedback", args=[worksheet.pk])]
    actions = [create(worksheet)] + [
        reverse(f"impact:{name}", args=[comment.pk])
        for name in ["comment_reply", "comment_resolve", "comment_reopen"]
    ]
    responses = [client.get(url) for url in pages] + [client.post(url) for url in actions]
    for response in responses:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["outsider", "fellow", "other_trainer"])
def test_outsiders_get_404_everywhere(client_for, request, who, worksheet, comment):
    client = client_for(request.getfixturevalue(who))
    assert client.get(thread(worksheet)).status_code == 404
    assert client.get(reverse("impact:open_feedback", args=[worksheet.pk])).status_code == 404
    assert client.post(create(worksheet), {"body": "Hallo"}).status_code == 404
    assert (
        client.post(reverse("impact:comment_reply", args=[comment.pk]), {"body": "x"}).status_code
        == 404
    )
    assert client.post(reverse("impact:comment_resolve", args=[comment.pk])).status_code == 404
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("who", ["participant", "colleague", "trainer", "coordinator"])
def test_people_of_the_worksheet_read_the_thread(client_for, request, who, worksheet, comment):
    response = client_for(request.getfixturevalue(who)).get(thread(worksheet))
    assert response.status_code == 200
    assert comment.body in response.text
    open_page = client_for(request.getfixturevalue(who)).get(
        reverse("impact:open_feedback", args=[worksheet.pk])
    )
    assert open_page.status_code == 200
    assert open_page.context["open_count"] == 1


def test_get_on_post_only_urls_is_405(client_for, trainer, worksheet, comment):
    client = client_for(trainer)
    assert client.get(create(worksheet)).status_code == 405
    for name in ["comment_reply", "comment_resolve", "comment_reopen"]:
        assert client.get(reverse(f"impact:{name}", args=[comment.pk])).status_code == 405


def test_participant_may_not_give_feedback(client_for, participant, worksheet):
    response = client_for(participant).post(create(worksheet), {"body": "Zelf commentaar"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["trainer", "coordinator"])
def test_reviewers_comment_on_a_step(client_for, request, who, worksheet):
    response = client_for(request.getfixturevalue(who)).post(
        create(worksheet), {"body": "Wie ontbreekt er nog?", "next": "/elders"}
    )
    assert response.status_code == 302
    assert response.url == "/elders"
    comment = Comment.objects.get()
    assert comment.step == Step.STAKEHOLDERS
    assert comment.author == request.getfixturevalue(who)
    assert comment.row_type == "" and comment.row_id is None


def test_next_to_another_site_is_ignored(client_for, trainer, worksheet):
    response = client_for(trainer).post(
        create(worksheet), {"body": "Wie ontbreekt?", "next": "https://evil.example.com/"}
    )
    assert response.url == thread(worksheet)


def test_trainer_comments_on_one_row(client_for, trainer, worksheet):
    effect = EffectFactory(worksheet=worksheet)
    response = client_for(trainer).post(
        create(worksheet, Step.EFFECTS), {"about": f"effect:{effect.pk}", "body": "Meetbaar?"}
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.row_type, comment.row_id, comment.step) == ("effect", effect.pk, Step.EFFECTS)


def test_a_row_of_another_worksheet_is_refused(client_for, trainer, worksheet, fellow_organisation):
    other = WorksheetFactory(enrolment=fellow_organisation.enrolments.get())
    foreign = EffectFactory(worksheet=other)
    response = client_for(trainer).post(
        create(worksheet, Step.EFFECTS), {"about": f"effect:{foreign.pk}", "body": "Meetbaar?"}
    )
    assert response.status_code == 400
    assert "about" in response.context["comment_form"].errors
    assert not Comment.objects.exists()


def test_a_row_of_another_step_is_refused(client_for, trainer, worksheet):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    response = client_for(trainer).post(
        create(worksheet, Step.EFFECTS), {"about": f"stakeholder:{stakeholder.pk}", "body": "?"}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_empty_feedback_gets_a_form_error(client_for, trainer, worksheet, comment):
    response = client_for(trainer).post(create(worksheet), {"body": ""})
    assert response.status_code == 400
    assert "body" in response.context["comment_form"].errors
    assert Comment.objects.count() == 1


def test_unknown_step_is_404(client_for, trainer, worksheet):
    assert client_for(trainer).get(thread(worksheet, 9)).status_code == 404


@pytest.mark.parametrize("who", ["participant", "colleague", "trainer"])
def test_people_of_the_worksheet_reply(client_for, request, who, comment):
    person = request.getfixturevalue(who)
    response = client_for(person).post(
        reverse("impact:comment_reply", args=[comment.pk]), {"body": "Aangevuld, dank je."}
    )
    assert response.status_code == 302
    reply = comment.replies.get()
    assert (reply.author, reply.step, reply.worksheet) == (person, comment.step, comment.worksheet)


def test_a_reply_to_a_reply_joins_the_thread(client_for, participant, comment, trainer):
    reply = CommentFactory(worksheet=comment.worksheet, parent=comment, author=trainer)
    client_for(participant).post(
        reverse("impact:comment_reply", args=[reply.pk]), {"body": "Nog een reactie"}
    )
    assert comment.replies.count() == 2


def test_withdrawn_participant_may_read_but_not_reply(client_for, participant, comment):
    from django.utils import timezone

    enrolment = comment.worksheet.enrolment
    enrolment.withdrawn_at = timezone.now()
    enrolment.save()
    client = client_for(participant)
    assert client.get(thread(comment.worksheet)).status_code == 200
    response = client.post(reverse("impact:comment_reply", args=[comment.pk]), {"body": "Hoi"})
    assert response.status_code == 403
    assert client.post(reverse("impact:comment_resolve", args=[comment.pk])).status_code == 403
    assert not comment.replies.exists()


def test_participant_resolves_and_reopens(client_for, participant, comment):
    client = client_for(participant)
    assert client.post(reverse("impact:comment_resolve", args=[comment.pk])).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_at is not None and comment.resolved_by == participant
    assert client.post(reverse("impact:comment_reopen", args=[comment.pk])).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_at is None and comment.resolved_by is None


def test_replies_cannot_be_resolved_on_their_own(client_for, trainer, comment):
    reply = CommentFactory(worksheet=comment.worksheet, parent=comment, author=trainer)
    response = client_for(trainer).post(reverse("impact:comment_resolve", args=[reply.pk]))
    assert response.status_code == 404


def test_htmx_gets_the_thread_fragment(client_for, trainer, worksheet):
    response = client_for(trainer).post(
        create(worksheet), {"body": "Mooi zo"}, headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'class="step-comments"' in response.text
    assert "Mooi zo" in response.text


def test_user_text_is_escaped(client_for, trainer, worksheet):
    client_for(trainer).post(create(worksheet), {"body": "<script>alert(1)</script>"})
    response = client_for(trainer).get(thread(worksheet))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_participants_see_no_form_to_give_feedback(client_for, participant, worksheet, comment):
    response = client_for(participant).get(thread(worksheet))
    assert reverse("impact:comment_create", args=[worksheet.pk, Step.STAKEHOLDERS]) not in (
        response.text
    )
    assert reverse("impact:comment_reply", args=[comment.pk]) in response.text


def test_open_counts_per_worksheet_in_one_query(
    django_assert_num_queries, worksheet, trainer, fellow_organisation
):
    other = WorksheetFactory(enrolment=fellow_organisation.enrolments.get())
    first = CommentFactory(worksheet=worksheet, author=trainer)
    CommentFactory(worksheet=worksheet, author=trainer, step=Step.EFFECTS)
    CommentFactory(worksheet=worksheet, author=trainer, parent=first)  # a reply: not counted
    resolved = CommentFactory(worksheet=other, author=trainer)
    resolved.resolved_at = resolved.created_at
    resolved.save()
    CommentFactory(worksheet=other, author=trainer)
    with django_assert_num_queries(1):
        counts = open_comment_counts(worksheets=[worksheet.pk, other.pk])
    assert counts == {worksheet.pk: 2, other.pk: 1}


def test_thread_queries_do_not_grow_with_comments(
    client_for, django_assert_max_num_queries, trainer, worksheet
):
    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client_for(trainer).get(thread(worksheet)).status_code == 200
        return len(context)

    comment = CommentFactory(worksheet=worksheet, author=trainer)
    CommentFactory(worksheet=worksheet, author=trainer, parent=comment)
    few = measure()
    for _ in range(10):
        comment = CommentFactory(worksheet=worksheet, author=trainer)
        CommentFactory(worksheet=worksheet, author=trainer, parent=comment)
    assert measure() == few
    with django_assert_max_num_queries(few):
        client_for(trainer).get(thread(worksheet))


def test_cohort_trainer_of_another_cohort_cannot_comment(client_for, other_trainer, worksheet):
    CohortFactory(trainers=[other_trainer])
    assert client_for(other_trainer).post(create(worksheet), {"body": "x"}).status_code == 404


def test_thread_page_query_count(client_for, django_assert_num_queries, trainer, worksheet):
    comment = CommentFactory(worksheet=worksheet, author=trainer)
    CommentFactory(worksheet=worksheet, author=trainer, parent=comment)
    client = client_for(trainer)
    # session, user, worksheet, roles; comments, replies; reviewer check (trainer of cohort);
    # the step's stakeholders for the row choices of the form.
    with django_assert_num_queries(8):
        client.get(thread(worksheet))
