from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharing_city.notifications import calendar, services
from sharing_city.notifications.calendar import CalendarEvent
from sharing_city.notifications.models import Notice, NoticePreference, NoticeStatus

pytestmark = pytest.mark.django_db


def _failed(notice):
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.FAILED, attempts=5, last_error="SMTPRecipientsRefused: 550 no such user"
    )
    notice.refresh_from_db()
    return notice


# --- My notices ---------------------------------------------------------------------------


def test_my_notices_lists_only_my_own(client, resident, other_resident, remind):
    [mine] = remind(resident)
    services.deliver_notice(mine.pk)
    remind(other_resident, place="Gangnam")
    client.force_login(resident)

    response = client.get(reverse("notifications:my-notices"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert "회원 확인 안내" in response.content.decode()


def test_my_notices_needs_login(client):
    response = client.get(reverse("notifications:my-notices"))

    assert response.status_code == 302


def test_my_notices_uses_the_same_queries_for_1_and_20_rows(client, resident, make_member, kind):
    client.force_login(resident)

    def count_queries(rows):
        Notice.objects.all().delete()
        services.notify_many(
            services.NoticeSpec(resident.pk, "member", i, kind.name, "", {"place": "Mapo"})
            for i in range(rows)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications:my-notices")).status_code == 200
        return len(queries)

    assert count_queries(1) == count_queries(20)


def test_member_chooses_sms_and_email(client, resident):
    client.force_login(resident)

    response = client.post(
        reverse("notifications:channels"), {"email": "on", "sms": "on"}, follow=True
    )

    assert response.status_code == 200
    assert "알림 설정을 저장했습니다" in response.content.decode()
    preference = NoticePreference.objects.get(member=resident)
    assert (preference.email, preference.sms) == (True, True)


def test_choosing_no_channel_is_refused_with_a_message(client, resident):
    client.force_login(resident)

    response = client.post(reverse("notifications:channels"), {}, follow=True)

    assert response.status_code == 200
    assert "연락받을 방법을 하나 이상" in response.content.decode()
    assert not NoticePreference.objects.exists()


# --- Staff: failed notices ----------------------------------------------------------------


def test_staff_see_failed_notices_of_their_district_only(
    client, staff, resident, make_member, gangnam, remind
):
    [ours] = remind(resident)
    [theirs] = remind(make_member("gangnam_resident", district=gangnam))
    _failed(ours), _failed(theirs)
    client.force_login(staff)

    response = client.get(reverse("notifications:failed"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [ours]
    assert "550 no such user" in response.content.decode()


def test_city_admin_sees_every_failed_notice(
    client, city_admin, resident, make_member, gangnam, remind
):
    for member in (resident, make_member("gangnam_resident", district=gangnam)):
        _failed(remind(member)[0])
    client.force_login(city_admin)

    response = client.get(reverse("notifications:failed"))

    assert len(response.context["page"].object_list) == 2


def test_failed_notices_filter_by_kind_and_channel(client, staff, resident, remind, kind):
    [notice] = remind(resident)
    _failed(notice)
    client.force_login(staff)
    url = reverse("notifications:failed")

    same = client.get(url, {"kind": kind.name, "channel": notice.channel})
    other_channel = "sms" if notice.channel != "sms" else "email"
    none = client.get(url, {"kind": kind.name, "channel": other_channel})

    assert same.status_code == 200 and list(same.context["page"].object_list) == [notice]
    assert none.status_code == 200 and list(none.context["page"].object_list) == []


def test_failed_notices_refuse_an_unknown_kind_with_the_reason(client, staff, resident, remind):
    _failed(remind(resident)[0])
    client.force_login(staff)

    response = client.get(reverse("notifications:failed"), {"kind": "no_such_kind"})

    assert response.status_code == 400
    assert response.context["page"] is None
    assert response.context["filters"].errors["kind"]
    assert "550 no such user" not in response.content.decode()


def test_resident_cannot_see_failed_notices(client, resident):
    client.force_login(resident)

    assert client.get(reverse("notifications:failed")).status_code == 403


def test_failed_list_uses_the_same_queries_for_1_and_20_rows(client, staff, make_member, remind):
    client.force_login(staff)
    members = [make_member(f"m{i}") for i in range(20)]

    def count_queries(rows):
        Notice.objects.all().delete()
        for member in members[:rows]:
            _failed(remind(member)[0])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications:failed")).status_code == 200
        return len(queries)

    assert count_queries(1) == count_queries(20)


def test_staff_retry_sends_the_notice_again(
    client, staff, resident, remind, django_capture_on_commit_callbacks
):
    notice = _failed(remind(resident)[0])
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[notice.pk]), follow=True)

    assert response.status_code == 200
    assert "다시 보냅니다" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT
    assert len(mail.outbox) == 1


def test_staff_cannot_retry_another_districts_notice(client, staff_elsewhere, resident, remind):
    notice = _failed(remind(resident)[0])
    client.force_login(staff_elsewhere)

    response = client.post(reverse("notifications:retry", args=[notice.pk]))

    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FAILED


def test_retrying_a_sent_notice_says_why_and_changes_nothing(client, staff, resident, remind):
    [notice] = remind(resident)
    services.deliver_notice(notice.pk)
    client.force_login(staff)

    response = client.post(reverse("notifications:retry", args=[notice.pk]), follow=True)

    assert "실패한 알림만 다시 보낼 수 있습니다" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT


def test_retry_needs_post(client, staff, resident, remind):
    notice = _failed(remind(resident)[0])
    client.force_login(staff)

    assert client.get(reverse("notifications:retry", args=[notice.pk])).status_code == 405


# --- Calendar feed ------------------------------------------------------------------------


@pytest.fixture
def due_dates():
    """A provider as lending registers one: a member's due dates and a pickup appointment."""

    def provider(member, start, end):
        due = timezone.localdate() + timedelta(days=3)
        pickup = timezone.make_aware(datetime.combine(due - timedelta(days=1), datetime.min.time()))
        yield CalendarEvent(
            uid=f"loan-1-due-{member.pk}@test", summary=f"Due: drill ({member})", start=due
        )
        yield CalendarEvent(
            uid=f"pickup-{member.pk}@test",
            summary="Pickup: ladder",
            start=pickup + timedelta(hours=10),
        )
        yield CalendarEvent(
            uid="past@test", summary="Outside the window", start=start - timedelta(days=9)
        )

    calendar.register_provider("test-due-dates", provider)
    yield provider
    calendar.unregister_provider("test-due-dates")


def test_calendar_feed_parses_and_shows_the_members_events(client, resident, due_dates):
    token = services.calendar_feed_of(resident).token

    response = client.get(reverse("notifications:calendar-feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}
    assert str(events[f"loan-1-due-{resident.pk}@test"]["summary"]) == "Due: drill (Resident)"
    due = events[f"loan-1-due-{resident.pk}@test"].decoded("dtstart")
    assert isinstance(due, date) and not isinstance(due, datetime)
    assert due == timezone.localdate() + timedelta(days=3)
    assert events[f"pickup-{resident.pk}@test"].decoded("dtstart").hour in range(24)
    assert str(parsed["x-wr-calname"]) == "공유서울: 내 대출과 예약"


def test_calendar_feed_with_a_wrong_token_is_404(client, resident):
    services.calendar_feed_of(resident)

    response = client.get(reverse("notifications:calendar-feed", args=["not-the-token"]))

    assert response.status_code == 404


def test_revoked_calendar_token_is_404_and_the_new_one_works(client, resident, due_dates):
    old = services.calendar_feed_of(resident).token
    client.force_login(resident)

    response = client.post(reverse("notifications:renew-calendar"), follow=True)

    assert response.status_code == 200
    new = services.calendar_feed_of(resident).token
    assert new != old
    assert new in response.content.decode()
    client.logout()
    assert client.get(reverse("notifications:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:calendar-feed", args=[new])).status_code == 200


def test_profile_shows_the_private_calendar_link(client, resident):
    client.force_login(resident)

    response = client.get(reverse("accounts:profile"))

    token = services.calendar_feed_of(resident).token
    assert f"/calendar/{token}.ics" in response.content.decode()


def test_profile_offers_a_webcal_subscribe_link(client, settings, resident):
    settings.SITE_URL = "https://share.example"
    client.force_login(resident)

    page = client.get(reverse("accounts:profile")).content.decode()

    token = services.calendar_feed_of(resident).token
    # A phone's calendar opens webcal:// links and offers to subscribe; the copyable link stays.
    assert f'href="webcal://share.example/calendar/{token}.ics"' in page
    assert f'value="https://share.example/calendar/{token}.ics"' in page


def test_calendar_feed_reminds_the_day_before_a_date_and_before_an_appointment(
    client, resident, due_dates
):
    token = services.calendar_feed_of(resident).token

    parsed = icalendar.Calendar.from_ical(
        client.get(reverse("notifications:calendar-feed", args=[token])).content
    )

    events = {str(e["uid"]): e for e in parsed.walk("VEVENT")}

    def triggers(uid: str) -> list[timedelta]:
        return sorted(a.decoded("trigger") for a in events[uid].walk("VALARM"))

    # The return date (all day, from midnight): 09:00 the day before.
    assert triggers(f"loan-1-due-{resident.pk}@test") == [-timedelta(hours=15)]
    # The pickup at a time: a day before and an hour before.
    assert triggers(f"pickup-{resident.pk}@test") == [-timedelta(days=1), -timedelta(hours=1)]
    alarm = events[f"pickup-{resident.pk}@test"].walk("VALARM")[0]
    assert str(alarm["action"]) == "DISPLAY" and str(alarm["description"]) == "Pickup: ladder"


@pytest.mark.parametrize(
    ("language", "when"), [("ko", "2026-12-07 오전 11:00"), ("en", "7 Dec 2026, 11:00 AM")]
)
def test_my_notices_show_the_time_as_the_language_writes_it(
    client, settings, resident, remind, language, when
):
    [notice] = remind(resident)
    seoul = timezone.get_fixed_timezone(9 * 60)
    Notice.objects.filter(pk=notice.pk).update(sent_at=datetime(2026, 12, 7, 11, 0, tzinfo=seoul))
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("notifications:my-notices")).content.decode()

    assert when in page
    assert "11:00 오전" not in page
