"""The coordinator's lists through their FilterSet: narrowed to a district they coordinate;
an unknown district, or another district's, is a 400 with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_city_admin_narrows_the_lists_to_one_district(client, city_admin, make_host, mapo, gangnam):
    ours = make_host("host_mapo")
    theirs = make_host("host_gangnam", district=gangnam)
    client.force_login(city_admin)
    url = reverse("homeshare:coordinator")

    everything = client.get(url)
    mapo_only = client.get(url, {"district": mapo.code})

    assert everything.status_code == 200
    assert set(everything.context["host_applications"]) == {ours, theirs}
    assert mapo_only.status_code == 200
    assert list(mapo_only.context["host_applications"]) == [ours]


def test_a_district_the_coordinator_does_not_coordinate_is_refused_with_the_reason(
    client, coordinator, make_host, gangnam
):
    make_host("host_gangnam", district=gangnam)
    client.force_login(coordinator)

    response = client.get(reverse("homeshare:coordinator"), {"district": gangnam.code})

    assert response.status_code == 400
    assert response.context["filters"].errors["district"]
    assert list(response.context["host_applications"]) == []


def test_an_unknown_district_is_refused(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("homeshare:coordinator"), {"district": "no-such-code"})

    assert response.status_code == 400
