"""factory_boy factories for the lending engine's models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from lending.models import Category, Item, LendingRule, OpeningHours, Place, PlaceRole, Title
from sharing_city.accounts.models import District


class PlaceFactory(factory.django.DjangoModelFactory[Place]):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name_ko = factory.Sequence(lambda n: f"공유센터 {n}")
    name_en = factory.Sequence(lambda n: f"Sharing centre {n}")
    kind = Place.Kind.TOOL_CENTRE
    district = factory.LazyFunction(lambda: District.objects.get(city="seoul", code="11440"))
    address = "서울특별시 마포구 월드컵로 212"


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_ko = factory.Sequence(lambda n: f"분류 {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class RuleFactory(factory.django.DjangoModelFactory[LendingRule]):
    class Meta:
        model = LendingRule

    category = factory.SubFactory(CategoryFactory)
    loan_days = 7
    renewal_limit = 1
    renewal_days = 7


class TitleFactory(factory.django.DjangoModelFactory[Title]):
    class Meta:
        model = Title

    category = factory.SubFactory(CategoryFactory)
    name_ko = factory.Sequence(lambda n: f"전동드릴 {n}")
    name_en = factory.Sequence(lambda n: f"Cordless drill {n}")
    replacement_value = Decimal(80000)


class ItemFactory(factory.django.DjangoModelFactory[Item]):
    class Meta:
        model = Item

    code = factory.Sequence(lambda n: f"TC-{n:05d}")
    title = factory.SubFactory(TitleFactory)
    place = factory.SubFactory(PlaceFactory)


def open_every_day(place: Place) -> None:
    for weekday in range(7):
        OpeningHours.objects.get_or_create(
            place=place, weekday=weekday, opens=dt.time(10), closes=dt.time(18)
        )


def assign(user, place: Place, role: str = PlaceRole.Role.VOLUNTEER) -> PlaceRole:
    return PlaceRole.objects.get_or_create(user=user, place=place, defaults={"role": role})[0]


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """An aware datetime at `hour` local time on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
