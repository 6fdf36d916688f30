"""Valid HTML: the W3C Nu checker finds no errors on the main pages.

The checker is vnu-jar from npm (pinned in package.json), run with the machine's Java
runtime. Every page of the accessibility audit is fetched through the test client as its
person sees it, and all of them are checked in one run of the checker.
"""

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

# `world` is the accessibility audit's fixture: the same round, people and worksheet.
from tests.browser.test_accessibility import PAGES, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(files: dict[Path, str]) -> list[str]:
    """Run the Nu checker once over the files; return its errors, each with the page's name."""
    assert VNU.exists(), "vnu-jar is missing: run `npm ci` in the repository root"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    names = {path.name: name for path, name in files.items()}
    errors = []
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] != "error":
            continue
        page = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        errors.append(f"{page}, line {message.get('lastLine')}: {message['message']}")
    return errors


def test_the_checker_reports_an_invalid_page(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><html lang="nl"><title>x</title><p hx-get="/x">een <div>blok</p>'
    )
    errors = nu_errors({page: "a broken page"})
    assert any("a broken page" in error and "hx-get" in error for error in errors), errors


def test_main_pages_have_no_html_errors(client, request, tmp_path):
    pages = request.getfixturevalue("world")
    files = {}
    for number, audited in enumerate(PAGES):
        client.logout()
        if audited.role:
            client.force_login(request.getfixturevalue(audited.role))
        response = client.get(audited.path(pages))
        assert response.status_code == audited.status, audited.name
        path = tmp_path / f"page-{number:02d}.html"
        path.write_bytes(response.content)
        files[path] = f"{audited.name} as {audited.role or 'anonymous'}"
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)
