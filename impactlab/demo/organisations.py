"""Organisations and people of the demo."""

from organisations.models import Membership, Organisation, Role, User

FICTIONAL = "Fictieve demogegevens."

ORGANISATIONS = [
    {
        "name": "Se.lab",
        "kind": Organisation.Kind.COOPERATIVE,
        "city": "Zwolle",
        "sector": "Kennis en onderzoek",
        "website": "https://selab.example.org",
        "mission": (
            "Se.lab is een coöperatie van sociaal ondernemers en onderzoekers met een link "
            "naar het onderwijs. We ontwikkelen, valideren en verspreiden kennis uit en over "
            "de social enterprise sector, voor organisaties die een maatschappelijk verschil "
            "willen maken."
        ),
    },
    {
        "name": "Evenaar & Partners",
        "kind": Organisation.Kind.MEMBER,
        "city": "Deventer",
        "sector": "Advies en training",
        "website": "https://evenaar.example.org",
        "mission": (
            "Lid van de coöperatie Se.lab. Bracht Programma Impact in: samen kennis delen, "
            "talenten bundelen en zo de impact van sociaal ondernemers vergroten."
        ),
    },
    {
        "name": "Lectoraat Sociaal Ondernemen",
        "kind": Organisation.Kind.MEMBER,
        "city": "Zwolle",
        "sector": "Onderzoek en onderwijs",
        "mission": "Onderzoeksgroep en lid van Se.lab; doet actieonderzoek met de praktijk.",
    },
    {
        "name": "BKN",
        "kind": Organisation.Kind.NETWORK,
        "city": "Utrecht",
        "sector": "Branchevereniging kringloopbedrijven",
        "website": "https://bkn.example.org",
        "mission": "Branchevereniging Kringloopbedrijven Nederland: de leden werken aan "
        "hergebruik en aan werk en leren voor mensen met een afstand tot de arbeidsmarkt.",
    },
]

# The eight kringloop organisations of Ronde 2, and five of Ronde 1, with their good practice.
KRINGLOOP_RONDE_2 = [
    ("Kringloop Zwolle", "Zwolle", "Restaurant Deksels"),
    ("Kringloopcentrum De Vlinder", "Deventer", "Fietsenwerkplaats"),
    ("Kringloop Tweede Leven", "Kampen", "Textielatelier"),
    ("Kringloop Hengelo", "Hengelo", "Repaircafé"),
    ("Kringloopwinkel De Schakel", "Apeldoorn", "Meubelmakerij"),
    ("Kringloop Midden-Drenthe", "Assen", "Ophaal- en ontruimingsdienst"),
    ("Kringloopbedrijf Omnia", "Almelo", "Elektrowerkplaats"),
    ("Kringloop Het Warenhuis", "Enschede", "Leescafé"),
]
KRINGLOOP_RONDE_1 = [
    ("Kringloop De Ark", "Amersfoort", "Lunchroom"),
    ("Kringloop Emmen", "Emmen", "Fietsen-upcycle"),
    ("Kringloop Meppel", "Meppel", "Textiel-upcycle"),
    ("Kringloop Harderwijk", "Harderwijk", "Meubelatelier"),
    ("Kringloop Lelystad", "Lelystad", "Inzamelpunt en sorteercentrum"),
]

