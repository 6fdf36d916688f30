from django.test import Client


def test_404_page_uses_the_site_layout(client_for, participant):
    response = client_for(participant).get("/bestaat-niet/")
    assert response.status_code == 404
    assert 'class="site-header"' in response.text


def test_500_page_is_plain_and_bilingual(db, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.urls_crash"
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text
    assert "Something went wrong" in response.text
