"""Our own form fuzzer: every form each persona can reach, filled with extremes.

The world is the permission matrix's (tests/personas.py). For each persona, every page the
matrix's rules give them (GET 200) is read, and every form on it is collected, as a browser
would submit it: POST forms and GET forms (search, filters). The desk people first scan the
resident's card and an item, so the basket, check-out and verify forms are on their page.

Hypothesis then fills each form's fields with what people type by mistake or on purpose
(tests/fuzz/forms.py): dates 0001-01-01 and 9999-12-31, huge, negative and decimal numbers,
10,000 characters, RTL marks, emoji, NUL, wrong choices, tampered hidden fields, junk files.
Each submission must answer below 500, and so must the page it redirects to and, after the
form's examples, the page the form is on. What was accepted stays (one savepoint for the
whole walk), and at the end every persona reads every page the rules give them again: a page
showing a saved value never fails.

FUZZ_EXAMPLES (default 1, so `make test` submits each form once) sets the examples per form;
CI runs 15 in a step of its own (.ci/run).
"""

# ruff: noqa: F811 - fixtures imported from tests.personas
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.forms import Form, files, forms_on, value_for
from tests.personas import (  # noqa: F401 - fixtures
    PERSONAS,
    World,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)
from tests.test_permission_matrix import ALL_URLS, ROLES, RULES, kwargs_for, rolled_back

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))
# The Django admin is the city admins' own tool, tested by Django; logging out ends the walk.
SKIPPED_ACTIONS = ("/admin/", "/accounts/logout/")


def readable_pages(w: World, persona: str) -> list[str]:
    """Every page the rules give this persona: GET answers 200."""
    pages = []
    for name, (get, _post) in sorted(RULES.items()):
        if get.status(persona) == 200 and not name.startswith("api"):
            pages.append(reverse(name, kwargs=kwargs_for(name, ALL_URLS[name], w)))
    return pages


def client_for(w: World, persona: str) -> Client:
    caches["ratelimit"].clear()  # every persona shares the test client's address
    return w.client(persona, HTTP_ACCEPT_LANGUAGE="ko")


def reachable_forms(w: World, persona: str) -> Iterator[tuple[str, Form]]:
    client = client_for(w, persona)
    if persona in ROLES["desk"]:  # a member and an item on the desk: the basket's forms
        scan = reverse("tool_centres:scan", args=[w.tool_centre.slug])
        for code in (w.users["resident"].member_number, w.item.code):
            client.post(scan, {"code": code})
    seen = set()
    for page in readable_pages(w, persona):
        response = client.get(page)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_on(page, response.content.decode()):
            local = urlsplit(form.action)
            if local.netloc or form.action.startswith(SKIPPED_ACTIONS):
                continue
            if form.signature() not in seen:
                seen.add(form.signature())
                yield page, form


def submit(client: Client, form: Form, values: dict[str, Any]) -> Any:
    if form.method == "get":
        return client.get(form.action, {k: v for k, v in values.items() if isinstance(v, str)})
    return client.post(form.action, values)


def assert_answers(client: Client, url: str, where: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, f"{where}: GET {url} answered {response.status_code}"


def fuzz_form(client: Client, page: str, form: Form, where: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def one_submission(data: st.DataObject) -> None:
        values: dict[str, Any] = {}
        for f in form.fields.values():
            if f.kind == "file":
                content = data.draw(files, label=f.name)
                values[f.name] = SimpleUploadedFile("upload.pdf", content)
                continue
            value = data.draw(value_for(f), label=f.name)
            if value is not None:
                values[f.name] = value
        response = submit(client, form, values)
        assert response.status_code < 500, f"{where}: answered {response.status_code}"
        location = response.get("Location", "")
        if response.status_code in (301, 302, 303) and location.startswith("/"):
            assert_answers(client, location, where)

    one_submission()
    assert_answers(client, page, where)


def test_no_form_any_persona_reaches_gives_a_server_error(world: World) -> None:
    walked = {persona: list(reachable_forms(world, persona)) for persona in PERSONAS}
    assert sum(len(forms) for forms in walked.values()) > 40, "the walk found too few forms"
    with rolled_back():
        for persona, forms in walked.items():
            for page, form in forms:
                client = client_for(world, persona)
                fuzz_form(client, page, form, f"{persona}: {form.method.upper()} {form.action}")
        # Everything accepted above is still in the database: every page still renders.
        for persona in PERSONAS:
            client = client_for(world, persona)
            for page in readable_pages(world, persona):
                assert_answers(client, page, f"{persona} after the walk")
