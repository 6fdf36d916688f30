"""The starter kit: suggestions for the worksheets of kringloop organisations.

The texts are Dutch content, not interface text: the library is Dutch data that
coordinators maintain in the app. Each item names where it comes from. ``load()`` is
idempotent: it adds what is missing by (kind, title) and never overwrites a coordinator's
edits.
"""

from __future__ import annotations

from impact.models import Indicator, Stakeholder, Suggestion

ARBEID = "Impactpad – arbeidsparticipatie"
CIRCULAIR = "Impactpad – circulaire economie"
SVI = "SVI-principes"
PRAKTIJK = "praktijk kringloopbranche"

LABOUR = Suggestion.Theme.LABOUR
CIRCULAR = Suggestion.Theme.CIRCULAR
GENERAL = Suggestion.Theme.GENERAL

# The kit names its negative effects "Negatief: …"; they arrive as negative effects.
NEGATIVE = "Negatief:"

C = Stakeholder.Category
R = Stakeholder.Relation
M = Indicator.Method

# (theme, title, stakeholder category, relation, description, source). The relation says
# what the stakeholder does for the practice: donors and funders invest, the target group
# experiences the effects, volunteers and staff give time and get something back.
STAKEHOLDERS = [
    (
        LABOUR,
        "Werkleerdeelnemers met een arbeidsbeperking",
        C.TARGET_GROUP,
        R.EXPERIENCES,
        "Mensen met een uitkering of onder de Participatiewet die bij ons werken en leren.",
        ARBEID,
    ),
    (
        LABOUR,
        "Jongeren zonder startkwalificatie",
        C.TARGET_GROUP,
        R.EXPERIENCES,
        "Jongeren die school niet hebben afgemaakt en bij ons werkervaring opdoen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Nieuwkomers en statushouders",
        C.TARGET_GROUP,
        R.EXPERIENCES,
        "Mensen die inburgeren en op de werkvloer Nederlands oefenen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Mensen in een re-integratietraject",
        C.TARGET_GROUP,
        R.EXPERIENCES,
        "Deelnemers die via gemeente of UWV een traject naar werk volgen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Stagiairs van het mbo",
        C.TARGET_GROUP,
        R.EXPERIENCES,
        "Studenten die bij ons hun beroepspraktijkvorming doen.",
        PRAKTIJK,
    ),
    (
        LABOUR,
        "Jobcoaches en werkbegeleiders",
        C.STAFF,
        R.BOTH,
        "De collega's die deelnemers dagelijks begeleiden en hun ontwikkeling volgen.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Vaste medewerkers en bedrijfsleiding",
        C.STAFF,
        R.BOTH,
        "Zij investeren tijd in begeleiding en merken de gevolgen in hun eigen werk.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Vrijwilligers",
        C.VOLUNTEERS,
        R.BOTH,
        "Vaak ouderen, soms met een eigen ondersteuningsvraag; ze geven tijd en krijgen "
        "zinvolle dagbesteding terug.",
        PRAKTIJK,
    ),
    (
        CIRCULAR,
        "Kopers in de kringloopwinkel",
        C.CUSTOMERS,
        R.EXPERIENCES,
        "Klanten die betaalbare tweedehands spullen kopen.",
        CIRCULAIR,
    ),
    (
        GENERAL,
        "Gasten van restaurant of café",
        C.CUSTOMERS,
        R.EXPERIENCES,
        "Bezoekers van onze horeca, vaak ook een ontmoetingsplek in de wijk.",
        PRAKTIJK,
    ),
    (
        CIRCULAR,
        "Inwoners die spullen brengen",
        C.SUPPLIERS,
        R.INVESTS,
        "Donateurs van goederen: zonder hun spullen is er geen kringloop.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Bedrijven die partijen aanleveren",
        C.SUPPLIERS,
        R.INVESTS,
        "Bedrijven die restpartijen, meubilair of apparatuur aan ons geven.",
        CIRCULAIR,
    ),
    (
        GENERAL,
        "Gemeente",
        C.FUNDERS,
        R.BOTH,
        "Financiert werk- en leerplekken (participatie) en heeft belang bij minder afval "
        "(grondstoffenbeleid).",
        SVI,
    ),
    (
        LABOUR,
        "UWV",
        C.FUNDERS,
        R.INVESTS,
        "Verwijst deelnemers en betaalt soms begeleiding of loonkostensubsidie.",
        ARBEID,
    ),
    (
        GENERAL,
        "Fondsen en sociale investeerders",
        C.FUNDERS,
        R.INVESTS,
        "Financieren nieuwe activiteiten en willen weten wat die opleveren.",
        SVI,
    ),
    (
        LABOUR,
        "ROC of mbo-school",
        C.PARTNERS,
        R.BOTH,
        "Partner voor stages, examens en erkende certificaten.",
        ARBEID,
    ),
    (
        LABOUR,
        "Sw-bedrijf en welzijnsorganisaties",
        C.PARTNERS,
        R.INVESTS,
        "Verwijzen deelnemers door en werken samen aan begeleiding.",
        PRAKTIJK,
    ),
    (
        LABOUR,
        "Lokale werkgevers",
        C.PARTNERS,
        R.BOTH,
        "Bieden deelnemers een volgende stap: een plaatsing of betaald werk.",
        ARBEID,
    ),
    (
        CIRCULAR,
        "Milieu en klimaat",
        C.ENVIRONMENT,
        R.EXPERIENCES,
        "Een indirecte stakeholder: niemand spreekt namens het milieu, dus benoem de "
        "effecten zelf en wees er zuinig mee.",
        SVI,
    ),
]

