from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

PEOPLE = _('A count of people: a whole number, or "<5" when it is between 1 and 4.')


class OpenDataRowSerializer(serializers.Serializer):
    """One row of open data: the lending figures of a district (or the city) over a range."""

    district_code = serializers.CharField(
        allow_null=True, help_text=_("The district's official code; empty for the whole city.")
    )
    district_name = serializers.CharField(help_text=_("The district's name, or the city."))
    start = serializers.DateField(help_text=_("First day of the range (Asia/Seoul dates)."))
    end = serializers.DateField(help_text=_("Last day of the range, included."))
    figures_as_of = serializers.DateTimeField(help_text=_("When the figures were computed."))
    loans = serializers.IntegerField(
        help_text=_("Check-outs whose check-out time falls in the range.")
    )
    borrowers = serializers.CharField(
        help_text=format_lazy("{} {}", _("Distinct members who borrowed in the range."), PEOPLE)
    )
    new_members = serializers.CharField(
        help_text=format_lazy(
            "{} {}", _("Members living in the district who joined in the range."), PEOPLE
        )
    )
    items_available = serializers.IntegerField(
        help_text=_("Items in the collection today (not retired or missing).")
    )
    utilisation_pct = serializers.FloatField(
        allow_null=True,
        help_text=_("Days on loan within the range ÷ days items were available, in per cent."),
    )
    overdue_rate_pct = serializers.FloatField(
        allow_null=True,
        help_text=_("Loans returned after their due date or still out past it, in per cent."),
    )
    average_loan_days = serializers.FloatField(
        allow_null=True, help_text=_("Mean days from check-out to return of returned loans.")
    )
    renewals = serializers.IntegerField(help_text=_("Renewals made on the loans."))
    bookings_not_collected = serializers.IntegerField(
        help_text=_("Bookings that expired in the range without being picked up.")
    )
    money_saved_krw = serializers.DecimalField(
        max_digits=16,
        decimal_places=0,
        help_text=_(
            "Estimate: sum over loans of the category's money-saved factor; an Open Closet "
            "rental counts once, as its garment that saves the most."
        ),
    )
    co2_avoided_kg = serializers.DecimalField(
        max_digits=14,
        decimal_places=1,
        help_text=_(
            "Estimate: sum over loans of the category's kg of CO₂ per loan; an Open Closet "
            "rental counts once, as its garment with the most."
        ),
    )
    closet_rentals = serializers.CharField(
        help_text=format_lazy("{} {}", _("Open Closet outfits rented in the range."), PEOPLE)
    )
    closet_renters = serializers.CharField(
        help_text=format_lazy("{} {}", _("Distinct Open Closet renters in the range."), PEOPLE)
    )
    closet_outcome_got_job = serializers.CharField(
        help_text=format_lazy(
            "{} {}", _("Renters of the range who reported getting the job."), PEOPLE
        )
    )
    closet_outcome_no = serializers.CharField(
        help_text=format_lazy(
            "{} {}", _("Renters of the range who reported not getting the job."), PEOPLE
        )
    )
    homeshare_matches_proposed = serializers.CharField(
        help_text=format_lazy("{} {}", _("Home-share matches proposed in the range."), PEOPLE)
    )
    homeshare_matches_accepted = serializers.CharField(
        help_text=format_lazy(
            "{} {}", _("Home-share matches of the range accepted by both sides."), PEOPLE
        )
    )
    homeshare_agreements_active = serializers.CharField(
        help_text=format_lazy(
            "{} {}", _("Home-share agreements in force on at least one day of the range."), PEOPLE
        )
    )
    homeshare_agreements_ended = serializers.CharField(
        help_text=format_lazy("{} {}", _("Home-share agreements ended in the range."), PEOPLE)
    )
    voice_asks = serializers.CharField(
        help_text=format_lazy(
            "{} {}", _("Requests, problems and suggestions made in the range."), PEOPLE
        )
    )
    voice_asks_answered = serializers.CharField(
        help_text=format_lazy("{} {}", _("Requests of the range that have an answer."), PEOPLE)
    )
    voice_asks_closed = serializers.CharField(
        help_text=format_lazy("{} {}", _("Requests of the range that are closed."), PEOPLE)
    )
    voice_median_days_to_first_answer = serializers.FloatField(
        allow_null=True,
        help_text=_("Median days from a request to its first answer (empty under 5 answered)."),
    )
    voice_median_days_to_close = serializers.FloatField(
        allow_null=True,
        help_text=_("Median days from a request to its close (empty under 5 closed)."),
    )


FIELD_DOCS = [
    (name, type(field).__name__.replace("Field", "").lower(), field.help_text)
    for name, field in OpenDataRowSerializer().fields.items()
]
