from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "error", [Exception("gone"), OperationalError("gone"), InterfaceError("closed")]
)
def test_healthz_answers_503_while_the_database_is_down_and_200_after(client, db, error):
    with mock.patch("impactlab.views.connection.cursor", side_effect=error):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert client.get("/healthz").status_code == 200


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
