"""Accessibility: axe-core on every main page, keyboard-only sign-in and phone widths.

axe-core comes from npm (`npm ci` installs node_modules/axe-core; see package.json) and is
injected into the page under test; nothing is fetched from another site.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from impact.peer_review.services import submit_review
from organisations.models import Role
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    AttendanceFactory,
    CommentFactory,
    EffectFactory,
    IndicatorFactory,
    InvitationFactory,
    PeerReviewAssignmentFactory,
    PeerReviewRoundFactory,
    ResultFactory,
    SessionFactory,
    StaffInvitationFactory,
    StepReviewFactory,
    SuggestionFactory,
    TrainingFactory,
    WorksheetFactory,
    enrol_organisations,
    make_person,
)
from trainings.models import Enrolment
from trainings.notifications import unsubscribe_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
INVITATION_TOKEN = "toegankelijk-uitnodiging"
STAFF_INVITATION_TOKEN = "toegankelijk-team"


@dataclass(frozen=True)
class Page:
    """A page to audit: who looks at it (a cast fixture, or None) and how to reach it."""

    name: str
    role: str | None
    path: Callable[[dict], str]
    status: int = 200


# The pages to audit, one row each. `world` (below) holds the objects a path needs; add the
# worksheet and report pages here as rows.
PAGES = [
    Page("login", None, lambda w: "/accounts/login/"),
    Page("password reset", None, lambda w: "/accounts/password/reset/"),
    Page("invitation acceptance", None, lambda w: f"/uitnodiging/{INVITATION_TOKEN}/"),
    Page("404", None, lambda w: "/bestaat-niet/", status=404),
    Page("404 signed in", "participant", lambda w: "/bestaat-niet/", status=404),
    Page("dashboard", "coordinator", lambda w: "/"),
    Page("dashboard", "trainer", lambda w: "/"),
    Page("dashboard", "participant", lambda w: "/"),
    Page("organisation list", "coordinator", lambda w: "/organisaties/"),
    Page("organisation detail", "coordinator", lambda w: w["organisation"].get_absolute_url()),
    Page("organisation detail", "participant", lambda w: w["organisation"].get_absolute_url()),
    Page(
        "organisation edit",
        "coordinator",
        lambda w: f"/organisaties/{w['organisation'].pk}/bewerken/",
    ),
    Page(
        "organisation edit",
        "participant",
        lambda w: f"/organisaties/{w['organisation'].pk}/bewerken/",
    ),
    Page("programme list", "coordinator", lambda w: "/programmas/"),
    Page("programme detail", "coordinator", lambda w: w["programme"].get_absolute_url()),
    Page("training detail", "coordinator", lambda w: w["training"].get_absolute_url()),
    Page(
        "programme rondes side by side",
        "coordinator",
        lambda w: f"/programmas/{w['programme'].pk}/rondes-naast-elkaar/",
    ),
    Page("training detail", "trainer", lambda w: w["training"].get_absolute_url()),
    Page("cohort list", "coordinator", lambda w: "/rondes/"),
    Page("cohort list", "trainer", lambda w: "/rondes/"),
    Page("new cohort: which training", "coordinator", lambda w: "/rondes/nieuw/"),
    Page("cohort detail", "trainer", lambda w: w["cohort"].get_absolute_url()),
    Page("cohort detail", "participant", lambda w: w["cohort"].get_absolute_url()),
    Page("cohort create", "trainer", lambda w: f"/trainingen/{w['training'].pk}/rondes/nieuw/"),
    Page("cohort edit", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/bewerken/"),
    Page("session create", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/dagdelen/nieuw/"),
    Page("session edit", "trainer", lambda w: f"/dagdelen/{w['session'].pk}/bewerken/"),
    Page("attendance", "trainer", lambda w: f"/dagdelen/{w['session'].pk}/aanwezigheid/"),
    Page("enrolment form", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/organisaties/nieuw/"),
    Page("invitation form", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/uitnodigen/"),
    # The Team: roles and invitations to one.
    Page("team", "coordinator", lambda w: "/team/"),
    Page(
        "take a role away", "coordinator", lambda w: f"/team/rollen/{w['trainer_role'].pk}/afnemen/"
    ),
    Page(
        "take own last coordinator role",
        "coordinator",
        lambda w: f"/team/rollen/{w['coordinator_role'].pk}/afnemen/",
    ),
    Page(
        "team invitation acceptance", None, lambda w: f"/team/uitnodiging/{STAFF_INVITATION_TOKEN}/"
    ),
    # Impact worksheets, feedback, the starter kit and the cohort-wide views.
    Page("worksheet start", "participant", lambda w: f"/werkbladen/{w['worksheet'].pk}/"),
    *[
        Page(f"worksheet step {step}", "participant", lambda w, s=step: step_url(w, s))
        for step in range(1, 7)
    ],
    Page("worksheet step 4", "trainer", lambda w: step_url(w, 4)),
    Page(
        "worksheet changes",
        "participant",
        lambda w: f"/werkbladen/{w['worksheet'].pk}/geschiedenis/",
    ),
    Page("open feedback", "participant", lambda w: f"/werkbladen/{w['worksheet'].pk}/feedback/"),
    Page("cohort worksheets", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/werkbladen/"),
    Page("side by side", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/naast-elkaar/4/"),
    Page(
        "presentation",
        "trainer",
        lambda w: f"/rondes/{w['cohort'].pk}/naast-elkaar/4/presenteren/?anoniem=1",
    ),
    Page("starter kit", "coordinator", lambda w: "/startpakket/"),
    Page(
        "worksheet reports", "participant", lambda w: f"/werkbladen/{w['worksheet'].pk}/rapporten/"
    ),
    Page("cohort reports", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/rapporten/"),
    Page("who shares what", "participant", lambda w: f"/rondes/{w['cohort'].pk}/samenwerking/"),
    Page("who shares what", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/samenwerking/"),
    Page("mail settings", "participant", lambda w: "/mail/instellingen/"),
    Page("mail unsubscribe", None, lambda w: f"/mail/afmelden/{w['unsubscribe']}/"),
    # Peer review ("leren van elkaar").
    Page("peer rounds", "trainer", lambda w: f"/rondes/{w['cohort'].pk}/leren-van-elkaar/"),
    Page("peer round", "trainer", lambda w: f"/leren-van-elkaar/rondes/{w['peer'].round_id}/"),
    Page("peer reviews", "participant", lambda w: "/leren-van-elkaar/"),
    Page("peer reviews", "fellow", lambda w: "/leren-van-elkaar/"),
    Page(
        "peer review step",
        "fellow",
        lambda w: f"/leren-van-elkaar/koppelingen/{w['peer'].pk}/stap/2/",
    ),
]


def step_url(world: dict, step: int) -> str:
    return f"/werkbladen/{world['worksheet'].pk}/stap/{step}/"


@pytest.fixture
def world(
    training, trainer, cohort, organisation, participant, fellow, session, coordinator
) -> dict:
    """A running round as the demo has it: sessions, organisations, people and invitations."""
    training.trainers.add(trainer)
    SessionFactory(cohort=cohort, title="Dagdeel 2: de juiste dingen doen")
    # An upcoming dagdeel, for the participant's "voor het volgende dagdeel".
    SessionFactory(
        cohort=cohort,
        title="Dagdeel 3: de dingen goed doen",
        date=timezone.localdate() + dt.timedelta(days=2),
        steps=[5, 6],
    )
    enrol_organisations(cohort, 3)
    make_person(organisation, Role.PARTICIPANT, email="collega@example.org")
    AttendanceFactory(session=session, person=participant)
    InvitationFactory(cohort=cohort, organisation=organisation, email="nieuw@example.org")
    InvitationFactory(
        cohort=cohort, organisation=organisation, email="welkom@example.org", token=INVITATION_TOKEN
    )
    worksheet = WorksheetFactory(
        enrolment=Enrolment.objects.get(cohort=cohort, organisation=organisation)
    )
    effect = EffectFactory(worksheet=worksheet)
    ActivityFactory(worksheet=worksheet).effects.add(effect)
    ResultFactory(indicator=IndicatorFactory(effect=effect))
    CommentFactory(worksheet=worksheet, step=4, author=trainer)
    # A step waiting for review, for the trainer's dashboard.
    StepReviewFactory(worksheet=worksheet, step=2, changed_by=participant)
    # A second training: a coordinator's "new cohort" first asks which one.
    TrainingFactory(name="Sociaal ondernemen in de zorg")
    SuggestionFactory()
    peer = PeerReviewAssignmentFactory(
        round=PeerReviewRoundFactory(cohort=cohort, steps=[2, 4]),
        reviewer=Enrolment.objects.get(cohort=cohort, organisation__memberships__person=fellow),
        reviewed=worksheet.enrolment,
    )
    submit_review(assignment=peer, step=4, answers={"strong": "Mooi gedaan."}, by=fellow)
    # The Team: one invitation waiting, one expired, and the link of a third.
    trainer_role = trainer.memberships.get()
    StaffInvitationFactory(organisation=trainer_role.organisation, invited_by=coordinator)
    StaffInvitationFactory(
        organisation=coordinator.memberships.get().organisation,
        role=Role.COORDINATOR,
        sent_at=timezone.now() - dt.timedelta(days=20),
        expires_at=timezone.now() - dt.timedelta(days=6),
    )
    StaffInvitationFactory(
        organisation=trainer_role.organisation,
        email="team@example.org",
        token=STAFF_INVITATION_TOKEN,
    )
    return {
        "trainer_role": trainer_role,
        "coordinator_role": coordinator.memberships.get(),
        "peer": peer,
        "unsubscribe": unsubscribe_token(participant, "session_reminder"),
        "worksheet": worksheet,
        "training": training,
        "programme": training.programme,
        "cohort": cohort,
        "session": session,
        "organisation": organisation,
    }


def session_cookie(user) -> dict:
    """A session cookie for the person, as the sign-in would set (saves a form per page)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key}