# (theme, title, stakeholder category it is about, description, source)
EFFECTS = [
    (
        LABOUR,
        "Deelnemers krijgen meer zelfvertrouwen (“ik durf weer”)",
        C.TARGET_GROUP,
        "Deelnemers durven meer, nemen initiatief en spreken zich uit.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers krijgen een vast werkritme",
        C.TARGET_GROUP,
        "Op tijd komen, een hele dag volhouden, afspraken nakomen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers verbeteren hun werknemersvaardigheden",
        C.TARGET_GROUP,
        "Samenwerken, instructies opvolgen, om hulp vragen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers leren een vak",
        C.TARGET_GROUP,
        "Bijvoorbeeld verkoop, reparatie, koken of logistiek.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers spreken beter Nederlands",
        C.TARGET_GROUP,
        "Vooral nieuwkomers oefenen de taal op de werkvloer.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers hebben meer sociale contacten en zijn minder eenzaam",
        C.TARGET_GROUP,
        "Collega's worden een netwerk, ook buiten het werk.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers halen een certificaat of diploma",
        C.TARGET_GROUP,
        "Bijvoorbeeld een branchecertificaat of een mbo-entreediploma.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers stromen door naar betaald werk, een plaatsing of een opleiding",
        C.TARGET_GROUP,
        "De volgende stap na de werkleerplek.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers worden financieel zelfstandiger",
        C.TARGET_GROUP,
        "Minder afhankelijk van een uitkering, meer eigen inkomen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Deelnemers voelen zich gezonder en beter in hun vel",
        C.TARGET_GROUP,
        "Meer beweging, structuur en minder stress.",
        ARBEID,
    ),
    (
        GENERAL,
        "Vrijwilligers hebben een zinvolle dagbesteding",
        C.VOLUNTEERS,
        "Ze doen ertoe en worden gemist als ze er niet zijn.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Vrijwilligers houden sociale contacten en blijven actief",
        C.VOLUNTEERS,
        "Vooral voor oudere vrijwilligers een reden om de deur uit te gaan.",
        PRAKTIJK,
    ),
    (
        LABOUR,
        "De gemeente betaalt minder uitkeringen",
        C.FUNDERS,
        "Doordat deelnemers (deels) uitstromen naar werk.",
        ARBEID,
    ),
    (
        CIRCULAR,
        "De gemeente hoeft minder afval te verwerken",
        C.FUNDERS,
        "Spullen die wij hergebruiken komen niet in het restafval.",
        CIRCULAIR,
    ),
    (
        LABOUR,
        "De gemeente haalt haar participatiedoelen",
        C.FUNDERS,
        "Meer inwoners doen mee via werk en leren.",
        ARBEID,
    ),
    (
        GENERAL,
        "De wijk wordt levendiger",
        C.FUNDERS,
        "Winkel en café zijn een plek waar buurtbewoners elkaar ontmoeten.",
        PRAKTIJK,
    ),
    (
        CIRCULAR,
        "Klanten kopen betaalbare spullen",
        C.CUSTOMERS,
        "Ook mensen met een laag inkomen kunnen goede spullen kopen.",
        CIRCULAIR,
    ),
    (
        GENERAL,
        "Gasten vinden een ontmoetingsplek",
        C.CUSTOMERS,
        "Het restaurant of café is een laagdrempelige plek om anderen te zien.",
        PRAKTIJK,
    ),
    (
        CIRCULAR,
        "Spullen worden hergebruikt in plaats van weggegooid",
        C.ENVIRONMENT,
        "Elke verkochte stoel of fiets hoeft niet nieuw gemaakt te worden.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Er wordt minder CO₂ uitgestoten",
        C.ENVIRONMENT,
        "Door hergebruik is minder productie en transport van nieuwe spullen nodig.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Er zijn minder nieuwe grondstoffen nodig",
        C.ENVIRONMENT,
        "Hout, metaal en textiel gaan langer mee.",
        CIRCULAIR,
    ),
    (
        LABOUR,
        "Negatief: een deelnemer haakt af door te hoge werkdruk",
        C.TARGET_GROUP,
        "Het tempo of de verwachtingen zijn te hoog; de deelnemer stopt zonder vervolgstap.",
        SVI,
    ),
    (
        GENERAL,
        "Negatief: verdringing van reguliere bedrijven",
        C.PARTNERS,
        "Lokale winkels of horeca verliezen omzet aan onze winkel of ons café.",
        SVI,
    ),
    (
        GENERAL,
        "Negatief: afhankelijkheid van subsidie",
        C.FUNDERS,
        "Als de subsidie stopt, verdwijnen ook de werkleerplekken.",
        SVI,
    ),
]

