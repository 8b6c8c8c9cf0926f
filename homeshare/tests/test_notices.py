"""What applicants hear: decisions, proposals, answers, agreements and check-ins, once each, in
their own language, and never the host's address or phone before both accept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from homeshare import services
from homeshare.exceptions import ApplicationRefused
from sharing_city.notifications.delivery import render_notice
from sharing_city.notifications.kinds import get_kind
from sharing_city.notifications.models import Notice, NoticePreference
from sharing_city.notifications.services import deliver_notice

from .conftest import HOST_ADDRESS, HOST_PHONE_SHAPES

pytestmark = pytest.mark.django_db


class MemorySMS:
    outbox: list = []

    def send(self, message):
        MemorySMS.outbox.append(message)


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "homeshare.tests.test_notices.MemorySMS"
    MemorySMS.outbox = []
    return MemorySMS.outbox


def deliver_pending():
    """What the queued delivery tasks do once the services' transactions commit."""
    for pk in Notice.objects.filter(status="pending").values_list("pk", flat=True):
        deliver_notice(pk)


def notices_of(user, kind):
    return list(Notice.objects.filter(recipient=user, kind=kind))


def test_approval_is_told_to_the_applicant_in_their_language(make_host, coordinator):
    app = make_host(status="submitted")
    app.applicant.preferred_language = "en"
    app.applicant.save()

    services.screen_application(by=coordinator, application=app, approve=True)
    deliver_pending()

    app.refresh_from_db()
    assert app.status == "approved"
    (notice,) = notices_of(app.applicant, "homeshare_decided")
    assert (notice.step, notice.status, notice.language) == ("approved", "sent", "en")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [app.applicant.email]
    assert "approved" in mail.outbox[0].subject
    assert mail.outbox[0].extra_headers["Message-ID"] == notice.message_id


def test_rejection_carries_the_reason_in_korean_and_is_sent_once(make_student, coordinator):
    app = make_student(status="submitted")

    for _ in range(2):
        services.screen_application(
            by=coordinator, application=app, approve=False, reason="재학 증명이 오래되었습니다"
        )
        deliver_pending()

    (notice,) = notices_of(app.applicant, "homeshare_decided")
    assert (notice.step, notice.status, notice.language) == ("rejected", "sent", "ko")
    assert len(mail.outbox) == 1
    assert "미승인" in mail.outbox[0].subject
    assert "재학 증명이 오래되었습니다" in mail.outbox[0].body


def test_refused_decision_sends_nothing(make_host, coordinator):
    app = make_host(status="submitted", home_visit_on=None)

    with pytest.raises(ApplicationRefused):
        services.screen_application(by=coordinator, application=app, approve=True)
    deliver_pending()

    app.refresh_from_db()
    assert app.status == "submitted"
    assert Notice.objects.count() == 0
    assert mail.outbox == []


def test_proposal_tells_the_student_district_room_and_description_but_not_address_or_phone(
    proposed, host_app, student_app, sms
):
    student = student_app.applicant
    student.phone = "01055556666"
    student.save()
    NoticePreference.objects.create(member=student, email=True, sms=True)
    now = timezone.now()
    deliver_pending()

    by_language = {}
    for language in ("ko", "en"):
        notice = Notice.objects.get(recipient=student, kind="homeshare_proposed")
        notice.language = language
        by_language[language] = render_notice(notice, get_kind(notice.kind), now)

    assert "마포구" in by_language["ko"].body
    assert "Mapo-gu" in by_language["en"].body
    for rendered in by_language.values():
        assert "12" in rendered.body  # the room's size
        assert host_app.about in rendered.body
        for private in (HOST_ADDRESS, *HOST_PHONE_SHAPES, "비밀로"):
            assert private not in rendered.subject + rendered.body + rendered.sms
    sent_to_student = [m for m in mail.outbox if m.to == [student.email]]
    assert len(sent_to_student) == 1
    for private in (HOST_ADDRESS, *HOST_PHONE_SHAPES):
        assert private not in sent_to_student[0].body


def test_proposal_sms_never_carries_the_address(make_host, make_student, coordinator, today, sms):
    host_app = make_host()
    student_app = make_student()
    student = student_app.applicant
    student.phone = "01055556666"
    student.save()
    NoticePreference.objects.create(member=student, email=False, sms=True)
    run = services.run_matching(
        by=coordinator,
        district=host_app.district,
        term_start=today,
        term_end=today + timedelta(182),
    )

    services.propose_match(by=coordinator, candidate=run.candidates.get())
    deliver_pending()

    (message,) = [m for m in sms if m.to == "+821055556666"]  # E.164 for the gateway
    assert "매칭이 제안되었습니다" in message.body
    for private in (HOST_ADDRESS, *HOST_PHONE_SHAPES):
        assert private not in message.body


