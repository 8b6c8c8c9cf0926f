"""Under /api/ every error is JSON {code, detail}: unknown URLs, malformed ids, wrong methods,
server errors; and the schema documents that shape."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sharing_city.core.api.views import ApiRoot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing/", 404, "not_found"),
        ("get", "/api/v1/lending/items/not-a-number/", 404, "not_found"),
        ("get", "/api/v1/lending/items/999999/", 404, "not_found"),
        ("delete", "/api/v1/", 405, "method_not_allowed"),
    ],
)
def test_api_errors_share_one_json_shape(client, method, path, status, code) -> None:
    response = getattr(client, method)(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail"} and body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]


def test_a_server_error_under_the_api_is_json_too(monkeypatch) -> None:
    def explode(self, request):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(ApiRoot, "get", explode)

    response = Client(raise_request_exception=False).get(reverse("api:root"))

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_pages_outside_the_api_keep_their_html_error_page(client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_error_shape(client) -> None:
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations and all("default" in op["responses"] for op in operations)


def test_the_schema_offers_an_idempotency_key_on_every_write_and_only_there(client) -> None:
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    def has_key(operation: dict) -> bool:
        return any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))

    by_method = [(m, op) for path in schema["paths"].values() for m, op in path.items()]
    writes = [op for m, op in by_method if m in ("post", "put", "patch", "delete")]
    assert writes and all(has_key(op) for op in writes)
    assert not any(has_key(op) for m, op in by_method if m == "get")
    renew = schema["paths"]["/api/v1/lending/loans/{id}/renew/"]["post"]
    assert has_key(renew)
