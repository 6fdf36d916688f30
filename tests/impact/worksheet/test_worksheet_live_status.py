"""A save in place answers with the step's hints and states as they are now: the autosave
JSON carries their HTML, and htmx answers carry them as out-of-band swaps."""

from html.parser import HTMLParser

import pytest

from impact.models import StepReview
from tests.factories import (
    EffectFactory,
    IndicatorFactory,
    StakeholderFactory,
    StepReviewFactory,
)
from tests.impact.worksheet_helpers import (
    STAKEHOLDER,
    create_url,
    new_data,
    row_url,
    update_data,
)

pytestmark = pytest.mark.django_db
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}
HTMX = {"HTTP_HX_REQUEST": "true"}
STATUS_IDS = ("ws-health", "ws-steps", "ws-review")


class _Element(HTMLParser):
    """The outer HTML of the element with one id, and its attributes."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col"}

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.parts, self.attrs = wanted, 0, [], None

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and dict(attrs).get("id") == self.wanted and self.attrs is None:
            self.attrs = dict(attrs)
            self.depth = 1
            self.parts.append(self.get_starttag_text())
            return
        if self.depth:
            self.parts.append(self.get_starttag_text())
            if tag not in self.VOID:
                self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.parts.append(f"</{tag}>")
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element(html: str, dom_id: str) -> tuple[str, dict | None]:
    parser = _Element(dom_id)
    parser.feed(html)
    return "".join(parser.parts), parser.attrs


def autosave(client, url, data) -> str:
    response = client.post(url, data, **AUTOSAVE)
    assert response.status_code == 200
    return response.json()["step_status"]


def test_a_renamed_stakeholder_shows_its_new_name_in_the_hints(client_for, participant, worksheet):
    # Material and without an effect: step 2 has a hint that names it.
    stakeholder = StakeholderFactory(worksheet=worksheet, name="Buren", is_material=True)
    status = autosave(
        client_for(participant),
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "name": "Buurtbewoners"}),
    )
    hints, _attrs = element(status, "ws-health")
    assert f"#row-stakeholder-{stakeholder.pk}" in hints
    assert "Buurtbewoners" in hints
    assert "Buren" not in hints


def test_a_filled_baseline_takes_its_hint_away(client_for, participant, worksheet):
    indicator = IndicatorFactory(effect=EffectFactory(worksheet=worksheet), baseline=None)
    data = {
        "name": indicator.name,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "baseline": "5,2",
        "target": "7",
        "source": "Vragenlijst",
        "method": indicator.method,
    }
    status = autosave(
        client_for(participant),
        row_url("update", worksheet, "indicator", indicator.pk),
        update_data("indicator", indicator, data),
    )
    indicator.refresh_from_db()
    assert str(indicator.baseline) == "5.20"
    hints, attrs = element(status, "ws-health")
    assert attrs is not None
    assert f"row-indicator-{indicator.pk}" not in hints


def test_the_first_save_moves_the_step_out_of_not_started(client_for, participant, worksheet):
    status = autosave(
        client_for(participant),
        row_url("update", worksheet, "scope", worksheet.pk),
        update_data("scope", worksheet, {"impact_goal": "Eén op drie vindt betaald werk."}),
    )
    nav, _attrs = element(status, "ws-steps")
    review, _attrs = element(status, "ws-review")
    step_1 = nav.split('aria-current="step"')[1].split("</a>")[0]
    assert "state-draft" in step_1 and "state-not_started" not in step_1
    assert "state-draft" in review
    assert str(StepReview.State.DRAFT.label) in review


def test_htmx_answers_carry_the_hints_and_states_out_of_band(client_for, participant, worksheet):
    client = client_for(participant)
    created = client.post(
        create_url(worksheet, "stakeholder"),
        new_data("stakeholder", {**STAKEHOLDER, "name": "Jobcoaches"}),
        **HTMX,
    )
    assert created.status_code == 200
    stakeholder = worksheet.stakeholders.get(name="Jobcoaches")
    other = StakeholderFactory(worksheet=worksheet, position=5)
    moved = client.post(row_url("move", worksheet, "stakeholder", other.pk, "up"), **HTMX)
    saved = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        {**update_data("stakeholder", stakeholder, STAKEHOLDER), "done": "1"},
        **HTMX,
    )
    removed = client.post(
        row_url("delete", worksheet, "stakeholder", other.pk), {"version": 1}, **HTMX
    )
    for response in (created, moved, saved, removed):
        assert response.status_code == 200
        for dom_id in STATUS_IDS:
            _html, attrs = element(response.text, dom_id)
            assert attrs is not None and attrs.get("data-hx-swap-oob") == "true", dom_id
    # The hint about the new stakeholder arrives with the row that was added.
    hints, _attrs = element(created.text, "ws-health")
    assert f"#row-stakeholder-{stakeholder.pk}" in hints


def test_answers_that_change_nothing_leave_the_hints_and_states_alone(
    client_for, participant, worksheet
):
    stakeholder = StakeholderFactory(worksheet=worksheet)
    client = client_for(participant)
    opened = client.get(row_url("edit", worksheet, "stakeholder", stakeholder.pk), **HTMX)
    refused = client.post(
        row_url("update", worksheet, "stakeholder", stakeholder.pk),
        update_data("stakeholder", stakeholder, {**STAKEHOLDER, "group_size": "-3"}),
        **HTMX,
    )
    assert (opened.status_code, refused.status_code) == (200, 422)
    for response in (opened, refused):
        assert 'hx-swap-oob="true"' not in response.text


@pytest.mark.parametrize("rows", [3, 30])
def test_a_save_answer_costs_the_same_for_any_number_of_rows(
    client_for, participant, worksheet, django_assert_max_num_queries, rows
):
    stakeholders = StakeholderFactory.create_batch(rows, worksheet=worksheet, is_material=True)
    StepReviewFactory(worksheet=worksheet, step=2, state=StepReview.State.DRAFT)
    client = client_for(participant)
    target = stakeholders[0]
    # Session, user, roles, worksheet, may edit, the row (6); in a savepoint (2) the
    # conditional update, the row again, its revision, the step review (get or create) (4);
    # and for the hints and states: the step reviews with who changed them (1), the material
    # stakeholders without an effect (1) and whether the person reviews (1, for the step's
    # review buttons).
    with django_assert_max_num_queries(15):  # (an autosave answer has no feedback marker)
        autosave(
            client,
            row_url("update", worksheet, "stakeholder", target.pk),
            update_data("stakeholder", target, {**STAKEHOLDER, "name": "Nieuwe naam"}),
        )
