"""The demo: the story of Se.lab's training Social Impact meting, in Dutch.

Every builder is idempotent: it looks rows up by their natural key and creates only what
is missing, so ``seed_demo`` can run on every start. Names and numbers are fictional.
"""

from django.db import transaction

from impactlab.demo import impact, organisations, trainings

DEMO_PASSWORD = "impactlab-demo"

DEMO_LOGINS = [
    ("coordinator@example.org", "coördinator, Se.lab"),
    ("trainer@example.org", "trainer, Evenaar & Partners"),
    ("deelnemer@example.org", "deelnemer, Kringloop Zwolle"),
    ("deelnemer2@example.org", "deelnemer, Kringloopcentrum De Vlinder"),
]


@transaction.atomic
def seed() -> dict[str, int]:
    """Build the whole demo; returns how many rows each part created."""
    created: dict[str, int] = {}
    created |= organisations.seed(password=DEMO_PASSWORD)
    created |= trainings.seed()
    created |= impact.seed()
    return created
