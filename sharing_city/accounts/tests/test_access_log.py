"""The access log: who looked at a member's personal data, seen by the member on their profile,
searched by city admins, exported and anonymised with the member's account."""

import logging

import pytest
from django.db import DatabaseError
from django.urls import reverse

from sharing_city.accounts.access_log import record_access
from sharing_city.accounts.models import AccessKind, AccessLog, Role
from sharing_city.accounts.rights import close_account, export_for

pytestmark = pytest.mark.django_db


def look(viewer, member, kind=AccessKind.DESK_MEMBER, where="마포 공구도서관"):
    return record_access(viewer, member, kind, member, where=where)


def test_access_log_records_viewer_member_kind_and_role(staff, resident):
    row = look(staff, resident)

    assert row is not None
    row.refresh_from_db()
    assert (row.viewer, row.member, row.kind) == (staff, resident, AccessKind.DESK_MEMBER)
    assert row.viewer_role == Role.STAFF and row.where == "마포 공구도서관"
    assert row.object_type == "accounts.user" and row.object_id == str(resident.pk)


def test_access_log_skips_the_members_own_look(resident):
    assert look(resident, resident) is None
    assert not AccessLog.objects.exists()


def test_access_log_write_failure_never_breaks_the_page_but_is_logged(
    staff, resident, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AccessLog.objects, "create", broken)
    with caplog.at_level(logging.ERROR, logger="sharing_city.accounts.access_log"):
        assert look(staff, resident) is None
    assert "access log row lost" in caplog.text


def test_access_log_on_profile_shows_role_place_and_kind_not_the_viewers_name(
    client, make_member, resident
):
    viewer = make_member("desk_person", role="volunteer", full_name="김자원")
    look(viewer, resident)
    client.force_login(resident)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("accounts:profile")).content.decode()

    assert "Who looked at my data" in html
    assert "Volunteer · 마포 공구도서관 · Desk member panel" in html
    assert "김자원" not in html


def test_access_log_on_profile_is_empty_and_says_so(client, resident):
    client.force_login(resident)
    client.cookies["django_language"] = "en"
    assert (
        "Nobody has looked at your personal data yet."
        in client.get(reverse("accounts:profile")).content.decode()
    )


def test_access_log_profile_query_count_is_constant(
    client, staff, resident, django_assert_num_queries
):
    client.force_login(resident)
    look(staff, resident)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("accounts:profile"))  # the session's first request does more
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("accounts:profile"))
    for _ in range(25):
        look(staff, resident)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("accounts:profile"))


def test_access_log_admin_search_finds_rows_by_viewer_and_member(
    client, city_admin, staff, resident, other_resident
):
    look(staff, resident)
    look(staff, other_resident, kind=AccessKind.CLOSET_VISIT)
    city_admin.is_staff = True
    city_admin.save(update_fields=["is_staff"])
    client.force_login(city_admin)
    url = reverse("admin:accounts_accesslog_changelist")

    by_member = client.get(url, {"q": resident.member_number})
    by_viewer = client.get(url, {"q": "staff"})
    by_kind = client.get(url, {"kind__exact": AccessKind.CLOSET_VISIT})

    assert by_member.status_code == 200
    assert list(by_member.context["cl"].result_list) == list(
        AccessLog.objects.filter(member=resident)
    )
    assert by_viewer.context["cl"].result_count == 2
    assert [r.member for r in by_kind.context["cl"].result_list] == [other_resident]


def test_access_log_admin_is_refused_to_district_staff(client, staff, resident):
    look(staff, resident)
    staff.is_staff = True  # even with admin access, district staff do not read the city's log
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)

    response = client.get(reverse("admin:accounts_accesslog_changelist"))

    assert response.status_code == 403


def test_access_log_rows_are_in_the_export_without_the_viewers_name(staff, resident):
    look(staff, resident)

    rows = export_for(resident)["sections"]["accounts.access_log"]

    assert len(rows) == 1
    assert rows[0]["kind"] == "desk_member" and rows[0]["viewer_role"] == "staff"
    assert rows[0]["where"] == "마포 공구도서관"
    assert "staff" not in {str(v) for k, v in rows[0].items() if k != "viewer_role"}


def test_access_log_closing_the_account_unlinks_rows_about_the_member_keeps_rows_by_staff(
    staff, resident, other_resident
):
    look(staff, resident)
    look(staff, other_resident)

    close_account(user=resident)

    assert AccessLog.objects.count() == 2  # counts of looks unchanged
    assert AccessLog.objects.filter(member__isnull=True, viewer=staff).count() == 1
    assert AccessLog.objects.filter(member=other_resident).count() == 1


def test_access_log_rows_by_a_closed_staff_member_stay(staff, resident):
    look(staff, resident)

    close_account(user=staff)

    row = AccessLog.objects.get()
    assert row.viewer_id == staff.pk and row.member == resident


def test_access_log_staff_page_lists_and_filters_for_city_admins(
    client, city_admin, staff, resident, other_resident
):
    look(staff, resident)
    look(staff, other_resident, kind=AccessKind.CLOSET_VISIT)
    client.force_login(city_admin)
    url = reverse("accounts:access-log")

    everything = client.get(url)
    one = client.get(url, {"member": resident.member_number})
    closet = client.get(url, {"kind": "closet_visit"})

    assert everything.status_code == 200 and len(everything.context["page"].object_list) == 2
    assert [a.member for a in one.context["page"]] == [resident]
    assert [a.member for a in closet.context["page"]] == [other_resident]


@pytest.mark.parametrize("query", [{"kind": "nonsense"}, {"since": "2026-13-45"}])
def test_access_log_staff_page_refuses_bad_filters_with_400(client, city_admin, query):
    client.force_login(city_admin)

    assert client.get(reverse("accounts:access-log"), query).status_code == 400


def test_access_log_staff_page_is_refused_to_district_staff(client, staff, resident):
    look(staff, resident)
    client.force_login(staff)

    assert client.get(reverse("accounts:access-log")).status_code == 403


@pytest.mark.parametrize("n", [1, 20])
def test_access_log_staff_page_query_count_is_constant(
    n, client, city_admin, staff, make_member, django_assert_num_queries
):
    for i in range(n):
        look(staff, make_member(f"member{i}"))
    client.force_login(city_admin)

    with django_assert_num_queries(3):  # user, count, the page's rows with both members
        client.get(reverse("accounts:access-log"))
