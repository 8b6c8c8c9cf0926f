import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_reports_a_stopped_broker_as_503(client):
    from sharing_city.celery import app

    # Nothing listens on port 1: the broker is down.
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("core:healthz"))
    finally:
        app.conf.broker_url = original

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


def test_api_root_lists_collections_and_schema(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    links = response.json()
    assert links["schema"].endswith("/api/schema/")
    assert "/api/v1/tool-centres/" in links["desk-places"]
    assert "/api/v1/closets/" in links["closets-garments"]
    assert "/api/v1/homeshare/" in links["homeshare-matches"]


def test_openapi_schema_is_generated_without_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")


def test_swagger_ui_is_served_from_local_static_files(client):
    response = client.get("/api/docs/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "drf_spectacular_sidecar/swagger-ui-dist" in body
    # Nothing is fetched from another host (a random token may contain "cdn", so look at URLs).
    assert re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", body) == []


def test_me_needs_login_and_returns_only_my_record(client, resident):
    assert client.get("/api/v1/accounts/me/").status_code in (401, 403)

    client.force_login(resident)
    data = client.get("/api/v1/accounts/me/").json()

    assert data["username"] == "resident"
    assert data["member_number"] == resident.member_number


def test_api_page_size_is_bounded(client, districts):
    data = client.get("/api/v1/accounts/districts/?limit=99999999999999999999").json()

    assert len(data["results"]) == 25
    assert data["count"] == 25


def test_token_authentication_works(client, resident):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=resident)
    response = client.get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
