from pathlib import Path

import pytest

from sharing_city.notifications.tests.kinds import VERIFY_REMINDER

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_kind_templates(settings):
    """The test kind's templates live beside the tests, not among the app's real ones."""
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = [engine]


@pytest.fixture
def kind():
    return VERIFY_REMINDER


@pytest.fixture
def remind(kind):
    """Create the test reminder for a member, as an app's service would."""
    from sharing_city.notifications.services import notify

    def make(member, *, step="", now=None, place="Mapo Tool Centre"):
        return notify(
            recipient=member,
            subject_type="member",
            subject_id=member.pk,
            kind=kind.name,
            step=step,
            context={"place": place},
            now=now,
        )

    return make
