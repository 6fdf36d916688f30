"""A step state has one colour wherever it shows: the worksheet's navigation and start page,
the ronde's grid and the dashboard."""

import pytest

from impact.models import StepReview
from tests.factories import StepReviewFactory
from tests.impact.worksheet_helpers import worksheet_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

State = StepReview.State
STATES = {1: State.APPROVED, 2: State.SUBMITTED, 3: State.RETURNED, 4: State.DRAFT}

# Every element that shows a state: its state class, colours and visible text.
SHOWN_STATES = """
() => Array.from(document.querySelectorAll('main [class*="state-"]')).flatMap((el) => {
  const state = Array.from(el.classList).find((c) => /^state-(?!legend)/.test(c));
  if (!state) return [];
  const style = getComputedStyle(el);
  return [[state.slice(6), style.backgroundColor, style.color, el.textContent.trim()]];
})
"""


def test_each_state_has_one_colour_on_every_page(
    page, live_server, sign_in, participant, trainer, organisation, cohort
):
    worksheet = worksheet_of(organisation, cohort)
    for step, state in STATES.items():
        StepReviewFactory(worksheet=worksheet, step=step, state=state)
    pages = {
        participant: [
            f"/werkbladen/{worksheet.pk}/stap/4/",
            f"/werkbladen/{worksheet.pk}/",
            "/",
        ],
        trainer: [f"/rondes/{cohort.pk}/werkbladen/"],
    }
    colours: dict[str, set] = {}
    for person, paths in pages.items():
        page.context.clear_cookies()
        sign_in(page, person)
        for path in paths:
            page.goto(live_server.url + path)
            shown = page.evaluate(SHOWN_STATES)
            # All five states show on every page (step 5 and 6 are not started).
            assert {state for state, *_rest in shown} == set(State.values), path
            for state, background, colour, text in shown:
                colours.setdefault(state, set()).add((background, colour))
                # Not by colour alone: the state is always written too.
                assert text, (path, state)
    assert all(len(pairs) == 1 for pairs in colours.values()), colours
    # …and no two states look the same.
    assert len({pairs.pop() for pairs in colours.values()}) == len(State.values)
