"""Size recommendation on constructed data: windows, ranking, colour, availability, estimates."""

import datetime as dt

import pytest
from django.utils import translation

from closets import services
from closets.fitting import fill_missing, recommend
from closets.models import Rental, Suit
from lending import services as lending

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the Korean catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


BODY = {"bust": 96, "arm": 60, "waist": 82, "thigh": 58, "hip": 98}


def suggest(closet, body=BODY, colour="", style="men", end=None):
    return recommend(
        place=closet,
        body=body,
        style=style,
        height=175,
        weight=70,
        preferred_colour=colour,
        start=TODAY,
        end_exclusive=end or TODAY + dt.timedelta(days=3),
    )


def codes(suggestions):
    return [[g.code for g in s.garments] for s in suggestions]


def test_a_garment_inside_every_window_ranks_above_one_outside(closet, make_garment):
    inside = make_garment("jacket", bust=97, arm=61)  # +1, +1: inside bust ±3, arm -1/+2
    outside = make_garment("jacket", bust=97, arm=64)  # arm +4: outside
    barely = make_garment("jacket", bust=99, arm=62)  # +3, +2: inside but worse

    result = suggest(closet)

    assert codes(result.garments) == [[inside.code], [barely.code]]
    assert outside.code not in str(codes(result.garments))
    assert result.garments[0].error == 2 and result.garments[1].error == 13
    assert result.garments[0].reasons() == ["bust +1 cm", "arm +1 cm"]


def test_the_preferred_colour_breaks_a_tie(closet, make_garment):
    navy = make_garment("jacket", "navy", bust=97, arm=61)
    black = make_garment("jacket", "black", bust=97, arm=61)

    assert codes(suggest(closet, colour="black").garments) == [[black.code], [navy.code]]
    assert codes(suggest(closet, colour="navy").garments) == [[navy.code], [black.code]]
    assert suggest(closet, colour="black").garments[0].colour_match is True


def test_suits_need_both_parts_inside_their_windows(closet, make_garment):
    jacket = make_garment("jacket", bust=96, arm=60)
    fits = make_garment("trousers", waist=83, thigh=58, hip=99)
    other_jacket = make_garment("jacket", bust=97, arm=60)
    too_tight = make_garment("trousers", waist=80, thigh=58)  # waist -2: outside -1/+2
    Suit.objects.create(jacket=jacket, bottom=fits)
    Suit.objects.create(jacket=other_jacket, bottom=too_tight)

    result = suggest(closet)

    assert codes(result.suits) == [[jacket.code, fits.code]]
    assert "waist +1 cm" in result.suits[0].reasons()


def test_an_unavailable_garment_is_never_suggested(
    closet, make_garment, resident, closet_volunteer
):
    on_loan = make_garment("jacket", bust=96, arm=60)
    in_laundry = make_garment("jacket", bust=96, arm=60)
    retired = make_garment("jacket", bust=96, arm=60)
    free = make_garment("jacket", bust=97, arm=62)
    lending.check_out(item=on_loan.item, member=resident, by=closet_volunteer, now=NOW)
    services.set_care(garment=in_laundry, care="laundry", by=closet_volunteer, now=NOW)
    services.set_care(garment=retired, care="discarded", by=closet_volunteer, now=NOW)

    result = suggest(closet, end=TODAY + dt.timedelta(days=3))

    assert codes(result.garments) == [[free.code]]


def test_other_styles_and_other_closets_are_left_out(
    closet, other_closet, make_garment, city_admin
):
    make_garment("jacket", style="women", bust=96, arm=60)
    make_garment("jacket", place=other_closet, by=city_admin, bust=96, arm=60)
    unisex = make_garment("coat", style="unisex", bust=97, arm=60)

    assert codes(suggest(closet).garments) == [[unisex.code]]


def test_missing_measurements_come_from_similar_past_renters(closet, resident, paid_programme):
    for height, weight, arm in [(175, 70, 60), (176, 71, 62), (174, 69, 61), (180, 70, 70)]:
        Rental.objects.create(
            member=resident,
            place=closet,
            programme=paid_programme,
            purpose="interview",
            measurements={"arm": arm, "bust": 99},
            style="men",
            height=height,
            weight=weight,
            rented_at=NOW,
            due_date=TODAY,
        )

    filled, estimated = fill_missing({"bust": 96, "arm": None}, style="men", height=175, weight=70)

    assert filled["arm"] == 61  # the 180 cm renter is not similar
    assert filled["bust"] == 96  # a given value is never replaced
    assert "arm" in estimated and "bust" not in estimated


def test_an_estimated_measurement_makes_a_garment_suggestible(
    closet, make_garment, resident, paid_programme
):
    Rental.objects.create(
        member=resident,
        place=closet,
        programme=paid_programme,
        purpose="interview",
        measurements={"arm": 60},
        style="men",
        height=175,
        weight=70,
        rented_at=NOW,
        due_date=TODAY,
    )
    jacket = make_garment("jacket", bust=97, arm=61)

    result = suggest(closet, body={"bust": 96})

    assert codes(result.garments) == [[jacket.code]]
    assert result.estimated == ["arm"]


def test_a_belt_is_offered_only_to_waists_its_holes_reach(closet, make_garment):
    near = make_garment("belt", "black", waist=85)  # BODY's waist is 82: +3 cm
    far = make_garment("belt", "black", waist=80 + 12)  # +10 cm: outside the holes
    unmeasured = make_garment("belt", "brown")  # no length: we cannot say it fits

    offered = codes(suggest(closet).garments)

    assert [near.code] in offered
    assert [far.code] not in offered and [unmeasured.code] not in offered
    assert codes(suggest(closet, body={**BODY, "waist": 92}).garments).count([near.code]) == 0


def test_ties_come_after_the_sized_garments(closet, make_garment):
    tie = make_garment("tie", "navy")
    jacket = make_garment("jacket", "black", bust=99, arm=62)

    assert codes(suggest(closet, colour="navy").garments) == [[jacket.code], [tie.code]]
