"""Closing an account cancels the member's fittings still to come: the seat is free again."""

import datetime as dt

import pytest
from django.utils import timezone

from closets import exceptions, services
from closets.models import CoachingSession, FittingVisit
from sharing_city.accounts.rights import close_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_slot(make_slot, resident):
    start = timezone.now() + dt.timedelta(days=2)
    slot = make_slot(starts_at=start, capacity=1)
    services.book_fitting(member=resident, slot=slot, by=resident)
    return slot


def test_closing_cancels_a_future_fitting_and_the_seat_is_bookable_again(
    full_slot, resident, other_resident
):
    with pytest.raises(exceptions.SlotFull):
        services.book_fitting(member=other_resident, slot=full_slot, by=other_resident)

    close_account(user=resident)

    visit = FittingVisit.objects.get(member=resident)
    assert visit.state == FittingVisit.State.CANCELLED
    again = services.book_fitting(member=other_resident, slot=full_slot, by=other_resident)
    assert again.state == FittingVisit.State.BOOKED
    assert not CoachingSession.objects.filter(member=resident).exists()


def test_closing_inside_the_cancel_cutoff_still_frees_the_seat(make_slot, resident, settings):
    settings.CLOSET_CANCEL_CUTOFF_HOURS = 72  # the renter could no longer cancel it themselves
    slot = make_slot(starts_at=timezone.now() + dt.timedelta(hours=5), capacity=1)
    services.book_fitting(member=resident, slot=slot, by=resident)

    close_account(user=resident)

    slot.refresh_from_db()
    assert slot.booked == 0
