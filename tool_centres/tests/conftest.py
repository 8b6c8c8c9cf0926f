# ruff: noqa: F811 - fixtures imported from the lending app are used as fixture arguments
import pytest
from rest_framework.test import APIClient

from lending.tests.conftest import (  # noqa: F401 - shared lending fixtures
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
)
from lending.tests.factories import ItemFactory


@pytest.fixture
def desk_client(client, volunteer):
    """The desk as a volunteer of Mapo tools sees it, in English."""
    volunteer.preferred_language = "en"
    volunteer.save(update_fields=["preferred_language"])
    client.force_login(volunteer)
    return client


@pytest.fixture
def third_drill(drill_title, tool_centre):
    return ItemFactory(code="TC-0003", title=drill_title, place=tool_centre)


@pytest.fixture
def sander(tool_centre, drills):
    from lending.tests.factories import TitleFactory

    title = TitleFactory(category=drills, name_ko="샌더", name_en="Sander")
    return ItemFactory(code="TC-0100", title=title, place=tool_centre)


@pytest.fixture
def elsewhere_drill(drill_title, other_centre):
    return ItemFactory(code="GN-0001", title=drill_title, place=other_centre)


@pytest.fixture
def api(volunteer):
    """The desk API as a volunteer of Mapo tools."""
    client = APIClient()
    client.force_authenticate(volunteer)
    return client
