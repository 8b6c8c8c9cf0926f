from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import selectors
from reports.figures import Scope
from reports.forms import PublicForm, local_today
from reports.tables import people, share
from sharing_city.core.exports import csv_cell
from sharing_city.core.replica import ReplicaReadsMixin

from .serializers import OpenDataRowSerializer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):  # type: ignore[no-untyped-def]
        rows = data if isinstance(data, list) else [data]
        out = io.StringIO()
        if rows and isinstance(rows[0], dict) and "district_code" in rows[0]:
            writer = csv.DictWriter(out, fieldnames=list(OpenDataRowSerializer().fields))
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
        else:
            writer2 = csv.writer(out)
            for row in rows:
                values = [row] if not isinstance(row, dict) else list(row.values())
                writer2.writerow([csv_cell(v) for v in values])
        return out.getvalue().encode("utf-8")


# Open data column -> (programme, figure) of reports.programmes; all count people.
PROGRAMME_COLUMNS = {
    "closet_rentals": ("closet", "rentals"),
    "closet_renters": ("closet", "renters"),
    "closet_outcome_got_job": ("closet", "outcome_got_job"),
    "closet_outcome_no": ("closet", "outcome_no"),
    "homeshare_matches_proposed": ("homeshare", "matches_proposed"),
    "homeshare_matches_accepted": ("homeshare", "matches_accepted"),
    "homeshare_agreements_active": ("homeshare", "agreements_active"),
    "homeshare_agreements_ended": ("homeshare", "agreements_ended"),
    "voice_asks": ("voice", "asks"),
    "voice_asks_answered": ("voice", "asks_answered"),
    "voice_asks_closed": ("voice", "asks_closed"),
}
# Medians (days), not counts of people: shown as they are (voice leaves out small ones).
MEDIAN_COLUMNS = {
    "voice_median_days_to_first_answer": ("voice", "median_days_to_first_answer"),
    "voice_median_days_to_close": ("voice", "median_days_to_close"),
}


def _programme_columns(report: selectors.Report) -> dict[str, Any]:
    """The closet and home-share figures, small counts suppressed as the dashboard does."""
    by_key = {p.key: p for p in report.programmes if p.available}
    columns: dict[str, Any] = {}
    for column, (programme, key) in PROGRAMME_COLUMNS.items():
        found = by_key.get(programme)
        columns[column] = str(people(found.value(key), public=True)) if found else ""
    for column, (programme, key) in MEDIAN_COLUMNS.items():
        found = by_key.get(programme)
        columns[column] = found.value(key) if found else None
    return columns


def _row(scope: Scope, name: str, code: str | None) -> dict[str, Any]:
    report = selectors.report(scope)
    figures = report.lending
    return {
        "district_code": code,
        "district_name": name,
        "start": scope.start,
        "end": scope.end,
        "figures_as_of": figures.computed_at,
        "loans": figures.loans,
        "borrowers": str(people(figures.borrowers, public=True)),
        "new_members": str(people(figures.new_members, public=True)),
        "items_available": figures.items_available,
        "utilisation_pct": share(figures.utilisation),
        "overdue_rate_pct": share(figures.overdue_rate),
        "average_loan_days": (
            None if figures.average_loan_days is None else round(figures.average_loan_days, 1)
        ),
        "renewals": figures.renewals,
        "bookings_not_collected": figures.bookings_not_collected,
        "money_saved_krw": figures.money_saved.quantize(1),
        "co2_avoided_kg": round(figures.co2_kg, 1),
    } | _programme_columns(report)


class OpenData(ReplicaReadsMixin, APIView):
    """Public lending figures of each district and of the whole city over the last 12 months.

    Anonymised: counts of people between 1 and 4 read "<5". Cached for a few minutes. Add
    `?format=csv` for CSV; `?district=CODE` for one district.
    """

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("district", OpenApiTypes.STR, description=_("A district code.")),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            200: OpenDataRowSerializer(many=True),
            400: OpenApiResponse(description=_("Unknown district code.")),
        },
    )
    def get(self, request: Request) -> Response:
        form = PublicForm(request.query_params)
        if not form.is_valid():
            return Response({"detail": _("Unknown district code.")}, status=400)
        whole = form.scope(local_today())
        districts = (
            [form.cleaned_data["district"]]
            if form.cleaned_data.get("district")
            else selectors.city_districts()
        )
        rows = [
            _row(Scope(whole.start, whole.end, district_id=d.pk), str(d), d.code) for d in districts
        ]
        if not form.cleaned_data.get("district"):
            rows.append(_row(Scope(whole.start, whole.end), _("The whole city"), None))
        return Response(OpenDataRowSerializer(rows, many=True).data)
