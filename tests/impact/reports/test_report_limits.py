"""Limits on report rendering: one render at a time per person, a few per server, a rate
limit per person on report and export downloads, and a memory and time ceiling per render
that ends in a message, never a stalled worker."""

import fcntl
import multiprocessing
import os
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from impact.reports import isolation, pdf
from tests.factories import make_worksheet_content


@pytest.fixture(autouse=True)
def _slots(settings, tmp_path):
    settings.IMPACTLAB_RENDER_SLOT_DIR = tmp_path / "slots"


@pytest.fixture
def filled(worksheet):
    return make_worksheet_content(worksheet, effects=1, results=1)


def report_url(worksheet):
    return reverse("impact:worksheet_report_pdf", args=[worksheet.pk])


def assert_refused(response, text: str) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert text in response.text, response.text
    assert (
        reverse(
            "impact:worksheet_reports", args=[response.wsgi_request.resolver_match.kwargs["pk"]]
        )
        in response.text
    )


def test_a_second_report_while_the_first_is_made_gets_the_being_made_page(
    client_for, participant, colleague, filled
):
    cache.add(f"impactlab:render:person:{participant.pk}", "in progress", timeout=60)
    for name in ("worksheet_report_pdf", "worksheet_summary_pdf"):
        response = client_for(participant).get(reverse(f"impact:{name}", args=[filled.pk]))
        assert_refused(response, "Je rapport wordt gemaakt")
    # A colleague of the same organisation is not held up.
    response = client_for(colleague).get(report_url(filled))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_persons_slot_is_free_again_after_a_report(client_for, participant, filled):
    client = client_for(participant)
    assert client.get(report_url(filled)).status_code == 200
    assert client.get(report_url(filled)).status_code == 200
    assert cache.get(f"impactlab:render:person:{participant.pk}") is None


def test_when_the_servers_slots_are_taken_reports_wait_with_a_429(
    settings, client_for, participant, trainer, filled
):
    settings.IMPACTLAB_RENDERS_PER_SERVER = 2
    folder = settings.IMPACTLAB_RENDER_SLOT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    held = []
    for number in range(2):  # as two renders in other workers would hold them
        descriptor = os.open(folder / f"slot-{number}.lock", os.O_RDWR | os.O_CREAT)
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.append(descriptor)
    try:
        started = time.monotonic()
        assert_refused(client_for(participant).get(report_url(filled)), "veel rapporten tegelijk")
        assert time.monotonic() - started < 2  # answered at once, no waiting worker
        response = client_for(trainer).get(
            reverse("impact:cohort_xlsx", args=[filled.enrolment.cohort_id])
        )
        assert response.status_code == 429
    finally:
        for descriptor in held:
            os.close(descriptor)
    assert client_for(participant).get(report_url(filled)).status_code == 200


def test_report_and_export_downloads_are_rate_limited_per_person(
    settings, client_for, participant, colleague, filled
):
    settings.IMPACTLAB_REPORT_RATE = "3/300"
    client = client_for(participant)
    url = reverse("impact:worksheet_json", args=[filled.pk])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert_refused(response, "in korte tijd veel rapporten en exports")
    assert client.get(report_url(filled)).status_code == 429
    assert client_for(colleague).get(url).status_code == 200


def test_a_render_over_the_memory_ceiling_fails_with_a_message(
    settings, monkeypatch, client_for, participant, filled
):
    # A render that needs 256 MB of new memory, whatever the web process freed before (a
    # render reuses freed memory without growing, so a real report's need depends on what
    # ran earlier in the process).
    layout = pdf.html_to_pdf

    def hungry(*args, **kwargs):
        needed = bytearray(256 * 1024 * 1024)
        assert len(needed)
        return layout(*args, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", hungry)
    settings.IMPACTLAB_PDF_MEMORY_MB = 1
    client = client_for(participant)
    response = client.get(report_url(filled), follow=True)
    assert response.redirect_chain[-1][0] == reverse("impact:worksheet_reports", args=[filled.pk])
    assert "meer geheugen nodig dan een rapport mag gebruiken" in response.text
    settings.IMPACTLAB_PDF_MEMORY_MB = 600
    assert client.get(report_url(filled)).status_code == 200


def test_a_render_over_the_time_ceiling_is_stopped_with_a_message(
    settings, client_for, participant, filled
):
    settings.IMPACTLAB_PDF_TIMEOUT = 0.05
    before = {p.pid for p in multiprocessing.active_children()}
    response = client_for(participant).get(report_url(filled), follow=True)
    assert response.redirect_chain[-1][0] == reverse("impact:worksheet_reports", args=[filled.pk])
    assert "Het maken van het rapport duurde te lang." in response.text
    assert {p.pid for p in multiprocessing.active_children()} <= before  # the child is gone


def test_isolated_renders_return_results_and_report_failures():
    assert isolation.run(lambda a, b, send_progress: a + b, 2, 3) == 5
    seen = []

    def with_progress(send_progress):
        for page in (1, 2, 3):
            send_progress(page)
        return "klaar"

    assert isolation.run(with_progress, on_progress=seen.append) == "klaar"
    assert seen == [1, 2, 3]

    def failing(send_progress):
        raise ValueError("kapot")

    with pytest.raises(isolation.RenderFailed, match="ValueError: kapot"):
        isolation.run(failing)

    def dying(send_progress):
        os._exit(3)

    with pytest.raises(isolation.RenderFailed):
        isolation.run(dying)


def test_renders_wait_for_the_cpu_behind_everyone_elses_pages(settings):
    settings.IMPACTLAB_PDF_NICENESS = 10
    parent = os.nice(0)
    assert isolation.run(lambda send_progress: os.nice(0)) == min(19, parent + 10)
    settings.IMPACTLAB_PDF_NICENESS = 0
    assert isolation.run(lambda send_progress: os.nice(0)) == parent