# (theme, title, method, unit, description, source)
INDICATORS = [
    (
        LABOUR,
        "Aantal werkleerplekken per jaar",
        M.REGISTRATION,
        "plekken",
        "Het aantal plekken dat we dit jaar aanbieden, uit de eigen registratie.",
        ARBEID,
    ),
    (
        LABOUR,
        "Aantal deelnemers in de periode",
        M.REGISTRATION,
        "deelnemers",
        "Iedereen die in de periode minstens een maand bij ons werkte.",
        ARBEID,
    ),
    (
        LABOUR,
        "Uitstroom naar betaald werk binnen 12 maanden",
        M.SURVEY,
        "%",
        "Aandeel vertrokken deelnemers met betaald werk na een jaar; navragen per telefoon.",
        ARBEID,
    ),
    (
        LABOUR,
        "Uitstroom naar opleiding of plaatsing",
        M.REGISTRATION,
        "%",
        "Aandeel vertrokken deelnemers dat een opleiding of plaatsing begon.",
        ARBEID,
    ),
    (
        LABOUR,
        "Score op de checklist werknemersvaardigheden",
        M.OBSERVATION,
        "score",
        "De jobcoach scoort bij de start en na zes maanden dezelfde checklist.",
        ARBEID,
    ),
    (
        LABOUR,
        "Zelfvertrouwen op een schaal van 1 tot 5",
        M.SURVEY,
        "score 1-5",
        "Korte vragenlijst in eenvoudige taal of met pictogrammen, bij start en einde.",
        ARBEID,
    ),
    (
        LABOUR,
        "Welbevinden op een schaal van 1 tot 5",
        M.SURVEY,
        "score 1-5",
        "Hoe voel je je? Zelfde vragenlijst bij start en einde.",
        ARBEID,
    ),
    (
        LABOUR,
        "Vooruitgang in taalniveau",
        M.OBSERVATION,
        "deelnemers",
        "Aantal deelnemers dat een niveau stijgt (bijvoorbeeld A1 naar A2), volgens de taaldocent.",
        ARBEID,
    ),
    (
        LABOUR,
        "Aantal behaalde certificaten en diploma's",
        M.REGISTRATION,
        "certificaten",
        "Branchecertificaten, mbo-entree en andere erkende bewijzen.",
        ARBEID,
    ),
    (
        LABOUR,
        "Aanwezigheid van deelnemers",
        M.REGISTRATION,
        "%",
        "Gewerkte uren als deel van de afgesproken uren; een maat voor werkritme.",
        PRAKTIJK,
    ),
    (
        LABOUR,
        "Voortijdige uitval van deelnemers",
        M.REGISTRATION,
        "%",
        "Aandeel deelnemers dat stopt zonder vervolgstap; lager is beter.",
        SVI,
    ),
    (
        LABOUR,
        "Verhalen van deelnemers over hun ontwikkeling",
        M.INTERVIEW,
        "",
        "Korte interviews: wat is er voor jou veranderd? Kwalitatief, naast de cijfers.",
        SVI,
    ),
    (
        GENERAL,
        "Aantal vrijwilligers",
        M.REGISTRATION,
        "vrijwilligers",
        "Het aantal actieve vrijwilligers op een peildatum.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Uren vrijwilligerswerk per week",
        M.REGISTRATION,
        "uur per week",
        "Uit het rooster of de presentielijst.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Ervaren zingeving van vrijwilligers",
        M.SURVEY,
        "score 1-5",
        "Jaarlijkse korte vragenlijst onder vrijwilligers.",
        PRAKTIJK,
    ),
    (
        CIRCULAR,
        "Ingezamelde goederen",
        M.REGISTRATION,
        "kg",
        "Gewogen op de weegbrug of weegschaal bij binnenkomst.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Verkochte of hergebruikte goederen",
        M.REGISTRATION,
        "kg",
        "Uit de verkoopregistratie, omgerekend naar gewicht per productgroep.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Hergebruikpercentage",
        M.REGISTRATION,
        "%",
        "Kilo's hergebruikt gedeeld door kilo's ingezameld.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Vermeden CO₂-uitstoot",
        M.REGISTRATION,
        "kg CO₂-eq",
        "Kilo's hergebruikt maal een emissiefactor per productgroep. Noteer waar de "
        "factoren vandaan komen.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Vermeden afval",
        M.REGISTRATION,
        "kg",
        "Ingezameld volume min wat alsnog als afval wegging.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Gerepareerde producten",
        M.REGISTRATION,
        "stuks",
        "Fietsen, apparaten of meubels die na reparatie weer verkocht zijn.",
        CIRCULAIR,
    ),
    (
        CIRCULAR,
        "Aantal klanten per week",
        M.REGISTRATION,
        "klanten",
        "Aantal transacties aan de kassa.",
        PRAKTIJK,
    ),
    (
        CIRCULAR,
        "Aandeel klanten met een laag inkomen",
        M.SURVEY,
        "%",
        "Korte klantenenquête, anoniem, een keer per jaar.",
        CIRCULAIR,
    ),
    (
        GENERAL,
        "Aantal geserveerde maaltijden",
        M.REGISTRATION,
        "maaltijden",
        "Uit het kassasysteem van restaurant of café.",
        PRAKTIJK,
    ),
    (
        LABOUR,
        "Deelnemers opgeleid in de horeca",
        M.REGISTRATION,
        "deelnemers",
        "Aantal deelnemers dat in keuken of bediening werkte en leerde.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Tevredenheid van gasten",
        M.SURVEY,
        "score 1-10",
        "Een kaartje op tafel of een korte online vraag.",
        PRAKTIJK,
    ),
    (
        GENERAL,
        "Aandeel eigen inkomsten",
        M.REGISTRATION,
        "%",
        "Omzet als deel van de totale inkomsten; laat zien hoe afhankelijk je bent van subsidie.",
        SVI,
    ),
]


