"""The impact chain diagram: structure, links, escaping and the SVG view."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from impact.worksheet.chain import chain_svg, indicator_chart_svg
from impact.worksheet.data import report_view, worksheet_data
from tests.factories import (
    ActivityFactory,
    EffectFactory,
    OutputFactory,
    StakeholderFactory,
    WorksheetFactory,
    make_worksheet_content,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def worksheet(organisation):
    return WorksheetFactory(enrolment=organisation.enrolments.get())


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def test_chain_has_five_columns_and_is_accessible(worksheet):
    make_worksheet_content(worksheet)

    root = parse(chain_svg(worksheet))

    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    assert "Kringloop Zwolle" in root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text
    assert root.get("aria-labelledby").split() == [
        root.find(f"{SVG}title").get("id"),
        root.find(f"{SVG}desc").get("id"),
    ]
    # 4 stakeholders, 2 activities, 2 outputs, 3 effects and the goal.
    assert len(root.findall(f"{SVG}rect")) == 4 + 2 + 2 + 3 + 1


def test_lines_follow_the_links_in_the_worksheet(worksheet):
    uwv = StakeholderFactory(worksheet=worksheet, name="UWV")
    StakeholderFactory(worksheet=worksheet, name="Klanten")  # linked to nothing
    training = ActivityFactory(worksheet=worksheet, title="Opleiding", stakeholders=[uwv])
    OutputFactory(activity=training, description="certificaten")
    OutputFactory(activity=training, description="stageplekken")
    bare = ActivityFactory(worksheet=worksheet, title="Winkel", stakeholders=[])
    EffectFactory(worksheet=worksheet, stakeholder=uwv, activities=[training, bare])

    root = parse(chain_svg(worksheet))

    # uwv→training, training→2 outputs, 2 outputs→effect, winkel→effect, effect→goal.
    links = root.find(f"{SVG}path[@class='links']").get("d")
    assert links.count("M") == 1 + 2 + 2 + 1 + 1


def test_user_text_is_escaped_in_the_svg(worksheet):
    hostile = "<script>alert(\"x\")</script> & 'quotes'"
    worksheet.impact_goal = hostile
    worksheet.save()
    stakeholder = StakeholderFactory(worksheet=worksheet, name=hostile)
    EffectFactory(worksheet=worksheet, stakeholder=stakeholder, description=hostile)

    svg = str(chain_svg(worksheet))

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert " style=" not in svg
    root = parse(svg)  # still well-formed XML
    texts = "".join(root.itertext())
    assert "<script>" in texts  # the text itself survives, as text


def stakeholder_lines(svg) -> list[str]:
    stakeholder_text = parse(svg).findall(f"{SVG}text")[5]  # after the five column headings
    return [span.text for span in stakeholder_text.findall(f"{SVG}tspan")]


def test_long_text_is_wrapped_whole(worksheet):
    StakeholderFactory(worksheet=worksheet, name="Heel lange naam " * 12)

    lines = stakeholder_lines(chain_svg(worksheet))

    assert lines == ["Heel lange naam"] * 12  # every word, none cut off with "…"


def test_a_wider_column_holds_more_words_a_line(worksheet):
    StakeholderFactory(worksheet=worksheet, name="Heel lange naam " * 12)

    svg = chain_svg(worksheet, column_width=200)

    assert len(stakeholder_lines(svg)) < 12
    assert " ".join(stakeholder_lines(svg)).split() == ("Heel lange naam " * 12).split()
    assert 'viewBox="0 0 1136 ' in str(svg)


def test_compact_chain_cuts_long_text_after_max_lines(worksheet):
    StakeholderFactory(worksheet=worksheet, name="Heel lange naam " * 12)

    lines = stakeholder_lines(chain_svg(worksheet, max_lines=3))

    assert len(lines) == 3
    assert lines[-1].endswith("…")


def test_many_boxes_fold_into_a_more_box(worksheet):
    for number in range(15):
        StakeholderFactory(worksheet=worksheet, name=f"Partner {number}")

    with translation.override("en"):
        svg = str(chain_svg(worksheet))

    assert "Partner 11" in svg
    assert "Partner 12" not in svg
    assert "+ 3 more" in svg


def test_empty_worksheet_still_draws_a_goal(worksheet):
    worksheet.impact_goal = ""
    worksheet.save()

    root = parse(chain_svg(worksheet))

    assert len(root.findall(f"{SVG}rect")) == 1


def test_chart_draws_bars_for_numeric_indicators(worksheet):
    make_worksheet_content(worksheet, effects=2, results=1)
    view = report_view(worksheet_data(worksheet))

    root = parse(indicator_chart_svg(view["indicators"]))

    # legend (3) + 2 indicators × (baseline, target, measured)
    assert len(root.findall(f"{SVG}rect")) == 3 + 2 * 3
    assert root.get("role") == "img"


def test_chart_is_empty_without_numbers():
    assert indicator_chart_svg([]) == ""


# --- The SVG view ---------------------------------------------------------------------


def chain_url(worksheet) -> str:
    return reverse("impact:worksheet_chain", args=[worksheet.pk])


def test_anonymous_is_sent_to_login_for_the_chain(client, worksheet):
    response = client.get(chain_url(worksheet))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("person", ["outsider", "fellow", "other_trainer"])
def test_people_outside_the_worksheet_get_404_for_the_chain(request, client_for, worksheet, person):
    response = client_for(request.getfixturevalue(person)).get(chain_url(worksheet))
    assert response.status_code == 404


@pytest.mark.parametrize("person", ["participant", "trainer", "coordinator"])
def test_chain_view_returns_svg(request, client_for, worksheet, person):
    make_worksheet_content(worksheet)

    response = client_for(request.getfixturevalue(person)).get(chain_url(worksheet))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = parse(response.content.split(b"\n", 1)[1].decode())
    assert root.tag == f"{SVG}svg"


def test_chain_view_refuses_post(client_for, participant, worksheet):
    response = client_for(participant).post(chain_url(worksheet))
    assert response.status_code == 405


# --- The print variant (PDF reports) ---------------------------------------------------


def test_print_chain_carries_its_words_in_html_one_element_per_column(worksheet):
    make_worksheet_content(worksheet, stakeholders=("UWV", "Gemeente", "Voedselbank"))

    markup = str(chain_svg(worksheet, print_width_mm=172))

    svg = markup[markup.index("<svg") : markup.index("</svg>") + len("</svg>")]
    assert "<text" not in svg  # WeasyPrint would lay SVG text out glyph by glyph
    assert len(parse(svg).findall(f"{SVG}rect")) == 3 + 2 + 2 + 3 + 1
    labels = markup[markup.index('<div class="diagram-labels"') :]
    # Five column headings, then one element per column holding all its boxes' words.
    assert labels.count('class="d-heading"') == 5
    assert labels.count('class="d-box"') == 4  # the goal has a look of its own
    assert "UWV\n\n\nGemeente\n\n\nVoedselbank" in labels


def test_print_chain_escapes_user_text(worksheet):
    hostile = "<img src=x> & co"
    StakeholderFactory(worksheet=worksheet, name=hostile)

    markup = str(chain_svg(worksheet, print_width_mm=172))

    assert "<img" not in markup
    assert "&lt;img src=x&gt; &amp; co" in markup


def test_long_dutch_compounds_are_hyphenated_not_cut(worksheet):
    StakeholderFactory(worksheet=worksheet, name="Praktijkverklaringen behaald")

    with translation.override("nl"):
        root = parse(chain_svg(worksheet))

    stakeholder_text = root.findall(f"{SVG}text")[5]  # after the five column headings
    lines = [span.text for span in stakeholder_text.findall(f"{SVG}tspan")]
    # Broken between syllables with a hyphen ("praktijkverkla-ringen"), never cut bare.
    assert lines[0].endswith("-")
    assert lines[0].removesuffix("-") in (
        "Praktijk",
        "Praktijkver",
        "Praktijkverkla",
        "Praktijkverklarin",
    )
    text = ""
    for line in lines:
        text += line.removesuffix("-") if line.endswith("-") else line + " "
    assert text.strip() == "Praktijkverklaringen behaald"


def test_reports_page_draws_the_whole_chain_across_the_page(client_for, participant, worksheet):
    StakeholderFactory(worksheet=worksheet, name="Heel lange naam " * 12)

    html = (
        client_for(participant).get(reverse("impact:worksheet_reports", args=[worksheet.pk])).text
    )

    # Inline (so the page's Source Sans 3 draws it), with the page's wider columns.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="impact-chain"' in html
    assert 'viewBox="0 0 1036 ' in html
    assert "Nog geen impactdoel" in html
    assert "…" not in html.split('class="impact-chain"')[1].split("</svg>")[0]
