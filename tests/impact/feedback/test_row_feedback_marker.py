"""A row with trainer feedback carries a marker that counts it and leads to the thread."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommentFactory, StakeholderFactory
from tests.impact.worksheet_helpers import row_url

pytestmark = pytest.mark.django_db


def step_2(client, worksheet) -> str:
    response = client.get(reverse("impact:worksheet_step", args=[worksheet.pk, 2]))
    assert response.status_code == 200
    return response.text


def row_html(page: str, stakeholder) -> str:
    return page.split(f'id="row-stakeholder-{stakeholder.pk}"')[1].split("</article>")[0]


def comment_on(stakeholder, trainer, *, resolved: bool = False):
    return CommentFactory(
        worksheet=stakeholder.worksheet,
        step=2,
        author=trainer,
        row_type="stakeholder",
        row_id=stakeholder.pk,
        resolved_at=timezone.now() if resolved else None,
    )


@pytest.mark.parametrize("who", ["participant", "trainer"])
def test_a_row_with_feedback_shows_how_much_is_open_and_links_to_it(
    request, client_for, worksheet, trainer, who
):
    discussed = StakeholderFactory(worksheet=worksheet, name="Jobcoaches")
    settled = StakeholderFactory(worksheet=worksheet, name="Gemeente")
    quiet = StakeholderFactory(worksheet=worksheet, name="Klanten")
    first = comment_on(discussed, trainer, resolved=True)
    comment_on(discussed, trainer)
    comment_on(settled, trainer, resolved=True)
    comment_on(settled, trainer, resolved=True)
    # A reply is part of its thread, not a thread of its own.
    CommentFactory(
        worksheet=worksheet, step=2, parent=first, row_type="stakeholder", row_id=discussed.pk
    )
    page = step_2(client_for(request.getfixturevalue(who)), worksheet)

    marker = row_html(page, discussed).split('class="ws-row-comments"')[1].split("</p>")[0]
    assert f'href="#comment-{first.pk}"' in marker
    assert "1 open opmerking" in marker
    assert f'id="comment-{first.pk}"' in page  # the thread it leads to is on the page
    assert "2 opmerkingen" in row_html(page, settled)
    assert "ws-row-comments" not in row_html(page, quiet)


def test_the_marker_comes_back_with_a_row_opened_in_place(
    client_for, participant, worksheet, trainer
):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    comment_on(stakeholder, trainer)
    response = client_for(participant).get(
        row_url("edit", worksheet, "stakeholder", stakeholder.pk), HTTP_HX_REQUEST="true"
    )
    assert "1 open opmerking" in response.text


@pytest.mark.parametrize("rows", [3, 30])
def test_markers_cost_one_query_for_the_whole_page(
    client_for, participant, worksheet, trainer, django_assert_num_queries, rows
):
    for stakeholder in StakeholderFactory.create_batch(rows, worksheet=worksheet):
        comment_on(stakeholder, trainer)
    client = client_for(participant)
    step_2(client, worksheet)
    # The step page of a participant (11, see test_worksheet_queries), plus the labels and the
    # replies of the rows' comments in the thread below (2): the same for 3 rows as for 30.
    with django_assert_num_queries(13):
        page = step_2(client, worksheet)
    assert page.count('class="ws-row-comments"') == rows
