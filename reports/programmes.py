"""The figures of the programmes built on lending: Open Closet and home-share.

A programme whose data is not there yet shows its section as "not yet available" rather than
zeros that would read as "nothing happened".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .figures import Scope


@dataclass
class ProgrammeFigures:
    key: str
    title: str | Promise
    available: bool
    # (key, label, value, counts people?) in page order.
    figures: list[tuple[str, str | Promise, Any, bool]] = field(default_factory=list)
    definitions: list[str | Promise] = field(default_factory=list)


def closet_figures(scope: Scope) -> ProgrammeFigures:
    return ProgrammeFigures("closet", _("Open Closet"), available=False)


def homeshare_figures(scope: Scope) -> ProgrammeFigures:
    return ProgrammeFigures("homeshare", _("Home-share"), available=False)


def programme_figures(scope: Scope) -> list[ProgrammeFigures]:
    return [closet_figures(scope), homeshare_figures(scope)]
