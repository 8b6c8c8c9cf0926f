"""Impact factors over the API: city admins only, the page's form, the page's service."""

import pytest
from django.urls import reverse

from lending.models import Event, ImpactFactor
from lending.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def tools(db):
    return CategoryFactory(slug="r-tools", name_ko="공구", name_en="Tools")


def factor_url(category):
    return reverse("api:reports-impact-factor", args=[category.pk])


def test_a_city_admin_sets_an_impact_factor_and_twice_is_harmless(client, city_admin, tools):
    client.force_login(city_admin)
    body = {"basis": "fixed", "money_share": "0", "money_fixed": "7000", "co2_kg": "1.5"}

    response = client.post(factor_url(tools), body, content_type=JSON)
    again = client.post(factor_url(tools), body, content_type=JSON)

    assert response.status_code == 200 and again.status_code == 200
    assert response.json()["category"] == "r-tools" and response.json()["basis"] == "fixed"
    factor = ImpactFactor.objects.get(category=tools)
    assert (factor.basis, factor.money_fixed, str(factor.co2_kg)) == ("fixed", 7000, "1.500")
    assert factor.updated_by == city_admin
    assert Event.objects.filter(action="impact", actor=city_admin).count() == 1


def test_a_bad_impact_factor_is_refused_with_the_forms_messages(client, city_admin, tools):
    city_admin.preferred_language = "en"
    city_admin.save(update_fields=["preferred_language"])
    client.force_login(city_admin)

    out_of_range = client.post(
        factor_url(tools),
        {"basis": "share", "money_share": "3", "money_fixed": "0", "co2_kg": "-1"},
        content_type=JSON,
    )
    wrong_types = client.post(
        factor_url(tools),
        {"basis": "gift", "money_share": "lots", "money_fixed": [], "co2_kg": {}},
        content_type=JSON,
    )

    assert out_of_range.status_code == 400
    errors = out_of_range.json()["detail"]
    assert errors["money_share"] == ["Ensure this value is less than or equal to 1."]
    assert errors["co2_kg"] == ["Ensure this value is greater than or equal to 0."]
    assert wrong_types.status_code == 400 and wrong_types.json()["code"] == "invalid"
    assert not ImpactFactor.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "resident"])
def test_only_city_admins_change_the_city_wide_factors(client, request, persona, tools):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        factor_url(tools),
        {"basis": "fixed", "money_share": "0", "money_fixed": "7000", "co2_kg": "1.5"},
        content_type=JSON,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 403
    assert not ImpactFactor.objects.exists()
    assert not Event.objects.filter(action="impact").exists()
