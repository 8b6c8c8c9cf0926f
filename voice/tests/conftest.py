import pytest

from lending.models import Place
from lending.tests.factories import ItemFactory, PlaceFactory, TitleFactory, assign, open_every_day


@pytest.fixture
def tool_centre(mapo):
    place = PlaceFactory(
        slug="mapo-tools",
        name_ko="마포 공구도서관",
        name_en="Mapo Tool Library",
        district=mapo,
        kind=Place.Kind.TOOL_CENTRE,
    )
    open_every_day(place)
    return place


@pytest.fixture
def other_centre(gangnam):
    return PlaceFactory(slug="gangnam-tools", district=gangnam)


@pytest.fixture
def volunteer(make_member, tool_centre):
    user = make_member("volunteer", role="volunteer")
    assign(user, tool_centre)
    return user


@pytest.fixture
def volunteer_elsewhere(make_member, other_centre, gangnam):
    user = make_member("volunteer_elsewhere", role="volunteer", district=gangnam)
    assign(user, other_centre)
    return user


@pytest.fixture
def item(tool_centre):
    return ItemFactory(place=tool_centre, title=TitleFactory())


@pytest.fixture
def title():
    return TitleFactory(name_ko="텐트", name_en="Tent")
