"""Pre-aggregated lending figures (rollups), derived from the loans by reports.rollups.

These tables are the reports' own cache in the database: nothing else reads or writes them,
and `manage.py rebuild_report_rollups` makes them again from the loans at any time. They hold
no foreign-key constraints (derived rows must never block deleting or loading the real ones).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class LendingDay(models.Model):
    """What the loans that were returned at the last refresh add up to on one local date, at
    one place (where each loan was checked out), in one category (of the item's title).

    Loans, renewals, late loans, loan lengths and replacement values count on the check-out
    date; repairs on the return date; loan-days on every date the loan was out (reports.figures
    defines each figure). Every column adds up over dates, places and categories.
    """

    day = models.DateField()
    place = models.ForeignKey(
        "lending.Place", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    category = models.ForeignKey(
        "lending.Category", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    loans = models.IntegerField(default=0)
    renewals = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    returned_days = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=18, decimal_places=0, default=Decimal(0))
    repairs = models.IntegerField(default=0)
    loan_days = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Also the index of every read: places of a district, then a range of dates.
            models.UniqueConstraint(
                fields=["place", "day", "category"], name="lendingday_place_day_category"
            ),
        ]


class OpenLoan(models.Model):
    """A loan that was still out at the last refresh, with what its figures need.

    Open loans grow a loan-day every day and may become overdue, so their figures are worked
    out when a report is read; their ids also tell the next refresh which loans were returned
    since (their days then move into LendingDay).
    """

    loan = models.OneToOneField(
        "lending.Loan",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    place = models.ForeignKey(
        "lending.Place", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    category = models.ForeignKey(
        "lending.Category", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    out_day = models.DateField()
    due_date = models.DateField()
    renewals = models.IntegerField(default=0)
    value = models.DecimalField(max_digits=12, decimal_places=0, default=Decimal(0))

    class Meta:
        indexes = [models.Index(fields=["place", "out_day"], name="openloan_place_out_idx")]


class RecentLoan(models.Model):
    """A returned loan among the latest loan ids (RECENT_WINDOW) already in LendingDay.

    Ids are handed out before transactions commit, so a refresh may see loan 101 but not loan
    100, committed a moment later: the next refresh looks again at every returned loan among
    the latest ids that is not listed here.
    """

    loan = models.OneToOneField(
        "lending.Loan",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class RollupState(models.Model):
    """The one row saying how fresh the rollups are (absent: never built, reports read live).

    refreshed_at is the moment the loans were read: the figures from the rollups are the loans
    as they were then ("figures as of"). last_loan_id is the highest loan id seen, so a refresh
    knows which loans are new since.
    """

    refreshed_at = models.DateTimeField()
    rebuilt_at = models.DateTimeField()
    last_loan_id = models.BigIntegerField(default=0)
