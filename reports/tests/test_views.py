"""Who sees which report, bad input, exports, the public dashboard and open data."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lending.models import Event, ImpactFactor, Loan
from lending.services import set_impact_factor
from lending.tests.factories import ItemFactory

from .conftest import TODAY, seoul

pytestmark = pytest.mark.django_db

RANGE = {"start": str(TODAY - dt.timedelta(days=200)), "end": str(TODAY)}


def report_url(code="11440"):
    return reverse("reports:staff", kwargs={"code": code})


def test_staff_read_their_districts_report_with_charts(client, staff, city):
    client.force_login(staff)

    response = client.get(report_url(), RANGE)

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (
        figures.loans
        == Loan.objects.filter(
            place__district=staff.district,
            checked_out_at__gte=seoul(TODAY - dt.timedelta(days=200), 0),
        ).count()
    )
    body = response.content.decode()
    assert "<svg" in body and 'role="img"' in body
    assert "Asia/Seoul" in body


@pytest.mark.parametrize("who", ["staff_elsewhere", "resident", "coordinator", "volunteer"])
def test_others_get_403(request, client, who, city):
    client.force_login(request.getfixturevalue(who))

    assert client.get(report_url(), RANGE).status_code == 403
    assert client.get(reverse("reports:export", args=["11440", "places", "csv"])).status_code == 403


def test_only_a_city_admin_sees_the_whole_city(client, staff, city_admin, city):
    client.force_login(staff)
    assert client.get(report_url("city")).status_code == 403

    client.force_login(city_admin)
    response = client.get(report_url("city"), RANGE)
    assert response.status_code == 200
    assert response.context["figures"].scope.district_id is None
    assert client.get(report_url("11680"), RANGE).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(report_url())

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-11-10", "end": "2026-11-01"},
        {"start": "yesterday"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"place": "999999"},
        {"category": "abc"},
    ],
)
def test_bad_filters_get_400_with_a_message(client, staff, city, params):
    client.force_login(staff)

    response = client.get(report_url(), params)

    assert response.status_code == 400
    assert response.context["form"].errors


def test_a_place_of_another_district_is_refused_as_a_filter(client, staff, city, other_centre):
    client.force_login(staff)

    response = client.get(report_url(), {"place": other_centre.pk})

    assert response.status_code == 400


def test_unknown_district_is_404(client, city_admin):
    client.force_login(city_admin)

    assert client.get(report_url("99999")).status_code == 404


def test_csv_and_xlsx_exports_hold_the_tables_rows(client, staff, city):
    client.force_login(staff)
    page = client.get(report_url(), RANGE).context

    csv_response = client.get(reverse("reports:export", args=["11440", "places", "csv"]), RANGE)
    xlsx_response = client.get(reverse("reports:export", args=["11440", "months", "xlsx"]), RANGE)

    assert csv_response.status_code == 200
    assert csv_response.content.startswith("\ufeff".encode())  # Excel reads Korean then
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [r.label for r in page["figures"].places]
    assert [int(r[1]) for r in rows[1:]] == [r.loans for r in page["figures"].places]
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    values = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [v[1] for v in values] == [r.loans for r in page["figures"].months]
    assert client.get(reverse("reports:export", args=["11440", "nope", "csv"])).status_code == 404
    programmes = client.get(reverse("reports:export", args=["11440", "programmes", "csv"]), RANGE)
    rows = list(csv.reader(io.StringIO(programmes.content.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {str(p.title) for p in page["programmes"]}


def test_report_query_count_does_not_grow_with_data(client, staff, tool_centre, drill_title):
    client.force_login(staff)

    def count():
        from django.core.cache import cache

        cache.clear()  # figures computed afresh, the session read from the database each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report_url(), RANGE).status_code == 200
        return len(queries)

    def lend(n):
        item = ItemFactory(title=drill_title, place=tool_centre)
        Loan.objects.create(
            item=item,
            member=staff,
            place=tool_centre,
            checked_out_at=seoul(TODAY, 10),
            due_date=TODAY + dt.timedelta(days=7),
            renewals=n % 2,
        )

    lend(0)
    few = count()
    for n in range(20):
        lend(n)

    assert count() == few


def test_a_city_admin_edits_an_impact_factor_and_the_report_uses_it(
    client, city_admin, staff, city
):
    client.force_login(city_admin)
    tools = city["tools"]

    response = client.post(
        reverse("reports:impact-factor-save", args=[tools.pk]),
        {
            f"c{tools.pk}-basis": "fixed",
            f"c{tools.pk}-money_share": "0",
            f"c{tools.pk}-money_fixed": "7000",
            f"c{tools.pk}-co2_kg": "1.5",
        },
    )

    assert response.status_code == 302
    factor = ImpactFactor.objects.get(category=tools)
    assert (factor.basis, factor.money_fixed) == ("fixed", 7000)
    assert Event.objects.filter(action="impact", actor=city_admin).count() == 1
    client.force_login(staff)
    page = client.get(report_url(), RANGE)
    assert page.context["figures"].money_saved > 0
    read_only = client.get(reverse("reports:impact-factors")).content.decode()
    assert "7,000원" in read_only and "<form" not in read_only.split("<main", 1)[1]


def test_district_staff_cannot_change_the_city_wide_impact_factors(client, staff, city):
    """Every district's report reads the same factors: one district must not move them all."""
    client.force_login(staff)
    tools = city["tools"]

    response = client.post(
        reverse("reports:impact-factor-save", args=[tools.pk]),
        {
            f"c{tools.pk}-basis": "fixed",
            f"c{tools.pk}-money_share": "0",
            f"c{tools.pk}-money_fixed": "7000",
            f"c{tools.pk}-co2_kg": "1.5",
        },
    )

    assert response.status_code == 403
    assert not ImpactFactor.objects.exists()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reports:impact-factors"))
    assert "only city admins change them" in page.content.decode()
    assert 'method="post" action="/reports/impact-factors/' not in page.content.decode()


