"""Reads of the desk's records."""

from __future__ import annotations

from typing import Any

from django.db import models


class RepairTicketQuerySet(models.QuerySet):
    def open(self) -> RepairTicketQuerySet:
        return self.filter(status__in=["open", "repairing"])

    def at_place(self, place: Any) -> RepairTicketQuerySet:
        return self.filter(place=place)


class TransferQuerySet(models.QuerySet):
    def under_way(self) -> TransferQuerySet:
        return self.filter(status__in=["requested", "in_transit"])

    def touching(self, place: Any) -> TransferQuerySet:
        return self.filter(models.Q(from_place=place) | models.Q(to_place=place))
