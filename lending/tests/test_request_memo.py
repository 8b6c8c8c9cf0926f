"""A place permission is asked once per request, and asked again after the roster changes."""

import pytest
from django.test import RequestFactory

from lending import access
from lending import services as lending
from lending.tests.factories import PlaceFactory
from sharing_city.core.request_memo import RequestMemoMiddleware

pytestmark = pytest.mark.django_db


def in_a_request(work):
    """Run work() the way a view does: inside the request memo middleware."""
    out = {}

    def view(request):
        out["value"] = work()
        return None

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    return out["value"]


def test_one_request_asks_the_database_once(make_member, django_assert_num_queries):
    place, volunteer = PlaceFactory(), make_member("vol", role="volunteer")

    with django_assert_num_queries(1):
        answers = in_a_request(lambda: [access.can_work_at(volunteer, place) for _ in range(3)])

    assert answers == [False, False, False]


def test_outside_a_request_every_call_asks(make_member, django_assert_num_queries):
    place, volunteer = PlaceFactory(), make_member("vol", role="volunteer")

    with django_assert_num_queries(2):
        access.can_work_at(volunteer, place)
        access.can_work_at(volunteer, place)


def test_a_roster_change_in_the_request_is_seen_at_once(make_member, city_admin):
    place, volunteer = PlaceFactory(), make_member("vol", role="volunteer")
    admin = city_admin

    def add_then_ask():
        before = access.can_work_at(volunteer, place)
        lending.assign_role(place=place, user=volunteer, role="volunteer", by=admin)
        return before, access.can_work_at(volunteer, place)

    assert in_a_request(add_then_ask) == (False, True)