def test_district_staff_read_the_impact_factors_in_their_language(client, staff, city_admin, city):
    set_impact_factor(category=city["tools"], by=city_admin, basis="share", money_share="0.3")
    set_impact_factor(category=city["books"], by=city_admin, basis="fixed", money_fixed="7000")
    client.force_login(staff)

    client.cookies["django_language"] = "ko"
    korean = client.get(reverse("reports:impact-factors")).content
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reports:impact-factors")).content

    assert "구입가의 30%" in korean.decode() and "7,000원" in korean.decode()
    assert "30% of the replacement value" in english.decode() and "₩7,000" in english.decode()


def test_a_bad_impact_factor_is_refused_with_the_form(client, city_admin, city):
    client.force_login(city_admin)
    tools = city["tools"]

    response = client.post(
        reverse("reports:impact-factor-save", args=[tools.pk]),
        {
            f"c{tools.pk}-basis": "share",
            f"c{tools.pk}-money_share": "3",
            f"c{tools.pk}-money_fixed": "0",
            f"c{tools.pk}-co2_kg": "-1",
        },
    )

    assert response.status_code == 400
    assert not ImpactFactor.objects.exists()


def test_residents_cannot_edit_impact_factors(client, resident, city):
    client.force_login(resident)

    response = client.post(reverse("reports:impact-factor-save", args=[city["tools"].pk]), {})

    assert response.status_code == 403


def test_public_dashboard_suppresses_small_counts_of_people(client, city, mapo):
    response = client.get(reverse("reports:public"), {"district": mapo.code})

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.borrowers > 0  # the raw count exists...
    summary = {k: v for k, _label, v in response.context["summary"]}
    expected = "<5" if figures.borrowers < 5 else figures.borrowers
    assert summary["borrowers"] == expected
    tables = response.context["tables"]
    assert "top-titles" not in tables and "never-borrowed" not in tables
    for row in tables["places"].rows + tables["months"].rows:
        assert row[2] == "<5" or row[2] == 0 or row[2] >= 5


def test_public_dashboard_rejects_an_unknown_district(client, city):
    assert client.get(reverse("reports:public"), {"district": "nowhere"}).status_code == 400


def test_open_data_never_returns_small_counts(client, city, mapo):
    response = client.get(reverse("api:reports-open-data"), {"format": "json"})

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 26 and rows[-1]["district_code"] is None
    for row in rows:
        for key in ("borrowers", "new_members"):
            assert row[key] == "<5" or int(row[key]) == 0 or int(row[key]) >= 5
    mapo_row = next(r for r in rows if r["district_code"] == mapo.code)
    assert mapo_row["loans"] > 0


def test_open_data_as_csv_and_for_one_district(client, city, mapo):
    response = client.get(
        reverse("api:reports-open-data"), {"format": "csv", "district": mapo.code}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["district_code"] for r in rows] == [mapo.code]
    assert client.get(reverse("api:reports-open-data"), {"district": "x"}).status_code == 400


def test_open_data_is_in_the_openapi_schema_and_described(client):
    schema = client.get(reverse("api-schema")).content.decode()
    page = client.get(reverse("reports:open-data"))

    assert "/api/v1/reports/open-data/" in schema and "utilisation_pct" in schema
    assert page.status_code == 200
    assert "overdue_rate_pct" in page.content.decode()


def test_warming_fills_the_cache_for_every_district_and_the_city(client, city, mapo):
    from django.core.cache import cache

    from reports.tasks import warm_public_figures

    assert warm_public_figures.delay().get() == 26
    cached = [k for k in cache._cache if "reports:v1:" in k]  # locmem: the keys themselves
    assert len(cached) == 52  # 26 scopes x 2 languages


def test_staff_find_their_default_report_already_warmed(client, staff, city):
    from django.utils import timezone

    from reports.selectors import warm_public_figures

    warm_public_figures()
    warmed_before = timezone.now()
    client.force_login(staff)

    response = client.get(report_url())

    assert response.status_code == 200
    assert response.context["figures"].computed_at <= warmed_before