# Indicators of which less is better; the others count up.
LOWER_IS_BETTER = {"Voortijdige uitval van deelnemers"}


def items() -> list[dict]:
    """Every starter-kit item as the fields of a Suggestion."""
    rows: list[dict] = []
    for theme, title, category, relation, description, source in STAKEHOLDERS:
        rows.append(
            {
                "kind": Suggestion.Kind.STAKEHOLDER,
                "theme": theme,
                "title": title,
                "category": category,
                "relation": relation,
                "description": description,
                "source": source,
            }
        )
    for theme, title, category, description, source in EFFECTS:
        rows.append(
            {
                "kind": Suggestion.Kind.EFFECT,
                "theme": theme,
                "title": title,
                "category": category,
                "is_positive": not title.startswith(NEGATIVE),
                "description": description,
                "source": source,
            }
        )
    for theme, title, method, unit, description, source in INDICATORS:
        rows.append(
            {
                "kind": Suggestion.Kind.INDICATOR,
                "theme": theme,
                "title": title,
                "method": method,
                "unit": unit,
                "direction": (
                    Indicator.Direction.DECREASE
                    if title in LOWER_IS_BETTER
                    else Indicator.Direction.INCREASE
                ),
                "description": description,
                "source": source,
            }
        )
    return rows


def load() -> int:
    """Add the starter-kit items that are missing; returns how many it added (two queries)."""
    existing = set(Suggestion.objects.values_list("kind", "title"))
    missing = [Suggestion(**row) for row in items() if (row["kind"], row["title"]) not in existing]
    Suggestion.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
