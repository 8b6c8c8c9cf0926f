"""Each chart says what it shows to a screen reader: a title and a <desc> with the extremes."""

from __future__ import annotations

from django.utils import translation

from reports.charts import bar_chart, line_chart


def test_a_bar_chart_names_its_highest_and_lowest_bar():
    with translation.override("en"):
        svg = str(bar_chart([("Mapo-gu", 1200), ("Gangnam-gu", 30)], title="Loans", unit=""))

    assert '<title id="chart-' in svg and "Loans</title>" in svg
    assert "<desc id=" in svg
    assert "Highest: Mapo-gu, 1,200. Lowest: Gangnam-gu, 30." in svg
    desc_id = svg.split('aria-describedby="', 1)[1].split('"', 1)[0]
    assert f'<desc id="{desc_id}">' in svg


def test_a_line_chart_says_where_it_starts_ends_and_peaks():
    with translation.override("en"):
        svg = str(line_chart([("2026-01", 5), ("2026-02", 9), ("2026-03", 7)], title="By month"))

    assert "From 2026-01, 5, to 2026-03, 7; highest in 2026-02, 9." in svg


def test_an_empty_chart_draws_nothing():
    assert str(bar_chart([], title="Loans")) == "" and str(line_chart([], title="x")) == ""
