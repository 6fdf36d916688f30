"""The financial proxies of the starter kit: amounts a funder can check at their source.

Each figure below was read at the source named with it (December 2026). Where no reliable
public figure was found, the proxy is left out rather than guessed:

- a year of a sheltered workplace (beschut werk): no public average cost per place found;
- CO2 avoided per reused bicycle: no public life-cycle figure found;
- waste processing cost per tonne (beyond the tax): it differs per gemeente and contract;
- True Price's wellbeing effect for Meerlanden (€ 8.800 per person): the public summary
  does not say over which period, so it cannot be used per year;
- CE Delft's Handboek Milieuprijzen 2023 CO2 price: the figure itself could not be read
  from a public page; the CPB/PBL CO2 prices for MKBA's are used instead.

UK values (HACT's Social Value Bank) are licensed and in pounds: they are left out.
``load`` adds what is missing and keeps what coordinators changed in the app.
"""

from __future__ import annotations

from decimal import Decimal

from impact.models import Beneficiary, ValueProxy

WESTLAND = (
    "https://www.gemeentewestland.nl/aanvragen-en-regelen/toeslagen-vergoedingen-en-bijdragen/"
    "normenoverzicht-minimuminkomen-voor-de-bijzondere-bijstand"
)
BIJSTAND_SOURCE = (
    "Normbedragen Participatiewet per 1 januari 2025 (normenoverzicht Gemeente Westland)"
)
WLO_CO2 = (
    "https://www.cpb.nl/publicatie/wlo-klimaatscenarios-en-de-waardering-van-co2-uitstoot-mkbas"
)
WLO_CO2_SOURCE = (
    "CPB/PBL, WLO-klimaatscenario's en de waardering van CO2-uitstoot in MKBA's (2016): "
    "tweegradenverkenning 100–500 euro per ton CO2 in 2030, prijspeil 2013"
)
EURIC = (
    "https://euric-aisbl.eu/branches/eurictextiles/item/"
    "643-study-lca-based-assessment-of-the-management-of-european-used-textiles"
)
TNO_BKN = "https://www.delokatie.org/over-ons/resultaten/artikel/positieve-bijdrage-aan-milieu"
MINIMUM_WAGE = (
    "https://www.accountancyvanmorgen.nl/2024/10/16/"
    "minimumuurloon-in-2025-regeling-indexatieregeling-gepubliceerd/"
)

