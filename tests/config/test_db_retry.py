"""config.db_retry: a GET whose database connection was killed (PostgreSQL restart) is
answered from a new connection; a POST is not repeated."""
import psycopg
import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def kill_django_connection():
    """Terminate the backend of Django's connection from a second connection, as a restart would."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_get_is_retried_once_on_a_new_connection(city, caplog):
    client = Client(raise_request_exception=False)
    kill_django_connection()
    response = client.get("/api/v1/categories/")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == [city.category.slug]
    assert "Database connection dropped during GET /api/v1/categories/; retrying once" in caplog.text


def test_post_is_not_repeated(city, caplog):
    client = Client(raise_request_exception=False)
    kill_django_connection()
    response = client.post("/api/v1/reports/", {"category": city.category.slug, "lon": 12.05, "lat": 50.875,
                                                "description": "Loch"}, content_type="application/json")
    assert response.status_code == 500
    assert "retrying once" not in caplog.text
    connection.close()
    from reporter.models import Report

    assert Report.objects.count() == 0
