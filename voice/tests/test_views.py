"""Voice pages and API: who sees and does what, bad input, and constant query counts."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from voice import services
from voice.models import Answer, Ask, MeToo

pytestmark = pytest.mark.django_db


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _asks(by, place, n):
    return [
        services.create_ask(by=by, kind="item", text=f"Need {i}", place=place) for i in range(n)
    ]


def test_resident_makes_a_request_routed_to_the_place(client, resident, tool_centre):
    _login(client, resident)
    response = client.post(
        reverse("voice:create"), {"kind": "item", "text": "A tent", "place": "mapo-tools"}
    )
    ask = Ask.objects.get()
    assert response.status_code == 302 and response.url == reverse("voice:detail", args=[ask.pk])
    assert ask.routed_place == tool_centre and ask.asker == resident


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "x", "text": "a"},
        {"kind": "item", "text": "x" * 1001},
        {"kind": "item", "text": "a", "place": "nowhere"},
        {"kind": "item", "text": "a", "title": "abc"},
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(client, resident, data):
    response = _login(client, resident).post(reverse("voice:create"), data)
    assert response.status_code == 400 and Ask.objects.count() == 0


def test_list_filters_refuse_unknown_values_with_400(client, resident):
    response = _login(client, resident).get(
        reverse("voice:list"), {"place": "nowhere", "status": "zzz"}
    )
    assert response.status_code == 400


def test_me_too_button_counts_once(client, resident, other_resident, tool_centre):
    (ask,) = _asks(resident, tool_centre, 1)
    _login(client, other_resident)
    for _ in range(2):
        assert client.post(reverse("voice:me-too", args=[ask.pk])).status_code == 302
    assert MeToo.objects.filter(ask=ask).count() == 1
    assert (
        "1명이 공감했습니다." in client.get(reverse("voice:detail", args=[ask.pk])).content.decode()
    )


def test_volunteer_answers_and_sets_planned_others_refused(
    client, resident, volunteer, volunteer_elsewhere, tool_centre
):
    (ask,) = _asks(resident, tool_centre, 1)
    _login(client, volunteer_elsewhere)
    assert client.post(reverse("voice:answer", args=[ask.pk]), {"text": "no"}).status_code == 403
    _login(client, volunteer)
    assert (
        client.post(reverse("voice:answer", args=[ask.pk]), {"text": "We will buy one"}).status_code
        == 302
    )
    response = client.post(
        reverse("voice:status", args=[ask.pk]), {"status": "planned", "reason": "January budget"}
    )
    assert response.status_code == 302
    bad = client.post(reverse("voice:status", args=[ask.pk]), {"status": "declined", "reason": ""})
    assert bad.status_code == 400
    ask.refresh_from_db()
    assert ask.status == "planned" and Answer.objects.filter(ask=ask).count() == 1


def test_merge_form_refuses_a_missing_request(client, resident, staff, tool_centre):
    (ask,) = _asks(resident, tool_centre, 1)
    response = _login(client, staff).post(reverse("voice:merge", args=[ask.pk]), {"into": "999999"})
    assert response.status_code == 400


def test_inbox_shows_only_asks_of_the_volunteers_places(
    client, resident, volunteer, tool_centre, other_centre
):
    _asks(resident, tool_centre, 1)
    services.create_ask(by=resident, kind="item", text="Gangnam thing", place=other_centre)
    body = _login(client, volunteer).get(reverse("voice:inbox")).content.decode()
    assert "Need 0" in body and "Gangnam thing" not in body


def test_residents_have_no_inbox(client, resident):
    assert _login(client, resident).get(reverse("voice:inbox")).status_code == 403


@pytest.mark.parametrize("name", ["voice:list", "voice:inbox", "api:voice-asks-list"])
def test_list_queries_do_not_grow_with_rows(
    client, resident, staff, tool_centre, django_assert_num_queries, name
):
    _asks(resident, tool_centre, 1)
    _login(client, staff)
    client.get(reverse(name))  # warm caches (reference lists, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(name)).status_code == 200
    _asks(resident, tool_centre, 19)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_api_create_me_too_answer_status_merge(
    client, resident, other_resident, staff, tool_centre, title
):
    _login(client, resident)
    response = client.post(
        reverse("api:voice-asks-list"),
        {"kind": "item", "text": "A tent", "place": "mapo-tools"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    other = client.post(
        reverse("api:voice-asks-list"),
        {"kind": "item", "text": "Tent too", "place": "mapo-tools"},
        content_type="application/json",
    ).json()["id"]
    assert (
        client.post(
            reverse("api:voice-answer", args=[pk]), {"text": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    _login(client, other_resident)
    assert client.post(reverse("api:voice-me-too", args=[pk])).status_code == 201
    _login(client, staff)
    assert (
        client.post(
            reverse("api:voice-answer", args=[pk]), {"text": "Yes"}, content_type="application/json"
        ).status_code
        == 201
    )
    bad = client.post(
        reverse("api:voice-status", args=[pk]),
        {"status": "planned"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    response = client.post(
        reverse("api:voice-status", args=[pk]),
        {"status": "acquired", "reason": "Bought", "title": title.pk},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "acquired"
    merged = client.post(
        reverse("api:voice-merge", args=[other]), {"into": pk}, content_type="application/json"
    )
    assert merged.status_code == 200 and merged.json()["merged_into"] == pk
    assert MeToo.objects.filter(ask_id=pk).count() == 1  # other_resident; resident asked it
