"""The database going away mid-request: a clean error page, then the app recovers."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client

IS_POSTGRES = connection.vendor == "postgresql"


def _fail_once(error: Exception):
    """Patch every query of the next request to raise `error`; the one after works."""
    return mock.patch.object(CursorWrapper, "execute", side_effect=error)


@pytest.fixture
def production_errors(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("closed")],
)
def test_a_request_during_an_outage_gets_the_plain_error_page_and_the_next_one_works(
    production_errors, participant, error
):
    client = _signed_in(participant)
    with _fail_once(error):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text
    assert "server closed" not in response.text
    assert client.get("/").status_code == 200


@pytest.mark.skipif(not IS_POSTGRES, reason="terminates a PostgreSQL backend")
def test_the_app_recovers_when_postgresql_drops_its_pooled_connections(transactional_db, client):
    import psycopg

    assert client.get("/healthz").status_code == 200
    # A server hands the connection back to the pool at the end of every request; the test
    # client does not, so do it here.
    connection.close()
    # Another connection kills every backend of this database, as a restart or failover would.
    params = connection.get_connection_params()
    params.pop("pool", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert killed >= 1
    # The pool hands out a checked connection: no request fails after the outage.
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