def test_proposal_is_told_to_both_sides_once(proposed, run, coordinator, host_app, student_app):
    services.propose_match(by=coordinator, candidate=run.candidates.get())
    deliver_pending()

    for app in (host_app, student_app):
        (notice,) = notices_of(app.applicant, "homeshare_proposed")
        assert notice.status == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [host_app.applicant.email, student_app.applicant.email]
    )


def test_the_other_side_hears_an_acceptance_and_a_decline(proposed, host_app, student_app):
    deliver_pending()
    mail.outbox.clear()
    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)
    services.respond_to_match(by=host_app.applicant, match=proposed, accept=True)
    deliver_pending()
    services.respond_to_match(
        by=student_app.applicant, match=proposed, accept=False, reason="too far"
    )
    deliver_pending()

    proposed.refresh_from_db()
    assert proposed.status == "declined"
    (to_student,) = notices_of(student_app.applicant, "homeshare_answered")
    (to_host,) = notices_of(host_app.applicant, "homeshare_answered")
    assert (to_student.step, to_host.step) == ("host_accepted", "student_declined")
    assert [m.to[0] for m in mail.outbox] == [
        student_app.applicant.email,
        host_app.applicant.email,
    ]
    assert "수락" in mail.outbox[0].subject and "거절" in mail.outbox[1].subject
    assert "too far" not in mail.outbox[1].body  # the reason is for the coordinator


def test_a_proposal_withdrawn_before_delivery_is_cancelled_not_sent(
    run, coordinator, host_app, student_app
):
    match = services.propose_match(by=coordinator, candidate=run.candidates.get())
    services.withdraw_application(by=student_app.applicant, application=student_app)

    deliver_pending()

    match.refresh_from_db()
    assert match.status == "cancelled"
    assert set(
        Notice.objects.filter(kind="homeshare_proposed").values_list("status", flat=True)
    ) == {"cancelled"}
    assert mail.outbox == []


def test_agreement_ready_and_check_ins_scheduled_reach_both_sides(
    accepted, coordinator, host_app, student_app, today
):
    services.record_meeting(by=coordinator, match=accepted, meeting_on=today)
    deliver_pending()
    mail.outbox.clear()
    agreement = services.create_agreement(
        by=coordinator,
        match=accepted,
        rent=250_000,
        help_tasks=["conversation"],
        help_hours=10,
        start_on=today,
    )
    deliver_pending()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [host_app.applicant.email, student_app.applicant.email]
    )
    assert all("약정서" in m.subject for m in mail.outbox)
    mail.outbox.clear()

    services.confirm_agreement(by=host_app.applicant, agreement=agreement)
    services.confirm_agreement(by=student_app.applicant, agreement=agreement)
    services.confirm_agreement(by=student_app.applicant, agreement=agreement)
    deliver_pending()

    agreement.refresh_from_db()
    assert agreement.status == "active"
    first = agreement.check_ins.first()
    assert len(mail.outbox) == 2
    assert all(first.due_on.isoformat() in m.body for m in mail.outbox)
    for private in (HOST_ADDRESS, *HOST_PHONE_SHAPES):
        assert all(private not in m.body for m in mail.outbox)
    assert Notice.objects.filter(kind="homeshare_check_ins", step="0").count() == 2


def test_an_agreement_confirmed_before_delivery_is_not_sent_as_to_confirm(
    accepted, coordinator, host_app, student_app, today
):
    services.record_meeting(by=coordinator, match=accepted, meeting_on=today)
    agreement = services.create_agreement(
        by=coordinator,
        match=accepted,
        rent=250_000,
        help_tasks=["conversation"],
        help_hours=10,
        start_on=today,
    )
    services.confirm_agreement(by=host_app.applicant, agreement=agreement)

    deliver_pending()

    statuses = dict(
        Notice.objects.filter(kind="homeshare_agreement_ready").values_list("recipient", "status")
    )
    assert statuses == {host_app.applicant_id: "cancelled", student_app.applicant_id: "sent"}


def test_an_extension_announces_the_new_check_ins_once(active_agreement, coordinator):
    deliver_pending()
    mail.outbox.clear()
    new_end = services.add_months(active_agreement.end_on, 6)

    services.extend_agreement(by=coordinator, agreement=active_agreement, new_end_on=new_end)
    services.extend_agreement(by=coordinator, agreement=active_agreement, new_end_on=new_end)
    deliver_pending()

    assert Notice.objects.filter(kind="homeshare_check_ins", step="1").count() == 2
    assert len(mail.outbox) == 2
    assert all(new_end.isoformat() in m.body for m in mail.outbox)


def test_my_notices_page_lists_the_decision(client, make_host, coordinator):
    app = make_host(status="submitted")
    services.screen_application(by=coordinator, application=app, approve=True)
    deliver_pending()
    client.force_login(app.applicant)

    from django.urls import reverse

    response = client.get(reverse("notifications:my-notices"))

    assert response.status_code == 200
    assert "승인" in response.content.decode()
