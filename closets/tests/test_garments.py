"""Garments are lending items added through lending's own service (its event, its rules)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from closets.exceptions import GarmentCodeTaken, InvalidGarmentCode
from closets.models import ClosetEvent, Garment
from closets.services import add_garment
from lending.models import Event, Item
from lending.tests.factories import TitleFactory

from .conftest import NOW


def add(place, by, code="J-0001", **extra):
    return add_garment(
        place=place, code=code, kind="jacket", colour="navy", style="men", by=by, now=NOW, **extra
    )


@pytest.mark.django_db
def test_adding_a_garment_writes_lendings_event_and_the_closets(closet, closet_volunteer):
    garment = add(closet, closet_volunteer)

    assert garment.item.code == "J-0001" and garment.item.place == closet
    added = Event.objects.get(item=garment.item)
    assert (added.action, added.actor, added.at) == ("status", closet_volunteer, NOW)
    assert added.data["added"] is True
    assert ClosetEvent.objects.get(action="garment_added").garment == garment


@pytest.mark.django_db
def test_adding_the_same_code_twice_returns_the_garment_and_writes_nothing(
    closet, closet_volunteer
):
    first = add(closet, closet_volunteer)
    again = add(closet, closet_volunteer)

    assert again == first
    assert Item.objects.count() == 1 and Event.objects.count() == 1
    assert ClosetEvent.objects.filter(action="garment_added").count() == 1


@pytest.mark.django_db
def test_garments_of_one_kind_and_style_share_a_title_under_the_closet_category(
    closet, closet_volunteer
):
    first = add(closet, closet_volunteer, code="J-0001")
    second = add(closet, closet_volunteer, code="J-0002")

    assert first.item.title_id == second.item.title_id
    assert first.item.title.category.slug == "interview-clothing-jacket"
    assert first.item.title.category.parent.slug == "interview-clothing"


@pytest.mark.django_db
def test_a_code_used_by_another_item_is_refused_and_nothing_is_added(closet, closet_volunteer):
    Item.objects.create(code="J-0001", title=TitleFactory(), place=closet)

    with pytest.raises(InvalidGarmentCode):
        add(closet, closet_volunteer)

    assert not Garment.objects.exists()
    assert Event.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_adding_one_code_at_once_give_one_item_and_a_clear_refusal(
    closet, closet_volunteer
):
    """The other desk's insert is uncommitted while ours checks: ours waits on the unique code,
    then is refused with a message (it was a 500)."""
    title = TitleFactory()
    inserted = threading.Event()

    def other_desk() -> None:
        try:
            with transaction.atomic():
                Item.objects.create(code="J-0001", title=title, place=closet)
                inserted.set()
                time.sleep(0.5)  # ours has passed its check and waits on the index
        finally:
            connections["default"].close()

    thread = threading.Thread(target=other_desk)
    thread.start()
    assert inserted.wait(10)
    with pytest.raises(GarmentCodeTaken) as refused:
        add(closet, closet_volunteer)
    thread.join(10)

    assert "J-0001" in str(refused.value)
    assert Item.objects.filter(code="J-0001").count() == 1
    assert not Garment.objects.exists()
    connection.close()