# (email, first name, last name, organisation, role, job title)
PEOPLE = [
    (
        "coordinator@example.org",
        "Carla",
        "de Coördinator",
        "Se.lab",
        Role.COORDINATOR,
        "Programmacoördinator",
    ),
    (
        "trainer@example.org",
        "Tom",
        "Evenaar",
        "Evenaar & Partners",
        Role.TRAINER,
        "Trainer impact meten",
    ),
    (
        "trainer2@example.org",
        "Roos",
        "van Dijk",
        "Lectoraat Sociaal Ondernemen",
        Role.TRAINER,
        "Onderzoeker",
    ),
    (
        "deelnemer@example.org",
        "Dewi",
        "Jansen",
        "Kringloop Zwolle",
        Role.PARTICIPANT,
        "Bedrijfsleider Restaurant Deksels",
    ),
    ("collega@example.org", "Kees", "Bakker", "Kringloop Zwolle", Role.PARTICIPANT, "Jobcoach"),
    (
        "deelnemer2@example.org",
        "Fatima",
        "El Amrani",
        "Kringloopcentrum De Vlinder",
        Role.PARTICIPANT,
        "Coördinator Fietsenwerkplaats",
    ),
    (
        "deelnemer3@example.org",
        "Sanne",
        "Visser",
        "Kringloop Tweede Leven",
        Role.PARTICIPANT,
        "Teamleider textielatelier",
    ),
    (
        "deelnemer4@example.org",
        "Jeroen",
        "Smit",
        "Kringloop Hengelo",
        Role.PARTICIPANT,
        "Directeur",
    ),
    (
        "deelnemer5@example.org",
        "Ilse",
        "Mulder",
        "Kringloopwinkel De Schakel",
        Role.PARTICIPANT,
        "Werkbegeleider",
    ),
    (
        "deelnemer6@example.org",
        "Mohammed",
        "Yilmaz",
        "Kringloop Midden-Drenthe",
        Role.PARTICIPANT,
        "Manager logistiek",
    ),
    (
        "deelnemer7@example.org",
        "Anouk",
        "de Boer",
        "Kringloopbedrijf Omnia",
        Role.PARTICIPANT,
        "Re-integratiecoach",
    ),
    (
        "deelnemer8@example.org",
        "Pieter",
        "Hendriks",
        "Kringloop Het Warenhuis",
        Role.PARTICIPANT,
        "Vrijwilligerscoördinator",
    ),
    (
        "ronde1@example.org",
        "Lotte",
        "Kok",
        "Kringloop De Ark",
        Role.PARTICIPANT,
        "Bedrijfsleider lunchroom",
    ),
    (
        "ronde1-emmen@example.org",
        "Bas",
        "Hoekstra",
        "Kringloop Emmen",
        Role.PARTICIPANT,
        "Werkmeester",
    ),
    (
        "ronde1-meppel@example.org",
        "Esra",
        "Demir",
        "Kringloop Meppel",
        Role.PARTICIPANT,
        "Coördinator textielatelier",
    ),
    (
        "ronde1-harderwijk@example.org",
        "Henk",
        "Willems",
        "Kringloop Harderwijk",
        Role.PARTICIPANT,
        "Bedrijfsleider",
    ),
    (
        "ronde1-lelystad@example.org",
        "Naima",
        "Bouzid",
        "Kringloop Lelystad",
        Role.PARTICIPANT,
        "Jobcoach",
    ),
]


def kringloop_mission(good_practice: str) -> str:
    return (
        "Kringloopbedrijf dat spullen inzamelt, opknapt en verkoopt, en werk- en leerplekken "
        "biedt aan mensen met een afstand tot de arbeidsmarkt: mensen met een "
        f"(arbeids)beperking, jongeren en nieuwkomers. Good practice: {good_practice}. "
        f"{FICTIONAL}"
    )


def seed(*, password: str) -> dict[str, int]:
    created = {"organisations": 0, "people": 0, "memberships": 0}
    rows = list(ORGANISATIONS) + [
        {
            "name": name,
            "kind": Organisation.Kind.PARTICIPANT,
            "city": city,
            "sector": "Kringloop",
            "mission": kringloop_mission(good_practice),
        }
        for name, city, good_practice in KRINGLOOP_RONDE_2 + KRINGLOOP_RONDE_1
    ]
    for row in rows:
        _, was_created = Organisation.objects.get_or_create(name=row["name"], defaults=row)
        created["organisations"] += was_created
    organisations = {o.name: o for o in Organisation.objects.all()}
    for email, first_name, last_name, org_name, role, job_title in PEOPLE:
        person = User.objects.filter(email=email).first()
        if person is None:
            person = User.objects.create_user(
                email, password, first_name=first_name, last_name=last_name
            )
            created["people"] += 1
        _, was_created = Membership.objects.get_or_create(
            person=person,
            organisation=organisations[org_name],
            role=role,
            defaults={"job_title": job_title},
        )
        created["memberships"] += was_created
    return created
