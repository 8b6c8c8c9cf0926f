"""The demo shows every borrow status a resident can meet: available, booked, on loan, overdue."""

import pytest
from django.utils import timezone

from lending import demo
from lending.models import Item
from sharing_city.accounts import demo as accounts_demo

pytestmark = pytest.mark.django_db


def test_demo_has_every_borrow_status_and_loads_twice(districts):
    accounts_demo.load()
    demo.load()
    demo.load()

    statuses = set(
        Item.objects.with_borrow_status(timezone.localdate()).values_list(
            "borrow_status", flat=True
        )
    )
    assert {"available", "booked", "on_loan", "overdue"} <= statuses
    assert Item.objects.count() >= 200
