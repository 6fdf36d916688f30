"""The step pages come from the fragments cache, and are never stale, secret or writing.

The rest of the suite runs with the cache off (its query counts pin the pages as they
render); these tests turn it on.
"""

import pickle
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impact.models import Step
from impact.worksheet import presenters
from tests.factories import CommentFactory, StakeholderFactory
from tests.impact.worksheet.test_worksheet_queries import fill
from tests.impact.worksheet_helpers import STAKEHOLDER, row_url, update_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.IMPACTLAB_PAGE_CACHE = True


def step_url(worksheet, step: int = Step.STAKEHOLDERS) -> str:
    return reverse("impact:worksheet_step", args=[worksheet.pk, step])


def without_tokens(html: str) -> str:
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


def cached_texts() -> list[str]:
    """Everything in the fragments cache (the test cache is the in-memory one)."""
    return [pickle.loads(value) for value in caches["fragments"]._cache.values()]


def test_a_cached_page_shows_a_colleagues_save_at_once(
    client_for, participant, colleague, trainer, worksheet
):
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Werkleerdeelnemers")
    mine, theirs, reviewer = client_for(participant), client_for(colleague), client_for(trainer)
    for client in (mine, reviewer):
        client.get(step_url(worksheet))
        assert "Werkleerdeelnemers" in client.get(step_url(worksheet)).text  # from the cache
    assert any("Werkleerdeelnemers" in text for text in cached_texts())

    response = theirs.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Jobcoaches"}),
    )
    assert response.status_code == 302

    for client in (mine, reviewer):
        page = client.get(step_url(worksheet)).text
        assert "Jobcoaches" in page
        assert "Werkleerdeelnemers" not in page


def test_feedback_and_reviews_show_on_a_cached_page(client_for, participant, trainer, worksheet):
    StakeholderFactory(worksheet=worksheet)
    client = client_for(participant)
    client.get(step_url(worksheet))
    CommentFactory(worksheet=worksheet, step=Step.STAKEHOLDERS, author=trainer, body="Wie nog?")
    assert "Wie nog?" in client.get(step_url(worksheet)).text
    submitted = client.post(reverse("impact:step_review", args=[worksheet.pk, 2, "submit"]))
    assert submitted.status_code == 302
    client.get(reverse("impact:worksheet", args=[worksheet.pk]))  # the message shows there
    assert 'class="state state-submitted"' in client.get(step_url(worksheet)).text


def test_a_cached_page_is_the_page_as_it_renders(settings, client_for, participant, worksheet):
    fill(worksheet, 3)
    client = client_for(participant)
    for step in Step.values:
        settings.IMPACTLAB_PAGE_CACHE = False
        rendered = client.get(step_url(worksheet, step)).text
        settings.IMPACTLAB_PAGE_CACHE = True
        first = client.get(step_url(worksheet, step)).text
        cached = client.get(step_url(worksheet, step)).text
        assert without_tokens(cached) == without_tokens(first) == without_tokens(rendered)


def test_colleagues_share_the_rows_but_not_the_header(
    client_for, participant, colleague, worksheet, django_assert_max_num_queries
):
    StakeholderFactory(worksheet=worksheet, name="Werkleerdeelnemers")
    assert "Dewi" in client_for(participant).get(step_url(worksheet)).text
    client = client_for(colleague)
    # Session, user, roles, and the worksheet with both rights: the rows are cached.
    with django_assert_max_num_queries(4):
        page = client.get(step_url(worksheet)).text
    assert "Werkleerdeelnemers" in page
    assert "Kees" in page
    assert "Dewi" not in page


def test_the_cache_holds_no_csrf_token_and_each_page_its_own(client_for, participant, worksheet):
    StakeholderFactory(worksheet=worksheet)
    client = client_for(participant)
    client.get(step_url(worksheet))
    page = client.get(step_url(worksheet)).text
    tokens = set(TOKEN.findall(page))
    assert tokens and presenters.CSRF_SLOT not in page
    texts = cached_texts()
    assert texts and all(not (set(TOKEN.findall(text)) - {presenters.CSRF_SLOT}) for text in texts)
    assert all(token not in text for token in tokens for text in texts)
    # A save with the token the cached page carried goes through.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(participant)
    token = TOKEN.search(strict.get(step_url(worksheet)).text).group(1)
    stakeholder = worksheet.stakeholders.get()
    data = update_data("stakeholder", stakeholder, STAKEHOLDER)
    saved = strict.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        {**data, "csrfmiddlewaretoken": token},
    )
    assert saved.status_code == 302


@pytest.mark.parametrize("cached", [False, True])
def test_a_step_page_get_never_writes(
    settings, client_for, participant, trainer, worksheet, cached
):
    settings.IMPACTLAB_PAGE_CACHE = cached
    fill(worksheet, 3)
    for person in (participant, trainer):
        client = client_for(person)
        for step in Step.values:
            client.get(step_url(worksheet, step))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(step_url(worksheet, step)).status_code == 200
            writes = [
                q["sql"]
                for q in queries.captured_queries
                if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            ]
            assert writes == []


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("who", ["participant", "trainer"])
def test_a_cached_page_costs_four_queries_for_any_number_of_rows(
    request, client_for, worksheet, django_assert_max_num_queries, who, rows
):
    fill(worksheet, rows)
    client = client_for(request.getfixturevalue(who))
    for step in Step.values:
        client.get(step_url(worksheet, step))
        # Session, user, roles, and the worksheet with both rights.
        with django_assert_max_num_queries(4):
            assert client.get(step_url(worksheet, step)).status_code == 200


def test_english_and_dutch_are_kept_apart(client_for, participant, worksheet):
    StakeholderFactory(worksheet=worksheet)
    client = client_for(participant)
    assert "Stap 2" in client.get(step_url(worksheet)).text
    client.cookies["django_language"] = "en"
    assert "Step 2" in client.get(step_url(worksheet)).text
    client.cookies["django_language"] = "nl"
    assert "Stap 2" in client.get(step_url(worksheet)).text
