"""The one rule for text that every form of the project applies: no control characters (tab
and line breaks only in a textarea), no lone surrogates, no noncharacters."""

import pytest
from allauth.account.forms import ResetPasswordForm
from django import forms
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import translation

from organisations.fields import UNPRINTABLE_RE, printable
from organisations.forms import OrganisationForm
from organisations.models import Organisation


class Sample(forms.Form):
    line = forms.CharField(required=False)
    text = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize(
    "value",
    [
        "a\x0bb",
        "a\x00b",
        "a\x1bb",
        "a\x7fb",
        "a\x85b",
        "a\x9fb",
        "a\ud800b",
        "a\ufffeb",
        "a\U0010ffffb",
    ],
)
def test_a_control_character_surrogate_or_noncharacter_is_refused_everywhere(value):
    for name in ("line", "text"):
        form = Sample(data={name: value})
        assert not form.is_valid()
        assert form.errors[name][0].startswith("Deze tekst bevat een onzichtbaar stuurteken (U+")


def test_tab_and_line_breaks_are_taken_only_in_a_textarea():
    form = Sample(data={"line": "a\tb", "text": "een\r\ntwee\tdrie\nvier"})
    assert not form.is_valid()
    assert list(form.errors) == ["line"]
    assert "(U+0009)" in form.errors["line"][0]
    form = Sample(data={"line": "Kringloop 💪🏽 é ‍", "text": "een\r\ntwee\tdrie"})
    assert form.is_valid()


def test_the_rule_follows_a_widget_changed_after_the_form_was_made():
    form = Sample(data={"line": "een\ntwee"})
    form.fields["line"].widget = forms.Textarea()
    assert form.is_valid()


def test_allauth_and_admin_forms_apply_the_rule_too():
    form = ResetPasswordForm(data={"email": "nadia\x0b@example.org"})
    assert not form.is_valid()
    admin_form = site.get_model_admin(Organisation).get_form(None)(
        data={"name": "Kringloop\x0bZwolle", "kind": Organisation.Kind.PARTICIPANT}
    )
    assert not admin_form.is_valid()
    assert "stuurteken" in str(admin_form.errors["name"])


def test_the_english_message_names_the_character():
    with translation.override("en"):
        form = OrganisationForm(data={"name": "Kringloop\x1b", "kind": "participant"})
        assert not form.is_valid()
        assert "invisible control character (U+001B)" in form.errors["name"][0]


def test_printable_keeps_text_and_line_breaks_and_drops_the_rest():
    assert printable("Werk\x0b voor\x00 iedereen\n\tmet \ud800lunch\ufdd0 ♻️") == (
        "Werk voor iedereen\n\tmet lunch ♻️"
    )
    assert not UNPRINTABLE_RE.search(printable("".join(map(chr, range(0x110000)))))


def test_organisation_page_shows_the_dutch_refusal(client_for, participant, organisation):
    response = client_for(participant).post(
        reverse("organisations:edit", args=[organisation.pk]),
        {"name": "Kringloop\x0bZwolle", "city": "Zwolle", "website": "", "mission": ""},
    )
    assert response.status_code == 200
    assert "onzichtbaar stuurteken (U+000B)" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Kringloop Zwolle"
