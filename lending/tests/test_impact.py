"""Impact factors: staff set the per-category estimate; the nearest factor up the tree applies."""

from decimal import Decimal

import pytest
from django.utils import translation

from lending.models import Event, ImpactFactor
from lending.services import impact_factors_for, set_impact_factor
from lending.services.impact import ImpactFactorInvalid, ImpactFactorNotAllowed

from .conftest import TODAY
from .factories import CategoryFactory, at

pytestmark = pytest.mark.django_db


def test_a_city_admin_sets_a_share_factor_with_an_event(city_admin, drills):
    factor = set_impact_factor(
        category=drills,
        by=city_admin,
        basis="share",
        money_share="0.15",
        co2_kg="2.5",
        now=at(TODAY),
    )

    assert factor.money_per_loan(Decimal(80000)) == Decimal(12000)
    factor.refresh_from_db()
    assert (factor.basis, factor.money_share, factor.co2_kg) == ("share", Decimal("0.15"), 2.5)
    assert factor.updated_by == city_admin
    event = Event.objects.get(action=Event.Action.IMPACT)
    assert event.actor == city_admin
    assert event.data["to"]["money_share"] == "0.1500"


def test_a_fixed_amount_ignores_the_replacement_value(city_admin, drills):
    factor = set_impact_factor(
        category=drills, by=city_admin, basis="fixed", money_fixed=5000, co2_kg=0
    )

    assert factor.money_per_loan(Decimal(999999)) == Decimal(5000)


def test_setting_the_same_values_twice_is_a_no_op(city_admin, drills):
    set_impact_factor(
        category=drills, by=city_admin, basis="share", money_share="0.2", now=at(TODAY)
    )
    set_impact_factor(category=drills, by=city_admin, basis="share", money_share="0.20")

    factor = ImpactFactor.objects.get(category=drills)
    assert factor.updated_at == at(TODAY)
    assert Event.objects.filter(action=Event.Action.IMPACT).count() == 1


@pytest.mark.parametrize(
    "values",
    [
        {"basis": "share", "money_share": "1.5"},
        {"basis": "share", "money_share": "-0.1"},
        {"basis": "fixed", "money_fixed": "lots"},
        {"basis": "share", "co2_kg": "NaN"},
        {"basis": "guess"},
    ],
)
def test_bad_numbers_are_refused_and_nothing_changes(city_admin, drills, values):
    with pytest.raises(ImpactFactorInvalid) as refused:
        set_impact_factor(category=drills, by=city_admin, **values)

    assert (refused.value.http_status, refused.value.code) == (400, "impact_factor_invalid")
    with translation.override("en"):
        assert "Check the numbers" in str(refused.value.message)
    assert not ImpactFactor.objects.exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("who", ["resident", "coordinator", "volunteer", "staff"])
def test_only_city_admins_may_edit(request, who, drills):
    user = request.getfixturevalue(who)

    with pytest.raises(ImpactFactorNotAllowed) as refused:
        set_impact_factor(category=drills, by=user, basis="share", money_share="0.1")

    assert refused.value.http_status == 403
    assert not ImpactFactor.objects.exists()


def test_a_category_without_a_factor_uses_its_nearest_parents(city_admin):
    tools = CategoryFactory(slug="tools")
    power = CategoryFactory(slug="power-tools", parent=tools)
    drills = CategoryFactory(slug="drills-x", parent=power)
    books = CategoryFactory(slug="books")
    set_impact_factor(category=tools, by=city_admin, basis="share", money_share="0.1")
    own = set_impact_factor(category=drills, by=city_admin, basis="fixed", money_fixed=3000)

    factors = impact_factors_for({tools.pk, power.pk, drills.pk, books.pk})

    assert factors[power.pk].category == tools
    assert factors[drills.pk] == own
    assert factors[books.pk] is None
