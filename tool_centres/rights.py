"""What the tool-centre desks hold about a member, for their data export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from sharing_city.accounts.rights import Row, register_not_exported, register_section, row

from .models import DeskEvent


def _acts(user: Any) -> Iterable[Row]:
    for e in DeskEvent.objects.filter(actor=user).order_by("at", "pk"):
        yield row(e, "at", "action", "where")


def register() -> None:
    register_section(
        "tool_centres.acts",
        _("Tool-centre work recorded under your name"),
        _acts,
        covers=["tool_centres.DeskEvent.actor"],
    )
    for label in (
        "tool_centres.RepairTicket.opened_by",
        "tool_centres.RepairTicket.closed_by",
        "tool_centres.Transfer.requested_by",
        "tool_centres.Transfer.closed_by",
        "tool_centres.CloseOut.closed_by",
        "tool_centres.CloseOut.checked_by",
    ):
        register_not_exported(label, "desk work on the centre's items (its event is exported)")
