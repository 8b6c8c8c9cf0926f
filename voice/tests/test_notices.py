"""Every voice notice renders and is sent, in Korean and in English, once."""

import pytest
from django.core import mail

from lending.tests.factories import TitleFactory
from sharing_city.notifications.models import Notice
from sharing_city.notifications.services import deliver_notice
from voice import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ko", "en"])
def test_answer_status_and_acquired_notices_are_sent(
    resident, other_resident, staff, tool_centre, language
):
    for member in (resident, other_resident):
        member.preferred_language = language
        member.save(update_fields=["preferred_language"])
    ask = services.create_ask(by=resident, kind="item", text="A tent", place=tool_centre)
    services.me_too(ask=ask, by=other_resident)
    services.answer(ask=ask, by=staff, text="We will buy one")
    title = TitleFactory(name_ko="텐트", name_en="Tent")
    services.set_status(ask=ask, by=staff, status="acquired", reason="Bought", title=title)
    notices = list(Notice.objects.filter(subject_type="ask"))
    assert len(notices) == 4
    for notice in notices:
        assert deliver_notice(notice.pk) == "sent"
        assert deliver_notice(notice.pk) != "sent"  # twice: sent once
    assert len(mail.outbox) == 4
    bodies = "\n".join(m.body for m in mail.outbox)
    assert "We will buy one" in bodies
    assert bodies.count(f"/lending/titles/{title.pk}") + bodies.count(f"/{title.pk}/") >= 2
    assert all(m.extra_headers["Message-ID"] for m in mail.outbox)
