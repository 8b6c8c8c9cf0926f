"""Voice's answer figures on the staff report, the public dashboard and open data."""

# ruff: noqa: F811 - fixtures imported
import datetime as dt

import pytest
from django.urls import reverse

from reports.figures import Scope
from reports.programmes import voice_figures
from voice.tests.test_figures import START, asks  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_report_shows_the_answer_figures_and_hides_small_medians(asks, tool_centre, mapo, gangnam):
    end = START + dt.timedelta(days=30)
    mapo_figures = voice_figures(Scope(START, end, district_id=mapo.pk))
    assert mapo_figures.value("asks_answered") == 6
    assert mapo_figures.value("median_days_to_first_answer") is not None
    gangnam_figures = voice_figures(Scope(START, end, district_id=gangnam.pk))
    assert gangnam_figures.value("asks_answered") == 2
    assert gangnam_figures.value("median_days_to_first_answer") is None  # fewer than 5


def test_open_data_carries_the_answer_columns(client, asks):
    response = client.get(reverse("api:reports-open-data"))
    assert response.status_code == 200
    row = response.json()[-1]
    for field in (
        "voice_asks",
        "voice_asks_answered",
        "voice_median_days_to_first_answer",
        "voice_median_days_to_close",
    ):
        assert field in row
