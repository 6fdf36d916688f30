"""The worksheets of Ronde 1, the finished first round: five kringloop organisations with a
lunchroom or an upcycle workshop.

They got far with their goal, stakeholders and activities, but measured less than Ronde 2
does: fewer effects have an indicator and fewer indicators a result, and the
questionnaires and the value step did not exist yet. So the programme view shows what
changed from Ronde 1 to Ronde 2. All figures are fictional.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from impact.models import Indicator, Stakeholder, Step, StepReview, Worksheet
from organisations.models import User
from trainings.models import Cohort, Enrolment

S = Stakeholder.Category
R = Stakeholder.Relation
ST = StepReview.State
FICTIONAL = "Alle cijfers zijn fictief (demogegevens)."

# Ronde 1 began 300 days ago; its dagdelen were 300, 279 and 258 days ago.
STARTED = 300

# Per organisation: the author, step 1, target groups, stakeholders (key, name, category,
# extra), activities (key, title, stakeholders, outputs), effects (key, stakeholder,
# description, activities), indicators (effect, name, extra, results) and the final state
# of each step.
WORKSHEETS = [
    {
        "organisation": "Kringloop De Ark",
        "author": "ronde1@example.org",
        "scope": {
            "good_practice": "Lunchroom De Ark",
            "reasons": ["steering", "communication"],
            "impact_goal": (
                "Mensen met een arbeidsbeperking leren in onze lunchroom werken in de horeca "
                "en krijgen weer een vast dagritme."
            ),
            "themes": ["labour"],
        },
        "target_groups": [("Werkleerdeelnemers met een arbeidsbeperking", 9)],
        "stakeholders": [
            ("deelnemers", "Werkleerdeelnemers met een arbeidsbeperking", S.TARGET_GROUP, {}),
            ("jobcoach", "Jobcoaches", S.STAFF, {"relation": R.BOTH}),
            ("gasten", "Gasten van de lunchroom", S.CUSTOMERS, {}),
            ("gemeente", "Gemeente", S.FUNDERS, {"relation": R.INVESTS}),
        ],
        "activities": [
            (
                "lunchroom",
                "Werkleerplekken in de lunchroom",
                ["deelnemers", "jobcoach", "gasten"],
                [("werkleerplekken", 9, "plekken")],
            ),
        ],
        "effects": [
            (
                "ritme",
                "deelnemers",
                "Deelnemers krijgen een vast werkritme en komen op tijd.",
                ["lunchroom"],
            ),
            (
                "contact",
                "gasten",
                "Gasten ontmoeten mensen die ze anders niet zouden spreken.",
                ["lunchroom"],
            ),
        ],
        "indicators": [
            (
                "ritme",
                "Aanwezigheid volgens rooster",
                {"unit": "%", "baseline": "71", "target": "90", "source": "Roosters"},
                [("Eind ronde 1", "84")],
            ),
        ],
        "states": {1: ST.APPROVED, 2: ST.APPROVED, 3: ST.APPROVED, 4: ST.APPROVED, 5: ST.DRAFT},
    },
    {
        "organisation": "Kringloop Emmen",
        "author": "ronde1-emmen@example.org",
        "scope": {
            "good_practice": "Fietsen-upcycle",
            "reasons": ["funding"],
            "impact_goal": (
                "Jongeren zonder startkwalificatie knappen afgedankte fietsen op en doen zo "
                "werkervaring op; minder fietsen belanden bij het oud ijzer."
            ),
            "themes": ["labour", "circular"],
        },
        "target_groups": [
            ("Jongeren zonder startkwalificatie", 7),
            ("Werkleerdeelnemers met een arbeidsbeperking", 3),
        ],
        "stakeholders": [
            ("jongeren", "Jongeren zonder startkwalificatie", S.TARGET_GROUP, {}),
            ("werkmeester", "Werkmeester fietsen", S.STAFF, {"relation": R.BOTH}),
            ("kopers", "Kopers van opgeknapte fietsen", S.CUSTOMERS, {}),
            ("milieu", "Milieu en klimaat", S.ENVIRONMENT, {}),
        ],
        "activities": [
            (
                "opknappen",
                "Fietsen opknappen in de werkplaats",
                ["jongeren", "werkmeester"],
                [("fietsen opgeknapt", 260, "fietsen")],
            ),
        ],
        "effects": [
            (
                "vak",
                "jongeren",
                "Jongeren leren een vak en weten beter wat ze willen.",
                ["opknappen"],
            ),
            ("afval", "milieu", "Minder fietsen worden weggegooid.", ["opknappen"]),
        ],
        "indicators": [],
        "states": {1: ST.APPROVED, 2: ST.APPROVED, 3: ST.APPROVED, 4: ST.RETURNED},
    },
    {
        "organisation": "Kringloop Meppel",
        "author": "ronde1-meppel@example.org",
        "scope": {
            "good_practice": "Textiel-upcycle",
            "reasons": ["accountability"],
            "impact_goal": (
                "Vrouwen die lang thuis zaten maken in ons atelier nieuwe spullen van oud "
                "textiel en bouwen een netwerk op."
            ),
            "themes": ["labour", "circular", "community"],
        },
        "target_groups": [
            ("Werkleerdeelnemers met een arbeidsbeperking", 4),
            ("Nieuwkomers", 5),
        ],
        "stakeholders": [
            ("deelnemers", "Deelnemers van het atelier", S.TARGET_GROUP, {}),
            ("vrijwilligers", "Vrijwilligers", S.VOLUNTEERS, {"relation": R.BOTH}),
            ("klanten", "Klanten van de winkel", S.CUSTOMERS, {}),
        ],
        "activities": [
            (
                "atelier",
                "Naaiatelier met upcycle-producten",
                ["deelnemers", "vrijwilligers"],
                [("producten gemaakt", 540, "stuks")],
            ),
        ],
        "effects": [
            (
                "netwerk",
                "deelnemers",
                "Deelnemers voelen zich minder eenzaam en hebben meer contacten.",
                ["atelier"],
            ),
            (
                "zinvol",
                "vrijwilligers",
                "Vrijwilligers hebben een zinvolle dagbesteding.",
                ["atelier"],
            ),
        ],
        "indicators": [
            (
                "netwerk",
                "Zelfvertrouwen op een schaal van 1 tot 5",
                {"unit": "score 1-5", "baseline": "2.4", "target": "3.5", "source": ""},
                [],
            ),
        ],
        "states": {1: ST.APPROVED, 2: ST.APPROVED, 3: ST.SUBMITTED},
    },
    {
        "organisation": "Kringloop Harderwijk",
        "author": "ronde1-harderwijk@example.org",
        "scope": {
            "good_practice": "Meubelatelier",
            "reasons": ["steering", "funding"],
            "impact_goal": (
                "Mensen in een re-integratietraject leren meubels opknappen en stromen door "
                "naar werk in de houtbranche."
            ),
            "themes": ["labour", "circular"],
        },
        "target_groups": [("Werkleerdeelnemers met een arbeidsbeperking", 6)],
        "stakeholders": [
            ("deelnemers", "Mensen in een re-integratietraject", S.TARGET_GROUP, {}),
            ("gemeente", "Gemeente", S.FUNDERS, {"relation": R.INVESTS}),
            ("werkgevers", "Werkgevers in de houtbranche", S.PARTNERS, {}),
        ],
        "activities": [
            (
                "atelier",
                "Meubels opknappen met begeleiding",
                ["deelnemers"],
                [("meubels opgeknapt", 180, "meubels")],
            ),
            ("stage", "Snuffelstages bij werkgevers", ["deelnemers", "werkgevers"], []),
        ],
        "effects": [
            (
                "werk",
                "deelnemers",
                "Deelnemers vinden betaald werk of een opleiding.",
                ["atelier", "stage"],
            ),
            (
                "ritme",
                "deelnemers",
                "Deelnemers krijgen een vast werkritme.",
                ["atelier"],
            ),
        ],
        "indicators": [
            (
                "werk",
                "Uitstroom naar betaald werk",
                {"unit": "personen", "baseline": "1", "target": "4", "source": "Registratie"},
                [("Eind ronde 1", "2")],
            ),
        ],
        "states": {1: ST.APPROVED, 2: ST.APPROVED, 3: ST.APPROVED, 4: ST.APPROVED, 5: ST.SUBMITTED},
    },
    {
        "organisation": "Kringloop Lelystad",
        "author": "ronde1-lelystad@example.org",
        "scope": {
            "good_practice": "Inzamelpunt en sorteercentrum",
            "reasons": ["accountability"],
            "impact_goal": "Meer spullen hergebruiken en werk bieden aan wie dat nodig heeft.",
            "themes": ["circular"],
        },
        "target_groups": [("Werkleerdeelnemers met een arbeidsbeperking", 12)],
        "stakeholders": [
            ("sorteerders", "Werkleerdeelnemers in het sorteercentrum", S.TARGET_GROUP, {}),
            ("inwoners", "Inwoners die spullen brengen", S.SUPPLIERS, {}),
            ("gemeente", "Gemeente", S.FUNDERS, {"relation": R.INVESTS}),
        ],
        "activities": [
            (
                "sorteren",
                "Spullen inzamelen en sorteren",
                ["sorteerders", "inwoners"],
                [("ingezameld", 310, "ton")],
            ),
        ],
        "effects": [
            ("hergebruik", "inwoners", "310 ton spullen ingezameld.", ["sorteren"]),
        ],
        "indicators": [],
        "states": {1: ST.APPROVED, 2: ST.SUBMITTED},
    },
]


def seed(*, builder_for, trainer: User) -> int:
    """Build the five worksheets of Ronde 1 (idempotent); returns how many were created.

    ``builder_for(enrolment, author)`` makes the demo's worksheet builder.
    """
    cohort = Cohort.objects.get(training__name="Training Social Impact meting", name="Ronde 1")
    enrolments = {
        enrolment.organisation.name: enrolment
        for enrolment in Enrolment.objects.filter(cohort=cohort).select_related("organisation")
    }
    people = {person.email: person for person in User.objects.filter(email__startswith="ronde1")}
    ended = timezone.localdate() - dt.timedelta(days=STARTED - 42)
    made = 0
    for number, sheet in enumerate(WORKSHEETS):
        worksheet, created = Worksheet.objects.get_or_create(
            enrolment=enrolments[sheet["organisation"]]
        )
        made += created
        b = builder_for(worksheet, people[sheet["author"]])
        # Each organisation works a little later in the day than the one before.
        b.at(STARTED - 1, 9 + number)
        b.fields(Step.SCOPE, mission_link=FICTIONAL, **sheet["scope"])
        for name, size in sheet["target_groups"]:
            b.target_group(name, size)
        b.at(STARTED - 5, 10 + number)
        for key, name, category, extra in sheet["stakeholders"]:
            b.stakeholder(key, name, category, **extra)
        b.at(STARTED - 22, 10 + number)
        for key, title, stakeholders, outputs in sheet["activities"]:
            b.activity(key, title, stakeholders=stakeholders, outputs=outputs)
        for key, stakeholder, description, activities in sheet["effects"]:
            b.effect(key, stakeholder, description, activities=activities)
        b.at(STARTED - 43, 10 + number)
        for effect, name, extra, results in sheet["indicators"]:
            b.indicator(
                effect,
                name,
                kind=Indicator.Kind.PERCENTAGE if extra["unit"] == "%" else Indicator.Kind.NUMBER,
                baseline=Decimal(extra["baseline"]),
                target=Decimal(extra["target"]),
                unit=extra["unit"],
                source=extra["source"],
                results=[(period, value, ended, None, "") for period, value in results],
            )
        for step, state in sheet["states"].items():
            b.review(step, state, trainer if state in (ST.APPROVED, ST.RETURNED) else b.author)
    return made