def audit_context(browser, browser_context_args, live_server, user=None, **overrides):
    # The site's CSP (script-src 'self' + nonce) rightly blocks the injected axe script, so
    # the audit context bypasses it; tests/test_csp checks the policy itself on every page.
    context = browser.new_context(**{**browser_context_args, **overrides}, bypass_csp=True)
    if user is not None:
        context.add_cookies([{**session_cookie(user), "url": live_server.url}])
    return context


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return the serious and critical violations."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` in the repository root"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}")
            lines.append(f"      {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "audited", PAGES, ids=[f"{p.name}-{p.role or 'anonymous'}".replace(" ", "_") for p in PAGES]
)
def test_page_has_no_serious_accessibility_violations(
    audited, request, browser, browser_context_args, live_server, world
):
    user = request.getfixturevalue(audited.role) if audited.role else None
    context = audit_context(browser, browser_context_args, live_server, user)
    page = context.new_page()
    response = page.goto(f"{live_server.url}{audited.path(world)}")
    assert response.status == audited.status, page.url
    violations = axe_violations(page)
    context.close()
    assert not violations, f"{audited.name} as {audited.role}:\n{describe(violations)}"


def test_sign_in_with_the_keyboard_only(page, live_server, participant):
    page.goto(f"{live_server.url}/accounts/login/")
    # The first Tab lands on the skip link; following it puts focus in the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || ''")
        focused.append(name)
        if name == "login":
            break
    assert focused[-1] == "login", focused
    page.keyboard.type(participant.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize(
    ("page_name", "role"),
    [
        ("dashboard", "coordinator"),
        ("dashboard", "trainer"),
        ("dashboard", "participant"),
        ("cohort detail", "trainer"),
        ("cohort detail", "participant"),
        ("programme rondes side by side", "coordinator"),
    ],
)
def test_phone_width_has_no_horizontal_scroll(
    page_name, role, request, browser, browser_context_args, live_server, world
):
    audited = next(p for p in PAGES if p.name == page_name and p.role == role)
    user = request.getfixturevalue(role)
    context = audit_context(
        browser, browser_context_args, live_server, user, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{audited.path(world)}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert scroll_width <= 360, f"{page_name} as {role} is {scroll_width} px wide"