PROXIES: list[dict] = [
    {
        "title": "Bijstandsuitkering alleenstaande (21+) niet meer nodig, per jaar",
        "description": (
            "Een jaar bijstand die de gemeente niet meer betaalt als iemand aan het werk gaat: "
            "12 × de norm van € 1.345,45 netto per maand (inclusief vakantietoeslag)."
        ),
        "amount": Decimal("16145.40"),
        "unit": "persoon per jaar",
        "year": 2025,
        "source": BIJSTAND_SOURCE,
        "source_url": WESTLAND,
        "beneficiary": Beneficiary.MUNICIPALITY,
        "is_transfer": True,
        "caveat": (
            "Een overdracht: de gemeente bespaart, de persoon verliest de uitkering. Tel het "
            "niet ook nog eens mee in een loon of in de True Price-waarde van re-integratie."
        ),
    },
    {
        "title": "Bijstandsuitkering alleenstaande (21+), per maand",
        "description": "De bijstandsnorm voor een alleenstaande van 21 jaar of ouder, netto.",
        "amount": Decimal("1345.45"),
        "unit": "persoon per maand",
        "year": 2025,
        "source": BIJSTAND_SOURCE,
        "source_url": WESTLAND,
        "beneficiary": Beneficiary.MUNICIPALITY,
        "is_transfer": True,
        "caveat": "Voor wie een deel van het jaar uit de bijstand is; aantal = aantal maanden.",
    },
    {
        "title": "Bijstandsuitkering gehuwden of samenwonenden (21+) niet meer nodig, per jaar",
        "description": (
            "12 × de gezinsnorm van € 1.922,07 netto per maand (inclusief vakantietoeslag)."
        ),
        "amount": Decimal("23064.84"),
        "unit": "huishouden per jaar",
        "year": 2025,
        "source": BIJSTAND_SOURCE,
        "source_url": WESTLAND,
        "beneficiary": Beneficiary.MUNICIPALITY,
        "is_transfer": True,
        "caveat": "Alleen als het hele huishouden uit de bijstand gaat.",
    },
    {
        "title": "Bijstandsuitkering jongere (18–20) niet meer nodig, per jaar",
        "description": "12 × de norm van € 332,17 netto per maand voor een alleenstaande (18–20).",
        "amount": Decimal("3986.04"),
        "unit": "persoon per jaar",
        "year": 2025,
        "source": BIJSTAND_SOURCE,
        "source_url": WESTLAND,
        "beneficiary": Beneficiary.MUNICIPALITY,
        "is_transfer": True,
        "caveat": "Een overdracht, zoals elke uitkering.",
    },
    {
        "title": "Jaar betaald werk op het minimumloon (voltijds, bruto)",
        "description": (
            "Het inkomen uit een jaar voltijds werk op het wettelijk minimumloon: "
            "12 × het referentiemaandloon van € 2.191,80 bruto (zonder vakantiegeld)."
        ),
        "amount": Decimal("26301.60"),
        "unit": "persoon per jaar (voltijds)",
        "year": 2025,
        "source": "Regeling indexatie wettelijk minimumloon per 1 januari 2025 (SZW)",
        "source_url": MINIMUM_WAGE,
        "beneficiary": Beneficiary.TARGET_GROUP,
        "is_transfer": False,
        "caveat": (
            "Reken met de uren die mensen echt werken. Wie ook de bespaarde bijstand telt, "
            "telt het inkomen dubbel: kies het verschil tussen loon en uitkering."
        ),
    },
    {
        "title": "Uur vrijwillige inzet (vervangingswaarde op het minimumloon)",
        "description": (
            "Wat een uur vrijwilligerswerk zou kosten als een betaalde kracht het deed, "
            "gewaardeerd tegen het wettelijk minimumuurloon (methode Meijs/Movisie)."
        ),
        "amount": Decimal("14.40"),
        "unit": "uur",
        "year": 2025,
        "source": (
            "Wettelijk minimumuurloon 21+ per 1 juli 2025 (SZW); methode: Movisie, "
            "De waarde van vrijwillige inzet (vervangingswaarde)"
        ),
        "source_url": "https://www.movisie.nl/artikel/waarde-vrijwillige-inzet",
        "beneficiary": Beneficiary.ORGANISATION,
        "is_transfer": False,
        "caveat": (
            "Een ondergrens: voor vakwerk past het uurloon van het beroep beter. Vaak hoort "
            "het bij de investeringen (tijd) en niet bij de baten."
        ),
    },
    {
        "title": "Re-integratie in werk: financiële impact (True Price voor Meerlanden)",
        "description": (
            "Inkomensstijging voor de deelnemer, besparing voor de gemeente en hogere "
            "belastingopbrengst samen, gemiddeld per jaar over vijf jaar, voor mensen met een "
            "afstand tot de arbeidsmarkt die bij Meerlanden aan het werk gingen."
        ),
        "amount": Decimal("7400.00"),
        "unit": "persoon per jaar",
        "year": 2018,
        "source": "True Price voor Meerlanden (2018), samengevat door P+",
        "source_url": "https://www.p-plus.nl/nl/nieuws/impact-re-integratie-TruePrice",
        "beneficiary": Beneficiary.OTHER,
        "is_transfer": False,
        "caveat": (
            "Bevat al de besparing op uitkeringen en het hogere inkomen: tel die er niet nog "
            "eens bij. Uit 2018 en voor één bedrijf: corrigeer voor inflatie en zeg waarom het "
            "bij jullie past."
        ),
    },
    {
        "title": "CO2 vermeden, ondergrens (per kg)",
        "description": "De maatschappelijke waarde van een kilo CO2 die niet wordt uitgestoten.",
        "amount": Decimal("0.10"),
        "unit": "kg CO2",
        "year": 2013,
        "source": WLO_CO2_SOURCE,
        "source_url": WLO_CO2,
        "beneficiary": Beneficiary.ENVIRONMENT,
        "is_transfer": False,
        "caveat": "De ondergrens van de band (100 euro per ton), prijspeil 2013.",
    },
    {
        "title": "CO2 vermeden, bovengrens (per kg)",
        "description": "Dezelfde waarde aan de bovenkant van de band, voor de gevoeligheid.",
        "amount": Decimal("0.50"),
        "unit": "kg CO2",
        "year": 2013,
        "source": WLO_CO2_SOURCE,
        "source_url": WLO_CO2,
        "beneficiary": Beneficiary.ENVIRONMENT,
        "is_transfer": False,
        "caveat": "De bovengrens van de band (500 euro per ton), prijspeil 2013.",
    },
    {
        "title": "Hergebruikt kledingstuk: CO2 vermeden",
        "description": (
            "Hergebruik van een kledingstuk van goede of middelmatige kwaliteit bespaart meer "
            "dan 3 kg CO2 ten opzichte van een nieuw (EuRIC Textiles, LCA 2023), gewaardeerd "
            "tegen de ondergrens van 0,10 euro per kg CO2."
        ),
        "amount": Decimal("0.30"),
        "unit": "verkocht kledingstuk",
        "year": 2013,
        "source": (
            f"EuRIC Textiles, LCA-based assessment of European used textiles (2023); "
            f"{WLO_CO2_SOURCE}"
        ),
        "source_url": EURIC,
        "beneficiary": Beneficiary.ENVIRONMENT,
        "is_transfer": False,
        "caveat": (
            "Alleen voor kleding die echt opnieuw gedragen wordt, niet voor wat naar de "
            "recycling gaat. Het prijsjaar is dat van de CO2-prijs."
        ),
    },
    {
        "title": "Ton ingezamelde goederen: CO2 vermeden",
        "description": (
            "TNO berekende voor de branchevereniging BKN dat het inzamelen van een ton "
            "goederen door kringloopwinkels een ton CO2 bespaart; gewaardeerd tegen de "
            "ondergrens van 100 euro per ton CO2."
        ),
        "amount": Decimal("100.00"),
        "unit": "ton ingezamelde goederen",
        "year": 2013,
        "source": (
            f"TNO voor BKN, zoals beschreven door kringloopbedrijf De Lokatie; {WLO_CO2_SOURCE}"
        ),
        "source_url": TNO_BKN,
        "beneficiary": Beneficiary.ENVIRONMENT,
        "is_transfer": False,
        "caveat": (
            "Tel dit niet samen met de CO2 per kledingstuk voor dezelfde goederen. Het "
            "prijsjaar is dat van de CO2-prijs; het TNO-rapport zelf is niet openbaar gevonden."
        ),
    },
    {
        "title": "Afvalstoffenbelasting vermeden per ton (storten of verbranden)",
        "description": (
            "De rijksbelasting op storten en verbranden die niet betaald hoeft te worden als "
            "goederen worden hergebruikt: € 32,63 per 1.000 kg in 2020."
        ),
        "amount": Decimal("32.63"),
        "unit": "ton",
        "year": 2020,
        "source": "Ministerie van IenW via AfvalOnline: tarief afvalstoffenbelasting 2020",
        "source_url": (
            "https://www.rondoafvalbeheer.nl/nl/marktontwikkelingen/"
            "afvalstoffenbelasting-licht-gestegen-in-2020/"
        ),
        "beneficiary": Beneficiary.MUNICIPALITY,
        "is_transfer": True,
        "caveat": (
            "Een belasting, dus een overdracht; de verwerkingskosten zelf komen erbij (vraag ze "
            "aan je gemeente). Het tarief is sinds 2020 verhoogd: zoek het huidige op bij de "
            "Belastingdienst."
        ),
    },
]


def load() -> int:
    """Add the proxies that are missing, by title; returns how many (two queries)."""
    existing = set(ValueProxy.objects.values_list("title", flat=True))
    missing = [ValueProxy(**row) for row in PROXIES if row["title"] not in existing]
    ValueProxy.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
