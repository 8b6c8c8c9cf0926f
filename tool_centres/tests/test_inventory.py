"""The lending engine's item workflows used by the desk: add, edit, status, retire, move."""

import datetime as dt

import pytest

from lending import services as lending
from lending.exceptions import ItemAlreadyOnLoan, NotAtYourPlace, ReasonRequired
from lending.models import Booking, Event, Item
from lending.services.inventory import InvalidItem, NewTitle
from lending.tests.conftest import TODAY
from lending.tests.factories import at

pytestmark = pytest.mark.django_db
NOW = at(TODAY, 11)


def test_add_item_of_a_new_title_and_twice_is_harmless(volunteer, tool_centre, drills):
    new = NewTitle(drills, "임팩트 드라이버", "Impact driver")

    item = lending.add_item(place=tool_centre, code="tc-0500", by=volunteer, new_title=new, now=NOW)
    again = lending.add_item(
        place=tool_centre, code="TC-0500", by=volunteer, new_title=new, now=NOW
    )

    assert again.pk == item.pk
    assert item.code == "TC-0500" and item.title.name_en == "Impact driver"
    assert Event.objects.filter(item=item, action="status").count() == 1


def test_add_item_refuses_a_bad_or_taken_code_and_other_places(
    volunteer, volunteer_elsewhere, tool_centre, drill, drill_title, other_centre
):
    with pytest.raises(InvalidItem):
        lending.add_item(place=tool_centre, code="no spaces!", by=volunteer, title=drill_title)
    with pytest.raises(InvalidItem):
        lending.add_item(
            place=other_centre, code=drill.code, by=volunteer_elsewhere, title=drill_title
        )
    with pytest.raises(NotAtYourPlace):
        lending.add_item(
            place=tool_centre, code="TC-0600", by=volunteer_elsewhere, title=drill_title
        )

    assert Item.objects.count() == 1
    assert not Event.objects.exists()


def test_update_item_keeps_old_values_in_the_event(volunteer, drill):
    lending.update_item(item=drill, by=volunteer, condition="worn", note="Scratched", now=NOW)
    lending.update_item(item=drill, by=volunteer, condition="worn", note="Scratched", now=NOW)

    drill.refresh_from_db()
    assert (drill.condition, drill.note) == ("worn", "Scratched")
    event = Event.objects.get(item=drill)
    assert event.data["edit"] == {"condition": "good", "note": ""}


def test_retire_needs_a_reason_and_never_while_on_loan(volunteer, resident, drill):
    with pytest.raises(ReasonRequired):
        lending.retire_item(item=drill, by=volunteer, reason=" ")
    lending.check_out(item=drill, member=resident, by=volunteer, now=NOW)
    with pytest.raises(ItemAlreadyOnLoan):
        lending.retire_item(item=drill, by=volunteer, reason="Broken")

    drill.refresh_from_db()
    assert drill.status == Item.Status.ACTIVE


def test_status_change_requeues_a_ready_hold_onto_another_copy(
    volunteer, other_resident, drill, second_drill
):
    hold = lending.place_hold(
        member=other_resident, title=drill.title, place=drill.place, by=other_resident, now=NOW
    )
    assert hold.item_id == drill.pk and hold.status == Booking.Status.READY

    change = lending.change_item_status(item=drill, status="maintenance", by=volunteer, now=NOW)

    hold.refresh_from_db()
    assert change.displaced.requeued == [hold]
    assert hold.status == Booking.Status.READY and hold.item_id == second_drill.pk


def test_move_item_refused_for_a_volunteer_not_at_the_new_place(volunteer, drill, other_centre):
    with pytest.raises(NotAtYourPlace):
        lending.move_item(item=drill, to=other_centre, by=volunteer, now=NOW)

    drill.refresh_from_db()
    assert drill.place.slug == "mapo-tools"


def test_move_item_twice_moves_once(volunteer_elsewhere, drill, other_centre):
    lending.move_item(item=drill, to=other_centre, by=volunteer_elsewhere, now=NOW)
    lending.move_item(
        item=drill, to=other_centre, by=volunteer_elsewhere, now=NOW + dt.timedelta(hours=1)
    )

    drill.refresh_from_db()
    assert drill.place == other_centre
    assert Event.objects.filter(item=drill, action="move").count() == 1
